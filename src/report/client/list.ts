/**
 * Page script, part 2: the virtual card list. The shown cards are laid out as rows of fixed height
 * (source heading, category heading, a row of cards), so the list knows every row's position
 * without measuring; only the rows on screen (plus a margin) exist in the document, added and
 * removed as the page scrolls. 50,000 cards cost the same to scroll as 50.
 */
export const LIST_JS = String.raw`
const list = $("list"), emptyEl = $("empty"), countEl = $("count"), bar = $("filters");
const tpl = document.createElement("template");
let order = new Int32Array(0);
const posOf = new Int32Array(N).fill(-1);
let rowOfPos = new Int32Array(0);
// Rows: kind 0 = h2, 1 = h3, 2 = cards [a, b) of order.
let R = { n: 0, kind: new Int8Array(0), top: new Float64Array(0), h: new Float64Array(0), a: new Int32Array(0), b: new Int32Array(0), text: [] };
let secs = [], cols = 1, cur = -1, showSource = false;
const live = new Map();
let liveLo = 0, liveHi = 0;

function metaOf(i) {
  const parts = [fmtDur(DUR[i]) + " " + (FLG[i] & F_LOOP ? "loop" : "one-shot"), BRIGHT[BRI[i]] + (HZ[i] >= 0 ? " " + HZ[i] + " Hz" : "")];
  if (KEY[i] >= 0) parts.push(D.keys[KEY[i]]);
  if (ROOT[i] >= 0) {
    let r = "root " + noteName(ROOT[i]);
    if (D.rootCents && D.rootCents[i] !== null) r += " " + (D.rootCents[i] >= 0 ? "+" : "") + D.rootCents[i] + " c";
    if (D.rootConf && D.rootConf[i] >= 0) r += " (" + D.rootConf[i] + "% sure)";
    parts.push(r);
  }
  if (D.seam[i] !== null) parts.push("seam " + (D.seam[i] > 0 ? "+" : "") + (D.seam[i] / 10).toFixed(1) + " dB");
  return parts.join(" \u00B7 ");
}
function cardClass(i) {
  const st = STATE[i];
  return "card" + (i === playingIndex() ? " playing" : "") + (i === cur ? " current" : "") + (i === cuedIndex() ? " cued" : "")
    + (st === 1 ? (STAR[i] ? " kept starred" : " kept") : st === 2 ? " rejected" : "");
}
function actButton(cls, a, on, label, text, key) {
  return '<button type="button" class="' + cls + '" data-a="' + a + '" aria-pressed="' + on + '" title="' + label + " (" + key + ')">' + text + "</button>";
}
function cardHtml(i, pos, defer) {
  const src = defer ? '" data-src="' : '" src="';
  const on = i === playingIndex(), base = baseOf(i), g = GRADES[GRD[i]];
  let h = '<article class="' + cardClass(i) + '" data-i="' + i + '" data-file="' + esc(fileOf(i)) + '" tabindex="-1" aria-posinset="' + (pos + 1) + '" aria-setsize="' + order.length + '" aria-label="' + esc(base) + '">';
  h += '<div class="top"><button type="button" class="play" data-a="play" aria-pressed="' + on + '" aria-label="' + esc("Play " + base + (FLG[i] & F_LOOP ? " (loop)" : " (one-shot)")) + '">' + (on ? "\u25A0" : "\u25B6") + "</button>";
  h += '<h4 class="name" title="' + esc(fileOf(i)) + '"><i class="cat" style="background:var(--' + CATS[CAT[i]] + ')"></i>' + esc(shown(i)) + (showSource ? ' <span class="muted">' + esc(D.sources[SRC[i]]) + "</span>" : "") + "</h4>";
  if (SCORE && SCORE[i] >= 0) h += '<b class="score" title="Quality score, 0-100">' + SCORE[i] + "</b>";
  h += '<b class="grade grade-' + g + '" title="' + esc("Grade " + g + ": " + D.reasons[D.why[i]]) + '">' + g + "</b></div>";
  h += '<div class="pics">';
  h += FLG[i] & F_WAVE ? '<img class="wave' + src + imageOf(i, "wave") + '" decoding="async" width="' + D.images.waveform.width + '" height="' + D.images.waveform.height + '" alt="Waveform of ' + esc(base) + '">'
    : '<p class="nowave">audio file missing</p>';
  if (FLG[i] & F_SPEC) h += '<img class="spec' + src + imageOf(i, "spec") + '" decoding="async" width="' + D.images.spectrogram.width + '" height="' + D.images.spectrogram.height + '" alt="Spectrogram of ' + esc(base) + '">';
  const meta = metaOf(i);
  h += '</div><p class="meta" title="' + esc(meta) + '">' + esc(meta) + "</p>";
  h += '<div class="acts">' + actButton("k", "keep", STATE[i] === 1, "Keep", "\u2713 Keep", "k") + actButton("x", "reject", STATE[i] === 2, "Reject", "\u2715 Reject", "x")
    + actButton("s", "star", STAR[i] === 1, "Star", "\u2605", "s") + actButton("c", "cue", i === cuedIndex(), "Cue: switch to it at the loop end", "Cue", "c") + "</div></article>";
  return h;
}
function heading(title, n) { return esc(title) + ' <span class="muted">(' + n + ")</span>"; }

/** Rows for the current sections and column count. */
function buildRows() {
  let n = 0;
  for (const s of secs) { n++; for (const g of s.groups) n += (g.title ? 1 : 0) + Math.ceil(g.items.length / cols); }
  R = { n, kind: new Int8Array(n), top: new Float64Array(n), h: new Float64Array(n), a: new Int32Array(n), b: new Int32Array(n), text: new Array(n) };
  let total = 0;
  for (const s of secs) total += s.groups.reduce((t, g) => t + g.items.length, 0);
  order = new Int32Array(total);
  rowOfPos = new Int32Array(total);
  posOf.fill(-1);
  let r = 0, y = 0, p = 0;
  const push = (kind, h, text) => { R.kind[r] = kind; R.top[r] = y; R.h[r] = h; R.text[r] = text; y += h; return r++; };
  for (const s of secs) {
    push(0, L.h2, heading(s.title, s.groups.reduce((t, g) => t + g.items.length, 0)));
    for (const g of s.groups) {
      if (g.title) push(1, L.h3, heading(g.title, g.items.length));
      for (let k = 0; k < g.items.length; k += cols) {
        const row = push(2, L.card + L.gap, null);
        R.a[row] = p;
        for (let c = k; c < Math.min(k + cols, g.items.length); c++) { const i = g.items[c]; order[p] = i; posOf[i] = p; rowOfPos[p] = row; p++; }
        R.b[row] = p;
      }
    }
  }
  list.style.height = y + "px";
}
function rowHtml(r, defer) {
  const k = R.kind[r];
  if (k === 0) return '<div class="row r2" style="top:' + R.top[r] + 'px"><h2>' + R.text[r] + "</h2></div>";
  if (k === 1) return '<div class="row r3" style="top:' + R.top[r] + 'px"><h3>' + R.text[r] + "</h3></div>";
  let h = '<div class="row cards" style="top:' + R.top[r] + "px;grid-template-columns:repeat(" + cols + ',minmax(0,1fr))">';
  for (let p = R.a[r]; p < R.b[r]; p++) h += cardHtml(order[p], p, defer);
  return h + "</div>";
}
function rowsEl(from, to, defer) {
  let h = "";
  for (let r = from; r < to; r++) h += rowHtml(r, defer);
  tpl.innerHTML = h;
  const els = [...tpl.content.children];
  els.forEach((el, k) => live.set(from + k, el));
  return els;
}
/** Bring the rows on screen (and a margin) into the document, drop the others; keeps document order. */
let fillTimer = 0;
function paint(over, settle, defer) {
  if (R.n === 0) return;
  if (over === undefined) over = L.overscan;
  const top = list.getBoundingClientRect().top;
  const y0 = -top - over, y1 = -top + innerHeight + over;
  let lo = 0, hi = R.n;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (R.top[mid] + R.h[mid] <= y0) lo = mid + 1; else hi = mid; }
  let last = lo;
  while (last < R.n && R.top[last] < y1) last++;
  const first = lo;
  // A jump (scrollbar dragged, End key, a fling): draw only what is on screen now, without its
  // images; the margin and the images come when the page has rested for a moment, so rows that only
  // fly past cost no image loads.
  if (settle && over > 0 && live.size > 0 && (first >= liveHi || last <= liveLo)) {
    paint(0, false, true);
    clearTimeout(fillTimer);
    fillTimer = setTimeout(() => {
      paint(L.overscan);
      for (const img of list.querySelectorAll("img[data-src]")) { img.src = img.dataset.src; img.removeAttribute("data-src"); }
    }, 100);
    return;
  }
  if (first >= liveHi || last <= liveLo) {
    for (const el of live.values()) el.remove();
    live.clear();
    list.append(...rowsEl(first, last, defer));
  } else {
    for (let r = liveLo; r < first; r++) { live.get(r).remove(); live.delete(r); }
    for (let r = last; r < liveHi; r++) { live.get(r).remove(); live.delete(r); }
    if (first < liveLo) list.prepend(...rowsEl(first, liveLo, defer));
    if (last > liveHi) list.append(...rowsEl(liveHi, last, defer));
  }
  liveLo = first;
  liveHi = last;
}
function colsFor(w) { return Math.max(1, Math.floor((w + L.gap) / (L.minCard + L.gap))); }
function relayout() {
  const w = list.clientWidth;
  lastWidth = w;
  cols = colsFor(w);
  buildRows();
  for (const el of live.values()) el.remove();
  live.clear();
  liveLo = liveHi = 0;
  document.documentElement.style.setProperty("--bar-h", bar.offsetHeight + 8 + "px");
  paint();
}
function cardEl(i) { return list.querySelector('article[data-i="' + i + '"]'); }
/** Update a card on screen in place (classes and pressed states), keeping focus where it is. */
function sync(i) {
  if (i < 0) return;
  syncNear(i);
  const el = cardEl(i);
  if (!el) return;
  el.className = cardClass(i);
  const on = i === playingIndex();
  const play = el.querySelector(".play");
  play.setAttribute("aria-pressed", String(on));
  play.textContent = on ? "\u25A0" : "\u25B6";
  el.querySelector(".k").setAttribute("aria-pressed", String(STATE[i] === 1));
  el.querySelector(".x").setAttribute("aria-pressed", String(STATE[i] === 2));
  el.querySelector(".s").setAttribute("aria-pressed", String(STAR[i] === 1));
  el.querySelector(".c").setAttribute("aria-pressed", String(i === cuedIndex()));
}
/** Scroll so that card i is on screen below the sticky filter bar. */
function reveal(i) {
  const p = posOf[i];
  if (p < 0) return;
  const top = list.getBoundingClientRect().top + R.top[rowOfPos[p]];
  const min = bar.offsetHeight + 8;
  if (top < min) window.scrollBy(0, top - min);
  else if (top + L.card > innerHeight - 8) window.scrollBy(0, top + L.card - innerHeight + 8);
  paint();
}
function setCurrent(i, focus) {
  const old = cur;
  cur = i;
  sync(old);
  if (i >= 0) {
    if (focus) reveal(i);
    sync(i);
    const el = cardEl(i);
    if (focus && el && !el.contains(document.activeElement)) el.focus({ preventScroll: true });
  }
  onCurrent(i);
}
function firstOnScreen() {
  const top = list.getBoundingClientRect().top, min = bar.offsetHeight;
  for (let r = 0; r < R.n; r++) if (R.kind[r] === 2 && top + R.top[r] >= min - L.card / 2) return order[R.a[r]];
  return order.length ? order[0] : -1;
}
function move(dir) {
  if (order.length === 0) return;
  let p = cur >= 0 ? posOf[cur] : -1;
  if (p < 0) { setCurrent(firstOnScreen(), true); return; }
  if (dir === "right") p = Math.min(order.length - 1, p + 1);
  else if (dir === "left") p = Math.max(0, p - 1);
  else {
    const r = rowOfPos[p], col = p - R.a[r], step = dir === "down" ? 1 : -1;
    let q = r + step;
    while (q >= 0 && q < R.n && R.kind[q] !== 2) q += step;
    if (q < 0 || q >= R.n) return;
    p = Math.min(R.a[q] + col, R.b[q] - 1);
  }
  setCurrent(order[p], true);
}
/** Apply the filters and the sort: new sections, new rows, the counts, the map. */
function render() {
  document.documentElement.dataset.complete = "false";
  const shownList = select();
  showSource = fSort.value !== "source";
  secs = sections(shownList);
  relayout();
  emptyEl.hidden = shownList.length > 0;
  countEl.textContent = "Showing " + shownList.length + " of " + N + " textures";
  onFiltered();
  // Before the first frame the map is still to come (boot marks the page complete).
  if (booted) document.documentElement.dataset.complete = "true";
}
addEventListener("scroll", () => paint(L.overscan, true), { passive: true });
let lastWidth = 0;
new ResizeObserver(() => {
  const w = list.clientWidth;
  if (w === lastWidth) return;
  lastWidth = w;
  // Same number of columns (a scrollbar came or went): the rows stand as they are.
  if (colsFor(w) === cols) { paint(); return; }
  const keep = cur;
  relayout();
  if (keep >= 0) reveal(keep);
}).observe(list);
`;
