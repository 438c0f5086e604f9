/**
 * Page script, part 5: the map of all textures (each a dot at its first two principal components,
 * coloured by category; hover plays, click goes to the card) and the nearest neighbours of the
 * current card, found in the page when asked for: one brute-force query over 50,000 cards takes a
 * few milliseconds, and the page carries no precomputed neighbour lists.
 */
export const MAP_JS = String.raw`
const mapEl = $("map"), tipEl = $("map-tip"), nearEl = $("near"), nearOf = $("near-of");
// Read at boot, after the first screen (the data sits after the script in the page).
let MAP = null, MX = null, MY = null;
/** Load .report/similar.js (after the first screen), then call done(). */
function loadSimilar(done) {
  const el = document.createElement("script");
  el.src = ".report/similar.js";
  el.onload = () => { readSimilar(); done(); };
  // Without it the page works, only without the map and neighbours.
  el.onerror = () => done();
  document.head.appendChild(el);
}
function readSimilar() {
  const s = typeof window.patinaSimilar === "string" ? JSON.parse(window.patinaSimilar) : null;
  // From another build (the page was rebuilt while this one was open): no map rather than a wrong one.
  if (!s || s.stamp !== D.stamp) return;
  D.map = s.map;
  D.near = s.near;
  MAP = s.map;
  if (MAP) { MX = Int16Array.from(MAP.x); MY = Int16Array.from(MAP.y); }
}
const GRID = 32, PAD = 8, HIT = 8;
let cellStart = null, cellItems = null, base = null, mw = 0, mh = 0, dpr = 1, booted = false;
let hoverI = -1, hoverTimer = 0, hoverPlayed = -1, nearList = [], nearTimer = 0, NEAR = null, nearMs = null;

function cellOf(v) { return Math.max(0, Math.min(GRID - 1, Math.floor((v * GRID) / 1001))); }
function buildGrid() {
  if (!MAP) return;
  const count = new Int32Array(GRID * GRID + 1);
  for (let i = 0; i < N; i++) if (MX[i] >= 0) count[cellOf(MX[i]) * GRID + cellOf(MY[i]) + 1]++;
  for (let c = 1; c <= GRID * GRID; c++) count[c] += count[c - 1];
  cellStart = count.slice();
  cellItems = new Int32Array(count[GRID * GRID]);
  for (let i = 0; i < N; i++) if (MX[i] >= 0) cellItems[count[cellOf(MX[i]) * GRID + cellOf(MY[i])]++] = i;
}
function px(i) { return PAD + (MX[i] / 1000) * (mw - 2 * PAD); }
function py(i) { return PAD + (1 - MY[i] / 1000) * (mh - 2 * PAD); }
/** "#rrggbb" and an alpha 0-255 as a little-endian RGBA pixel. */
function pixel(hex, alpha) { const v = parseInt(hex.slice(1), 16); return ((alpha << 24) | ((v & 255) << 16) | (v & 0xff00) | (v >> 16)) >>> 0; }
function drawBase() {
  if (!MAP || !booted) return;
  dpr = window.devicePixelRatio || 1;
  // The drawing covers the canvas's content box (inside its border).
  mw = mapEl.clientWidth;
  mh = mapEl.clientHeight;
  const W = (mapEl.width = Math.round(mw * dpr)), H = (mapEl.height = Math.round(mh * dpr));
  base = document.createElement("canvas");
  base.width = W;
  base.height = H;
  // Dots written as pixels: 50,000 fillRect calls cost half a second, this a few milliseconds.
  const img = new ImageData(W, H), out = new Uint32Array(img.data.buffer);
  const size = Math.max(1, Math.round((N <= 200 ? 6 : N <= 5000 ? 3 : 2) * dpr)), h = size >> 1;
  const dot = (i, v) => {
    const x0 = Math.round(px(i) * dpr) - h, y0 = Math.round(py(i) * dpr) - h;
    for (let y = Math.max(0, y0); y < Math.min(H, y0 + size); y++) for (let x = Math.max(0, x0); x < Math.min(W, x0 + size); x++) out[y * W + x] = v;
  };
  const dim = pixel("#5b6673", 90);
  for (let i = 0; i < N; i++) if (MX[i] >= 0 && posOf[i] < 0) dot(i, dim);
  for (let c = 0; c < 4; c++) {
    const v = pixel(COLOURS[c], 235);
    for (let i = 0; i < N; i++) if (MX[i] >= 0 && posOf[i] >= 0 && CAT[i] === c) dot(i, v);
  }
  base.getContext("2d").putImageData(img, 0, 0);
  drawOverlay();
}
function ring(g, i, r, colour, width) {
  if (i < 0 || MX[i] < 0) return;
  g.beginPath();
  g.arc(px(i), py(i), r, 0, 2 * Math.PI);
  g.strokeStyle = colour;
  g.lineWidth = width;
  g.stroke();
}
function drawOverlay() {
  if (!MAP || !base) return;
  const g = mapEl.getContext("2d");
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, mapEl.width, mapEl.height);
  g.drawImage(base, 0, 0);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  for (const [j] of nearList) ring(g, j, 5, "#ffd166", 1.5);
  ring(g, cur, 7, "#ffffff", 2);
  ring(g, playingIndex(), 9, "#8fe3d8", 2);
  ring(g, hoverI, 6, "#8fe3d8", 1.5);
}
/** The shown card nearest to (x, y) in CSS pixels within HIT pixels, or -1. */
function hit(x, y) {
  if (!cellStart) return -1;
  const sx = 1000 / (mw - 2 * PAD), sy = 1000 / (mh - 2 * PAD);
  const mx = (x - PAD) * sx, my = (1 - (y - PAD) / (mh - 2 * PAD)) * 1000;
  let best = -1, bd = HIT * HIT;
  for (let cx = cellOf(mx - HIT * sx); cx <= cellOf(mx + HIT * sx); cx++) {
    for (let cy = cellOf(my - HIT * sy); cy <= cellOf(my + HIT * sy); cy++) {
      const c = cx * GRID + cy;
      for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
        const j = cellItems[k];
        if (posOf[j] < 0) continue;
        const dx = px(j) - x, dy = py(j) - y, d = dx * dx + dy * dy;
        if (d < bd) { bd = d; best = j; }
      }
    }
  }
  return best;
}
function pointer(e) { const r = mapEl.getBoundingClientRect(); return hit(e.clientX - r.left - mapEl.clientLeft, e.clientY - r.top - mapEl.clientTop); }
if (mapEl) mapEl.addEventListener("pointermove", (e) => {
  const j = pointer(e);
  if (j === hoverI) return;
  hoverI = j;
  clearTimeout(hoverTimer);
  tipEl.hidden = j < 0;
  if (j >= 0) {
    tipEl.textContent = shown(j) + " \u00B7 " + D.sources[SRC[j]];
    // Kept inside the map (it is centred on the dot): a dot at the edge keeps its label readable.
    const half = tipEl.offsetWidth / 2;
    tipEl.style.left = Math.max(half, Math.min(mapEl.offsetWidth - half, px(j) + mapEl.clientLeft)) + "px";
    tipEl.style.top = py(j) + mapEl.clientTop + "px";
    // A short rest before playing, so sweeping across the map does not fire every dot.
    hoverTimer = setTimeout(() => { if (hoverI === j && playingIndex() !== j) { hoverPlayed = j; play(j); } }, 120);
  }
  drawOverlay();
});
if (mapEl) mapEl.addEventListener("pointerleave", () => {
  clearTimeout(hoverTimer);
  hoverI = -1;
  tipEl.hidden = true;
  if (hoverPlayed >= 0 && playingIndex() === hoverPlayed) stop();
  hoverPlayed = -1;
  drawOverlay();
});
if (mapEl) mapEl.addEventListener("click", (e) => {
  const j = pointer(e);
  if (j < 0) return;
  hoverPlayed = -1;
  setCurrent(j, true);
});

function nearVectors() {
  if (NEAR === null && D.near) {
    const m = D.near.m, bin = atob(D.near.q);
    NEAR = new Float32Array(bin.length);
    for (let k = 0; k < bin.length; k++) { const b = bin.charCodeAt(k); NEAR[k] = (b > 127 ? b - 256 : b) * D.near.scale[k % m]; }
    for (let i = 0; i < N; i++) if (bin.charCodeAt(i * m) === 128) NEAR[i * m] = NaN;
  }
  return NEAR;
}
function neighbours(i, k) {
  if (i < 0 || !D.near) return [];
  const v = nearVectors();
  const t0 = performance.now();
  const res = nearest(v, D.near.m, i, k, null);
  nearMs = performance.now() - t0;
  return res;
}
function showNear(i) {
  if (!D.near) return;
  nearList = neighbours(i, 8);
  nearOf.textContent = i < 0 ? "the current card (choose one)" : shown(i) + " (" + D.sources[SRC[i]] + ")";
  nearEl.innerHTML = i >= 0 && nearList.length === 0 ? '<li class="muted">No fingerprint for this texture.</li>' : nearList.map(([j, d]) => {
    const on = j === playingIndex();
    return '<li><button type="button" class="near-play" data-j="' + j + '" aria-pressed="' + on + '" aria-label="' + esc("Play " + baseOf(j)) + '">' + (on ? "\u25A0" : "\u25B6") + '</button><button type="button" class="go" data-go="' + j + '" title="' + esc(fileOf(j)) + '"><i class="cat" style="background:var(--' + CATS[CAT[j]] + ')"></i>' + esc(shown(j)) + ' <span class="muted">' + esc(D.sources[SRC[j]]) + (posOf[j] < 0 ? " \u00B7 hidden by the filters" : "") + '</span></button><span class="d" title="Distance in fingerprint space">' + d.toFixed(2) + "</span></li>";
  }).join("");
  drawOverlay();
}
function syncNear(i) {
  if (!nearEl) return;
  const on = i === playingIndex();
  for (const b of nearEl.querySelectorAll('button.near-play[data-j="' + i + '"]')) { b.setAttribute("aria-pressed", String(on)); b.textContent = on ? "\u25A0" : "\u25B6"; }
  drawOverlay();
}
if (nearEl) nearEl.addEventListener("click", (e) => {
  const p = e.target.closest("button.near-play");
  if (p) { const j = Number(p.dataset.j); if (j === playingIndex()) stop(); else play(j); return; }
  const g = e.target.closest("button.go");
  if (g) setCurrent(Number(g.dataset.go), true);
});
function onCurrent(i) {
  drawOverlay();
  clearTimeout(nearTimer);
  // Arrow keys held down move quickly: look for neighbours when the cursor rests.
  nearTimer = setTimeout(() => showNear(i), 60);
}
function onFiltered() { drawBase(); if (booted && D.near) showNear(cur); }
if (mapEl) new ResizeObserver(() => { if (booted && MAP && mapEl.clientWidth !== mw) drawBase(); }).observe(mapEl);
`;
