/**
 * The page's inline style and script, kept as strings so the built package needs no asset copying
 * and the page needs no network: it works from file:// and from `patina report --serve`.
 *
 * Script design for large packs: the cards are built from the embedded JSON in one innerHTML pass
 * per render (no per-card DOM calls), images are lazy, and there is ONE shared <audio> element
 * (so only one texture can play and no audio is fetched before a click). Loops whose loop points
 * cover the whole file use <audio loop> (exact, and works on file://, where fetch() does not);
 * loops with inner loop points use Web Audio's AudioBufferSourceNode (loopStart/loopEnd) when the
 * page is served over http, and an approximate jump on file://.
 */

export const STYLE_CSS = `
:root{color-scheme:dark;--bg:#14181d;--panel:#1d2229;--line:#323a45;--text:#e9edf1;--muted:#b4bec9;
--accent:#8fe3d8;--focus:#ffd166}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
.skip{position:absolute;left:-999px;top:0;background:var(--focus);color:#000;padding:.5em 1em;z-index:10}
.skip:focus{left:0}
header,#filters,main{padding:0 1.25rem}
header{padding-top:1rem}
h1{font-size:1.5rem;margin:.2em 0}
h2{font-size:1.2rem;margin:1.4em 0 .4em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1rem;margin:1em 0 .4em;color:var(--muted);font-weight:600}
.sub,.muted{color:var(--muted)}
.batch{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;margin:.8rem 0}
.batch h2{margin:.2em 0;border:0;font-size:1.05rem}
.stats{display:flex;flex-wrap:wrap;gap:.3rem 1.4rem;list-style:none;margin:.3em 0;padding:0}
.stats b{font-size:1.1em}
.bad{color:#ff9d9d}
details summary{cursor:pointer}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
#filters{position:sticky;top:0;z-index:5;background:var(--bg);border-bottom:1px solid var(--line);
display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;padding-top:.6rem;padding-bottom:.6rem}
#filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);gap:.15rem}
select,input,button{font:inherit;color:var(--text);background:var(--panel);border:1px solid #5b6673;border-radius:6px;padding:.3em .5em}
input[type=search]{min-width:14em}
button{cursor:pointer}
button:hover{border-color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
#count{margin:0 0 .25em;font-weight:600}
#now{margin:0 0 .25em;color:var(--accent);min-width:10em}
.grid{content-visibility:auto;display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.75rem}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.5rem;
display:grid;grid-template-columns:auto 1fr;gap:.4rem .5rem;align-items:center;align-content:start;
content-visibility:auto;contain-intrinsic-size:auto 170px}
.card.playing{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent)}
.card img{display:block;width:100%;height:auto;border-radius:4px;background:#0c0f12;grid-column:1/-1}
.nowave{grid-column:1/-1;margin:0;height:36px;display:flex;align-items:center;justify-content:center;color:#ff9d9d;font-size:.85em}
.card .name{font-size:.95rem;margin:0;font-weight:600;word-break:break-all}
.play{min-width:2.6em;min-height:2.2em;font-size:1rem;line-height:1}
.play[aria-pressed=true]{background:var(--accent);color:#0b1714;border-color:var(--accent)}
.meta{grid-column:1/-1;margin:0;font-size:.85rem;color:var(--muted)}
.grade{display:inline-block;border-radius:4px;padding:0 .45em;font-weight:700;font-size:.85rem}
.grade-A{background:#2e7d32;color:#fff}.grade-B{background:#f0b429;color:#1a1400}.grade-C{background:#e07a1f;color:#1a0a00}.grade-F{background:#c62828;color:#fff}
.empty{padding:2rem 0;color:var(--muted)}
footer{padding:1.5rem 1.25rem;color:var(--muted);font-size:.85rem}
@media (prefers-reduced-motion:no-preference){.card{transition:border-color .15s}}
`;

