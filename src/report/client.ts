/**
 * The page's inline style and script, kept as strings so the built package needs no asset copying
 * and the page needs no network: it works from file:// and from `patina report --serve`.
 *
 * The script is assembled from its parts (client/*.ts, sharing one scope) and the pure functions it
 * shares with the build and the tests (their source text is inlined, so the page runs the very
 * code the unit tests check).
 */
import { choicesFromFile, latestChoice, mergeChoices, selectionEntries } from "./choices.js";
import { CHOOSE_JS } from "./client/choose.js";
import { DATA_JS } from "./client/data.js";
import { CATEGORY_COLOURS, LAYOUT } from "./client/layout.js";
import { LIST_JS } from "./client/list.js";
import { MAP_JS } from "./client/map.js";
import { PLAY_JS } from "./client/play.js";
import { GRADE_ORDER } from "./model.js";
import { displayName } from "./page-data.js";
import { nearest } from "./similar.js";

export { STYLE_CSS } from "./client/style.js";

/** The shared pure functions, as page source. */
export const SHARED_JS = [displayName, nearest, choicesFromFile, mergeChoices, selectionEntries, latestChoice]
  .map((f) => f.toString())
  .join("\n");

const START_JS = `
const api = {
  render, play, stop, cue, move,
  setCurrent: (i) => setCurrent(i, true),
  keep: toggleKeep, reject: toggleReject, star: toggleStar,
  indexOf: indexOfFile, fileOf, shown,
  neighbours: (i, k) => neighbours(i, k || 8),
  /** Where card i's dot is on the map, in CSS pixels of the viewport (null: not on the map). */
  mapPoint: (i) => {
    if (!MX || MX[i] < 0 || !booted) return null;
    const r = mapEl.getBoundingClientRect();
    return { x: r.left + mapEl.clientLeft + px(i), y: r.top + mapEl.clientTop + py(i) };
  },
  selection: () => selectionFile(),
  shownCount: () => order.length,
  // Milliseconds since navigation start: first cards in the document, first frame painted, all done.
  readyAt: null, paintAt: null, completeAt: null, nearMs: () => nearMs,
  // For tests and the curious: what is playing and how.
  state: () => ({
    playing: playingIndex(), cued, mode: voice ? voice.mode : null, current: cur, disk: diskState, lastSwitch,
    element: voice && voice.el ? voice.el.id : null,
    started: voice ? (voice.mode === "webaudio" ? voice.node !== null : !voice.el.paused) : false,
    loop: voice ? (voice.mode === "webaudio" ? voice.node !== null && voice.node.loop : voice.el.loop) : false,
    loopStart: voice && voice.node ? voice.node.loopStart : null, loopEnd: voice && voice.node ? voice.node.loopEnd : null,
  }),
};
window.patinaReport = api;
let timer = 0;
fText.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 150); });
for (const s of [fCat, fGrade, fBright, fKey, fRoot, fSrc, fChoice, fDur, fSort]) s.addEventListener("change", render);
fScore.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 150); });
$("filters").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); render(); });
loadChoices();
render();
api.readyAt = performance.now();
document.documentElement.dataset.ready = "true";
document.documentElement.dataset.complete = "false";
// After the first frame is on screen: the map, the neighbours, the counts.
function boot() {
  booted = true;
  buildGrid();
  drawBase();
  showChosen();
  if (D.near) showNear(cur);
  api.completeAt = performance.now();
  document.documentElement.dataset.complete = "true";
}
requestAnimationFrame(() => setTimeout(() => {
  api.paintAt = performance.now();
  loadSimilar(boot);
}, 0));
`;

export const CLIENT_JS = `
(() => {
"use strict";
const L = ${JSON.stringify(LAYOUT)};
const COLOURS = ${JSON.stringify(Object.values(CATEGORY_COLOURS))};
const __GRADES__ = ${JSON.stringify(GRADE_ORDER)};
${SHARED_JS}
${DATA_JS}
${LIST_JS}
${PLAY_JS}
${CHOOSE_JS}
${MAP_JS}
${START_JS}
})();
`;
