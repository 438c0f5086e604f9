/** The page's inline style (dark, high-contrast; sizes shared with the script through LAYOUT). */
import { CATEGORY_COLOURS, LAYOUT } from "./layout.js";

const L = LAYOUT;
const C = CATEGORY_COLOURS;

export const STYLE_CSS = `
:root{color-scheme:dark;--bg:#14181d;--panel:#1d2229;--line:#323a45;--text:#e9edf1;--muted:#b4bec9;
--accent:#8fe3d8;--focus:#ffd166;--keep:#66bb6a;--reject:#ff8a80;--star:#ffd166;
--pads:${C.pads};--swells:${C.swells};--clouds:${C.clouds};--hiss:${C.hiss}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
.skip{position:absolute;left:-999px;top:0;background:var(--focus);color:#000;padding:.5em 1em;z-index:10}
.skip:focus{left:0}
header,#filters,#layout{padding:0 1.25rem}
header{padding-top:1rem}
h1{font-size:1.5rem;margin:.2em 0}
.sub,.muted{color:var(--muted)}
.batch{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;margin:.8rem 0}
.batch h2{margin:.2em 0;border:0;font-size:1.05rem}
.stats{display:flex;flex-wrap:wrap;gap:.3rem 1.4rem;list-style:none;margin:.3em 0;padding:0}
.stats b{font-size:1.1em}
.bad{color:#ff9d9d}
details summary{cursor:pointer}
.keys{margin:.4rem 0;color:var(--muted);font-size:.9rem}
.keys dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.4rem 0}
.keys dt{font-weight:600;color:var(--text)}
.keys dd{margin:0}
kbd{font-family:ui-monospace,Menlo,Consolas,monospace;border:1px solid #5b6673;border-radius:4px;padding:0 .3em;font-size:.85em}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
#filters{position:sticky;top:0;z-index:5;background:var(--bg);border-bottom:1px solid var(--line);
display:flex;flex-wrap:wrap;gap:.35rem .6rem;align-items:flex-end;padding-top:.4rem;padding-bottom:.4rem}
#filters label{display:flex;flex-direction:column;font-size:.78rem;color:var(--muted);gap:.05rem}
select,input,button{font:inherit;color:var(--text);background:var(--panel);border:1px solid #5b6673;border-radius:6px;padding:.25em .45em}
#filters select,#filters input,#filters button{font-size:.85rem;padding:.2em .35em}
#filters select{max-width:9.5em}
#f-score{width:4.5em}
input[type=search]{width:10em}
#status{flex-basis:100%;display:flex;flex-wrap:wrap;gap:.2rem 1.5rem;align-items:center}
button{cursor:pointer}
button:hover{border-color:var(--accent)}
button:disabled{cursor:default;opacity:.5}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
#count,#chosen{margin:0;font-weight:600;font-size:.9rem}
#now{margin:0;color:var(--accent);font-size:.9rem}
#export{margin-left:auto}
#layout{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:1.25rem;align-items:start;padding-top:.5rem}
#side{position:sticky;top:var(--bar-h,90px);display:flex;flex-direction:column;gap:.4rem;padding-bottom:1rem}
#side h2{font-size:1rem;margin:.3rem 0 0}
#map-box{position:relative}
#map{display:block;width:100%;height:300px;background:#0c0f12;border:1px solid var(--line);border-radius:8px;cursor:crosshair}
#map-tip{position:absolute;pointer-events:none;background:#000d;border:1px solid var(--line);border-radius:4px;padding:.1em .4em;font-size:.8rem;white-space:nowrap;transform:translate(-50%,-130%)}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem;list-style:none;margin:0;padding:0;font-size:.8rem;color:var(--muted)}
.legend i{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.3em}
#near{list-style:none;margin:0;padding:0;font-size:.85rem}
#near li{display:flex;align-items:center;gap:.4rem;padding:.15rem 0;border-bottom:1px solid var(--line)}
#near .go{flex:1;min-width:0;text-align:left;background:none;border:0;padding:.1em 0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#near .go:hover{text-decoration:underline}
#near .d{color:var(--muted);font-variant-numeric:tabular-nums}
#list{position:relative}
.row{position:absolute;left:0;right:0;contain:strict}
.row.r2{height:${L.h2}px}.row.r3{height:${L.h3}px}
.row h2{font-size:1.15rem;margin:0;padding-top:.9rem;height:${L.h2}px;border-bottom:1px solid var(--line);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.row h3{font-size:.95rem;margin:0;padding-top:.45rem;height:${L.h3}px;color:var(--muted);font-weight:600}
.row.cards{display:grid;gap:${L.gap}px;height:${L.card}px}
.card{background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--line);border-radius:8px;padding:.35rem .45rem;
height:${L.card}px;overflow:hidden;display:flex;flex-direction:column;gap:.25rem}
.card.current{outline:2px solid var(--focus);outline-offset:1px}
.card.playing{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent)}
.card.kept{border-left-color:var(--keep)}
.card.starred{border-left-color:var(--star)}
.card.starred .name::before{content:"\\2605  ";color:var(--star)}
.card.rejected{border-left-color:var(--reject)}
.card.rejected .pics{opacity:.45}
.card.cued{box-shadow:0 0 0 2px var(--swells)}
.top,.acts{display:flex;align-items:center;gap:.3rem;min-width:0}
.name{flex:1;min-width:0;font-size:.92rem;margin:0;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cat{display:inline-block;width:.6em;height:.6em;border-radius:50%;margin-right:.35em;vertical-align:.05em}
.pics{display:flex;flex-direction:column;gap:2px;height:60px;min-height:60px}
.pics img{display:block;width:100%;min-height:0;border-radius:4px;background:#0c0f12}
.pics .wave{flex:1}
.pics .spec{height:26px}
.nowave{margin:0;flex:1;display:flex;align-items:center;justify-content:center;color:#ff9d9d;font-size:.85em}
.play{min-width:2.3em;min-height:1.9em;font-size:.95rem;line-height:1;padding:.15em .4em}
.near-play{min-width:2em;padding:.1em .35em;font-size:.85rem}
.play[aria-pressed=true],.near-play[aria-pressed=true]{background:var(--accent);color:#0b1714;border-color:var(--accent)}
.acts button{font-size:.8rem;padding:.1em .45em;min-height:1.75em}
.acts .k[aria-pressed=true]{background:#2e7d32;border-color:#2e7d32;color:#fff}
.acts .x[aria-pressed=true]{background:#c62828;border-color:#c62828;color:#fff}
.acts .s[aria-pressed=true]{background:var(--star);border-color:var(--star);color:#1a1400}
.acts .c[aria-pressed=true]{background:var(--swells);border-color:var(--swells);color:#1a1400}
.meta{margin:0;font-size:.8rem;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:1;min-width:0}
.grade,.score{display:inline-block;border-radius:4px;padding:0 .4em;font-weight:700;font-size:.8rem}
.score{background:#2b3440;color:var(--text)}
.grade-A{background:#2e7d32;color:#fff}.grade-B{background:#f0b429;color:#1a1400}.grade-C{background:#e07a1f;color:#1a0a00}.grade-F{background:#c62828;color:#fff}
.empty{padding:2rem 0;color:var(--muted)}
footer{padding:1.5rem 1.25rem;color:var(--muted);font-size:.85rem}
@media (max-width:1000px){#layout{grid-template-columns:minmax(0,1fr)}#side{position:static;order:-1}}
@media (prefers-reduced-motion:no-preference){.card{transition:border-color .15s}}
`;