export const CLIENT_JS = `
(() => {
"use strict";
const DATA = JSON.parse(document.getElementById("patina-data").textContent);
const cards = DATA.cards;
const $ = (id) => document.getElementById(id);
const main = $("cards"), player = $("player"), countEl = $("count"), nowEl = $("now");
const fCat = $("f-cat"), fGrade = $("f-grade"), fBright = $("f-bright"), fText = $("f-text"), fSort = $("f-sort");
const CAT_LABEL = { pads: "Pads", swells: "Swells", clouds: "Clouds", hiss: "Hiss" };
const CATS = ["pads", "swells", "clouds", "hiss"];
const GRADE_RANK = { A: 0, B: 1, F: 2 };
const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);
for (let i = 0; i < cards.length; i++) { cards[i].i = i; cards[i].q = cards[i].n.toLowerCase(); }

let playing = -1, mode = null, token = 0, actx = null, node = null, raf = 0;
const buffers = new Map();

function fmtDur(d) { return d < 10 ? d.toFixed(2) + " s" : d < 60 ? d.toFixed(1) + " s" : Math.floor(d / 60) + " min " + Math.round(d % 60) + " s"; }
// A toggle button keeps one label; aria-pressed tells whether it is playing.
function playLabel(c) { return "Play " + c.n + (c.l ? " (loop)" : " (one-shot)"); }

const WAVE = DATA.images.waveform, SPEC = DATA.images.spectrogram;
// Few elements per card (article, images, button, heading, one paragraph, one badge): with 5,000
// cards the DOM size is what costs.
function cardHtml(c) {
  const on = c.i === playing;
  const name = esc(c.n);
  let h = '<article class="card' + (on ? " playing" : "") + '">';
  h += c.wi ? '<img class="wave" src="' + c.wi + '" loading="lazy" decoding="async" width="' + WAVE.width + '" height="' + WAVE.height + '" alt="Waveform of ' + name + '">'
    : '<p class="nowave">audio file missing</p>';
  if (c.si) h += '<img class="spec" src="' + c.si + '" loading="lazy" decoding="async" width="' + SPEC.width + '" height="' + SPEC.height + '" alt="Spectrogram of ' + name + '">';
  h += '<button type="button" class="play" data-i="' + c.i + '" aria-pressed="' + on + '" aria-label="' + esc(playLabel(c)) + '">' + (on ? "\u25A0" : "\u25B6") + "</button>";
  h += '<h4 class="name" title="' + esc(decodeURIComponent(c.f)) + '">' + name + "</h4>";
  const meta = [fmtDur(c.d) + " " + (c.l ? "loop" : "one-shot"), c.b + (c.hz !== null ? " (" + c.hz + " Hz)" : "")];
  if (c.k || c.r) meta.push([c.k, c.r ? "root " + c.r : null].filter(Boolean).join(", "));
  if (c.sd !== null) meta.push("seam " + (c.sd > 0 ? "+" : "") + c.sd.toFixed(1) + " dB");
  h += '<p class="meta">' + esc(meta.join(" \u00B7 ")) + ' <b class="grade grade-' + esc(c.g) + '" title="' + esc(c.gr) + '">Grade ' + esc(c.g) + "</b></p></article>";
  return h;
}

function matches(c, skip) {
  if (skip !== "cat" && fCat.value && c.c !== fCat.value) return false;
  if (skip !== "grade" && fGrade.value && c.g !== fGrade.value) return false;
  if (skip !== "bright" && fBright.value && c.b !== fBright.value) return false;
  const q = fText.value.trim().toLowerCase();
  if (q && c.q.indexOf(q) < 0) return false;
  return true;
}

function updateFacet(select, skip, key) {
  const counts = Object.create(null);
  let all = 0;
  for (const c of cards) if (matches(c, skip)) { all++; counts[c[key]] = (counts[c[key]] || 0) + 1; }
  for (const o of select.options) {
    const base = o.dataset.label;
    o.textContent = base + " (" + (o.value ? counts[o.value] || 0 : all) + ")";
  }
}

// Cards are inserted in chunks: the first screenful at once, the rest in short slices between
// frames, so a 5,000-texture page paints at once and stays responsive while it fills in.
const CHUNK = 50, FIRST = 200, SLICE_MS = 30;
let gen = 0, ops = [], opAt = 0;

function heading(level, title, n, id) {
  return "<h" + level + (id ? ' id="' + id + '"' : "") + ">" + esc(title) + ' <span class="muted">(' + n + ")</span></h" + level + ">";
}

function render() {
  const my = ++gen;
  const list = cards.filter((c) => matches(c, null));
  const sort = fSort.value;
  // sections: [{ open: html before the first group, groups: [{ head, items }] }]
  const sections = [];
  if (sort === "source") {
    const bySource = new Map();
    for (const c of list) { let a = bySource.get(c.s); if (!a) bySource.set(c.s, (a = [])); a.push(c); }
    let k = 0;
    for (const [src, items] of bySource) {
      k++;
      const groups = [];
      for (const cat of CATS) { const g = items.filter((c) => c.c === cat); if (g.length) groups.push({ head: heading(3, CAT_LABEL[cat], g.length), items: g }); }
      sections.push({ open: '<section class="src" aria-labelledby="src-' + k + '">' + heading(2, src, items.length, "src-" + k), groups });
    }
  } else if (sort === "grade") {
    const sorted = list.slice().sort((a, b) => GRADE_RANK[a.g] - GRADE_RANK[b.g] || a.i - b.i);
    for (const g of ["A", "B", "C", "F"]) { const items = sorted.filter((c) => c.g === g); if (items.length) sections.push({ open: "<section>", groups: [{ head: heading(2, "Grade " + g, items.length), items }] }); }
  } else if (list.length) {
    const sorted = list.slice().sort((a, b) => (b.hz ?? -1) - (a.hz ?? -1) || a.i - b.i);
    sections.push({ open: "<section>", groups: [{ head: heading(2, "Brightest first", sorted.length), items: sorted }] });
  }
  // The skeleton (headings and empty grids) goes in at once; the cards follow as queued chunks.
  const parts = [];
  ops = [];
  opAt = 0;
  // Offscreen grids skip style and layout (content-visibility); their placeholder height is
  // estimated from the card count so the scrollbar barely moves as they fill in.
  const cols = Math.max(1, Math.floor((main.clientWidth - 40 + 12) / (260 + 12)));
  const est = (n) => Math.ceil(n / cols) * 182;
  sections.forEach((sec, si) => {
    parts.push(sec.open);
    sec.groups.forEach((g, gi) => {
      const id = "g" + si + "-" + gi;
      parts.push(g.head + '<div class="grid" id="' + id + '" style="contain-intrinsic-size:auto ' + est(g.items.length) + 'px"></div>');
      for (let k = 0; k < g.items.length; k += CHUNK) ops.push({ id, items: g.items.slice(k, k + CHUNK) });
    });
    parts.push("</section>");
  });
  if (list.length === 0) parts.push('<p class="empty">No texture matches these filters.</p>');
  main.innerHTML = parts.join("");
  document.documentElement.dataset.complete = "false";
  fill(my, FIRST, Infinity);
  countEl.textContent = "Showing " + list.length + " of " + cards.length + " textures";
  updateFacet(fCat, "cat", "c");
  updateFacet(fGrade, "grade", "g");
  updateFacet(fBright, "bright", "b");
}

function fill(my, minCards, budgetMs) {
  if (my !== gen) return;
  const t0 = performance.now();
  let placed = 0;
  while (opAt < ops.length && (placed < minCards || performance.now() - t0 < budgetMs)) {
    const op = ops[opAt++];
    document.getElementById(op.id).insertAdjacentHTML("beforeend", op.items.map(cardHtml).join(""));
    placed += op.items.length;
    if (placed >= minCards && budgetMs === Infinity) break;
  }
  if (opAt < ops.length) setTimeout(() => fill(my, 0, SLICE_MS), 0);
  else {
    document.documentElement.dataset.complete = "true";
    if (window.patinaReport && window.patinaReport.completeAt === null) window.patinaReport.completeAt = performance.now();
  }
}

function button(i) { return main.querySelector('button.play[data-i="' + i + '"]'); }
function mark(i, on) {
  const b = button(i);
  if (!b) return;
  b.setAttribute("aria-pressed", String(on));
  b.textContent = on ? "\\u25A0" : "\\u25B6";
  b.parentElement.classList.toggle("playing", on);
}

function stop() {
  token++;
  cancelAnimationFrame(raf);
  if (node) { try { node.stop(); } catch (e) {} node.disconnect(); node = null; }
  if (!player.paused) player.pause();
  if (playing >= 0) mark(playing, false);
  playing = -1;
  mode = null;
  nowEl.textContent = "";
}

function failed(i, my, err) {
  if (my !== token) return;
  stop();
  nowEl.textContent = "Cannot play " + cards[i].n + ": " + (err && err.message ? err.message : err);
}

async function playWebAudio(c, my) {
  try {
    let buf = buffers.get(c.f);
    if (!buf) {
      const res = await fetch(c.f);
      if (!res.ok) throw new Error("HTTP " + res.status);
      buf = await actx.decodeAudioData(await res.arrayBuffer());
      if (buffers.size >= 8) buffers.delete(buffers.keys().next().value);
      buffers.set(c.f, buf);
    }
    if (my !== token) return;
    node = actx.createBufferSource();
    node.buffer = buf;
    node.loop = true;
    node.loopStart = c.ls;
    node.loopEnd = c.le;
    node.connect(actx.destination);
    node.start();
  } catch (err) { failed(c.i, my, err); }
}

function play(i) {
  stop();
  const c = cards[i];
  const my = token;
  playing = i;
  mark(i, true);
  nowEl.textContent = "Playing " + c.n + (c.l ? " (loop)" : "");
  const region = c.l && !c.w && c.ls !== null && c.le !== null;
  if (region && /^https?:$/.test(location.protocol) && window.AudioContext) {
    mode = "webaudio";
    // Created inside the click, so no autoplay policy blocks it.
    if (!actx) actx = new AudioContext();
    if (actx.state === "suspended") actx.resume();
    playWebAudio(c, my);
    return;
  }
  mode = "element";
  player.loop = c.l;
  player.src = c.f;
  player.play().catch((err) => failed(i, my, err));
  if (region) {
    // file:// cannot fetch() for Web Audio: jump back at the loop end (approximate; --serve is exact).
    const tick = () => { if (my !== token) return; if (player.currentTime >= c.le) player.currentTime = c.ls; raf = requestAnimationFrame(tick); };
    raf = requestAnimationFrame(tick);
  }
}

player.addEventListener("ended", () => { if (playing >= 0 && !player.loop) stop(); });
main.addEventListener("click", (e) => {
  const b = e.target.closest("button.play");
  if (!b) return;
  const i = Number(b.dataset.i);
  if (i === playing) stop(); else play(i);
});
$("stop").addEventListener("click", stop);
document.addEventListener("keydown", (e) => {
  if (e.key !== " " && e.key !== "Escape") return;
  const t = e.target;
  if (e.key === " " && t && t.closest && t.closest("input,select,textarea")) return;
  if (playing >= 0) { e.preventDefault(); stop(); }
});
let timer = 0;
fText.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 120); });
for (const s of [fCat, fGrade, fBright, fSort]) s.addEventListener("change", render);
$("filters").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); render(); });
for (const s of [fCat, fGrade, fBright]) for (const o of s.options) o.dataset.label = o.textContent;

const api = {
  render, play, stop,
  // Milliseconds since navigation start: first cards in the DOM, first frame painted, all cards in.
  readyAt: null, paintAt: null, completeAt: null,
  // For tests and the curious: what is playing and how.
  state: () => ({ playing, mode,
    started: mode === "webaudio" ? node !== null : mode === "element" ? !player.paused : false,
    loop: mode === "webaudio" ? node !== null && node.loop : mode === "element" ? player.loop : false,
    loopStart: node ? node.loopStart : null, loopEnd: node ? node.loopEnd : null }),
};
window.patinaReport = api;
render();
api.readyAt = performance.now();
requestAnimationFrame(() => { api.paintAt = performance.now(); });
document.documentElement.dataset.ready = "true";
})();
`;
