/**
 * Page script, part 1: the columns from the embedded data as typed arrays, the names and URLs
 * derived from them on demand, and filtering and sorting into sections. Everything works on card
 * indexes: at 50,000 cards no per-card object is built.
 */
export const DATA_JS = String.raw`
const $ = (id) => document.getElementById(id);
// Marks for the bench: when the parser reached the script, and when the data was read.
performance.mark("patina-script");
if (typeof window.patinaCards !== "string") {
  document.getElementById("cards").insertAdjacentHTML("afterbegin", '<p class="empty bad">The data file of this page (.report/cards.js) is missing: run <code>patina report</code> again.</p>');
  throw new Error("patina report: .report/cards.js did not load");
}
const D = JSON.parse(window.patinaCards);
performance.mark("patina-data");
const N = D.name.length;
const CATS = ["pads", "swells", "clouds", "hiss"];
const CAT_LABEL = ["Pads", "Swells", "Clouds", "Hiss"];
const BRIGHT = ["dark", "mid", "bright", "silent"];
const GRADES = __GRADES__;
const NOTES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
const SRC = Int32Array.from(D.src), CAT = Int8Array.from(D.cat), BRI = Int8Array.from(D.bright);
const GRD = Int8Array.from(D.grade), KEY = Int32Array.from(D.key), ROOT = Int16Array.from(D.root);
const DUR = Int32Array.from(D.dur), HZ = Int32Array.from(D.hz), FLG = Uint8Array.from(D.flags);
const SCORE = D.score ? Int16Array.from(D.score) : null;
const LOOPS = new Map();
D.loopAt.forEach((i, k) => LOOPS.set(i, [D.loopStart[k], D.loopEnd[k]]));
const F_LOOP = 1, F_WHOLE = 2, F_WAVE = 4, F_SPEC = 8;
const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);

const fileCache = new Array(N), shownCache = new Array(N);
/** Manifest file name (relative to the export folder): the selection key. */
function fileOf(i) {
  let f = fileCache[i];
  if (f === undefined) {
    const nm = D.name[i], at = D.at[i];
    const base = at < 0 ? nm : nm.slice(0, at) + D.sources[SRC[i]] + nm.slice(at);
    const dir = D.dirs[D.dir[i]];
    f = fileCache[i] = dir === "" ? base : dir + "/" + base;
  }
  return f;
}
function baseOf(i) { const f = fileOf(i); return f.slice(f.lastIndexOf("/") + 1); }
function urlOf(path) { return path.split("/").map(encodeURIComponent).join("/"); }
function imageOf(i, kind) { return urlOf(".report/" + fileOf(i).replace(/\.[^./]*$/, "") + "." + kind + ".png"); }
function shown(i) { let s = shownCache[i]; if (s === undefined) s = shownCache[i] = displayName(D.name[i], D.at[i]); return s; }
function noteName(m) { return NOTES[m % 12] + (Math.floor(m / 12) - 1); }
function fmtDur(cs) { const d = cs / 100; return d < 10 ? d.toFixed(2) + " s" : d < 60 ? d.toFixed(1) + " s" : Math.floor(d / 60) + " min " + Math.round(d % 60) + " s"; }

let fileIndexMap = null;
/** Card index by manifest file name (built on first use). */
function indexOfFile(f) {
  if (fileIndexMap === null) { fileIndexMap = new Map(); for (let i = 0; i < N; i++) fileIndexMap.set(fileOf(i), i); }
  const i = fileIndexMap.get(f);
  return i === undefined ? -1 : i;
}

// ---- filters ----
const fCat = $("f-cat"), fGrade = $("f-grade"), fBright = $("f-bright"), fKey = $("f-key"), fRoot = $("f-root");
const fSrc = $("f-src"), fChoice = $("f-choice"), fScore = $("f-score"), fDur = $("f-dur"), fText = $("f-text"), fSort = $("f-sort");
const DUR_RANGES = { short: [0, 200], mid: [200, 800], long: [800, 1e9] };
let lowerCache = null;

function readFilters() {
  const num = (s, d) => (s.value === "" ? d : Number(s.value));
  const q = fText.value.trim().toLowerCase();
  if (q && lowerCache === null) { lowerCache = new Array(N); for (let i = 0; i < N; i++) lowerCache[i] = fileOf(i).toLowerCase(); }
  return { cat: CATS.indexOf(fCat.value), grade: GRADES.indexOf(fGrade.value), bright: BRIGHT.indexOf(fBright.value), key: num(fKey, -2),
    root: num(fRoot, -2), src: num(fSrc, -1), choice: fChoice.value, minScore: SCORE && fScore.value !== "" ? Number(fScore.value) : -1,
    dur: DUR_RANGES[fDur.value] || null, q };
}
function choiceOk(i, c) {
  if (c === "") return true;
  const s = STATE[i];
  return c === "keep" ? s === 1 : c === "star" ? s === 1 && STAR[i] === 1 : c === "reject" ? s === 2 : c === "none" ? s === 0 : c === "notreject" ? s !== 2 : true;
}
/** Which facets card i fails: bit 1 category, 2 grade, 4 brightness, 8 choice, 16 anything else. */
function fails(i, f) {
  let m = 0;
  if (f.cat >= 0 && CAT[i] !== f.cat) m |= 1;
  if (f.grade >= 0 && GRD[i] !== f.grade) m |= 2;
  if (f.bright >= 0 && BRI[i] !== f.bright) m |= 4;
  if (!choiceOk(i, f.choice)) m |= 8;
  if ((f.key !== -2 && KEY[i] !== f.key) || (f.root !== -2 && (f.root === -1 ? ROOT[i] >= 0 : ROOT[i] < 0 || ROOT[i] % 12 !== f.root))
    || (f.src >= 0 && SRC[i] !== f.src) || (f.minScore >= 0 && SCORE[i] < f.minScore)
    || (f.dur && (DUR[i] < f.dur[0] || DUR[i] >= f.dur[1])) || (f.q && lowerCache[i].indexOf(f.q) < 0)) m |= 16;
  return m;
}
const FACETS = [[fCat, 1, (i) => CATS[CAT[i]]], [fGrade, 2, (i) => GRADES[GRD[i]]], [fBright, 4, (i) => BRIGHT[BRI[i]]],
  [fChoice, 8, (i) => (STATE[i] === 1 ? (STAR[i] ? "star" : "keep") : STATE[i] === 2 ? "reject" : "none")]];
for (const [s] of FACETS) for (const o of s.options) o.dataset.label = o.textContent;

/** The shown cards in order, and the facet counts (each facet counted within the other filters). */
function select() {
  const f = readFilters();
  const keep = new Int32Array(N);
  let n = 0;
  const counts = FACETS.map(() => new Map());
  const all = FACETS.map(() => 0);
  for (let i = 0; i < N; i++) {
    const m = fails(i, f);
    if (m === 0) keep[n++] = i;
    for (let k = 0; k < FACETS.length; k++) {
      const bit = FACETS[k][1];
      if ((m & ~bit) !== 0) continue;
      all[k]++;
      const v = FACETS[k][2](i);
      counts[k].set(v, (counts[k].get(v) || 0) + 1);
      if (v === "star") counts[k].set("keep", (counts[k].get("keep") || 0) + 1);
    }
  }
  FACETS.forEach(([s], k) => {
    for (const o of s.options) {
      const v = o.value === "" ? null : o.value;
      const c = v === null ? all[k] : v === "notreject" ? all[k] - (counts[k].get("reject") || 0) : counts[k].get(v) || 0;
      o.textContent = o.dataset.label + " (" + c + ")";
    }
  });
  return keep.subarray(0, n);
}

/** Sections for the chosen sort: [{ title, groups: [{ title | null, items: Int32Array }] }]. */
function sections(list) {
  const sort = fSort.value;
  const out = [];
  const by = (cmp) => Int32Array.from(list).sort((a, b) => cmp(a, b) || a - b);
  const split = (items, keyOf, titleOf) => {
    const groups = new Map();
    for (const i of items) { const k = keyOf(i); let g = groups.get(k); if (!g) groups.set(k, (g = [])); g.push(i); }
    return [...groups].map(([k, g]) => ({ key: k, title: titleOf(k), items: Int32Array.from(g) }));
  };
  if (sort === "source") {
    // The data comes in source, category, name order: split, do not sort.
    for (const s of split(list, (i) => SRC[i], (k) => D.sources[k])) {
      out.push({ title: s.title, groups: split(s.items, (i) => CAT[i], (k) => CAT_LABEL[k]) });
    }
  } else if (sort === "score" && SCORE) {
    out.push({ title: "Best score first", groups: [{ title: null, items: by((a, b) => SCORE[b] - SCORE[a] || GRD[a] - GRD[b]) }] });
  } else if (sort === "grade" || sort === "score") {
    const sorted = by((a, b) => GRD[a] - GRD[b]);
    for (const g of split(sorted, (i) => GRD[i], (k) => "Grade " + GRADES[k])) out.push({ title: g.title, groups: [{ title: null, items: g.items }] });
  } else if (sort === "brightness") {
    out.push({ title: "Brightest first", groups: [{ title: null, items: by((a, b) => HZ[b] - HZ[a]) }] });
  } else if (sort === "root") {
    const sorted = by((a, b) => (ROOT[a] < 0) - (ROOT[b] < 0) || (ROOT[a] % 12) - (ROOT[b] % 12) || ROOT[a] - ROOT[b]);
    for (const g of split(sorted, (i) => (ROOT[i] < 0 ? -1 : ROOT[i] % 12), (k) => (k < 0 ? "No root note" : "Root " + NOTES[k]))) out.push({ title: g.title, groups: [{ title: null, items: g.items }] });
  } else if (sort === "key") {
    const rank = new Int32Array(D.keys.length);
    D.keys.map((k, i) => [k, i]).sort((a, b) => a[0].localeCompare(b[0])).forEach(([, i], r) => { rank[i] = r; });
    const sorted = by((a, b) => (KEY[a] < 0) - (KEY[b] < 0) || (KEY[a] < 0 ? 0 : rank[KEY[a]] - rank[KEY[b]]));
    for (const g of split(sorted, (i) => KEY[i], (k) => (k < 0 ? "No key" : D.keys[k]))) out.push({ title: g.title, groups: [{ title: null, items: g.items }] });
  } else if (sort === "duration") {
    out.push({ title: "Longest first", groups: [{ title: null, items: by((a, b) => DUR[b] - DUR[a]) }] });
  }
  return out;
}
`;
