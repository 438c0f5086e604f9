/**
 * Page script, part 4: keep / reject / star, where the choices are kept, and the keyboard.
 *
 * Choices live in the browser's storage under the page's path (so a rebuilt page at the same place
 * finds them), merged on load with the selection.json the page was built with; a served page also
 * reads the live selection.json and writes every change back to it (POST, the server validates and
 * writes atomically). Merging keeps the latest decision per texture (choices.ts). A selection.json
 * that cannot be read is never overwritten.
 */
export const CHOOSE_JS = String.raw`
const STATE = new Int8Array(N), STAR = new Uint8Array(N);
const served = /^https?:$/.test(location.protocol);
// Per export folder (the build names it), so two exports served on one port never share choices.
const STORE_KEY = "patina.choices:" + D.id;
const chosenEl = $("chosen");
let choices = {}, saveTimer = 0, posting = null, postAgain = false, diskState = served ? "loading" : "none", diskError = "";

function applyChoices() {
  STATE.fill(0);
  STAR.fill(0);
  for (const f of Object.keys(choices)) {
    const c = choices[f];
    if (c.state === null) continue;
    const i = indexOfFile(f);
    if (i < 0) continue;
    STATE[i] = c.state === "keep" ? 1 : 2;
    STAR[i] = c.star ? 1 : 0;
  }
}
function readStore() {
  try {
    const o = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    return o && o.v === 1 && o.choices && typeof o.choices === "object" ? o.choices : {};
  } catch (e) { return {}; }
}
function loadChoices() {
  choices = mergeChoices(choicesFromFile(D.selection), readStore());
  if (Object.keys(choices).length) applyChoices();
  if (!served) return;
  fetch("selection.json", { cache: "no-store" }).then((res) => {
    if (res.status === 404 || res.status === 204) return null;
    if (!res.ok) throw new Error("HTTP " + res.status);
    return res.json();
  }).then((file) => {
    if (file !== null && !(file && file.version === 1 && file.textures && typeof file.textures === "object" && typeof file.updated === "string")) throw new Error("not a patina selection file");
    const disk = choicesFromFile(file);
    choices = mergeChoices(disk, choices);
    diskState = "ok";
    applyChoices();
    for (const el of live.values()) for (const a of el.querySelectorAll("article")) sync(Number(a.dataset.i));
    onChoices();
    // This browser knew choices the file does not have (or newer ones): write them back.
    if (JSON.stringify(selectionEntries(choices)) !== JSON.stringify(selectionEntries(disk))) post();
    else showChosen();
  }).catch((err) => { diskState = "unreadable"; diskError = "selection.json: " + (err && err.message ? err.message : String(err)); showChosen(); });
}
function selectionFile() {
  const t = latestChoice(choices);
  return { version: 1, updated: new Date(t || Date.now()).toISOString(), textures: selectionEntries(choices) };
}
function showChosen() {
  let kept = 0, starred = 0, rejected = 0;
  for (let i = 0; i < N; i++) { if (STATE[i] === 1) { kept++; starred += STAR[i]; } else if (STATE[i] === 2) rejected++; }
  const where = diskState === "ok" ? "saved to selection.json" : diskState === "saving" ? "saving\u2026"
    : diskState === "unreadable" || diskState === "failed" ? "kept in this browser only (" + diskError + ")" : diskState === "loading" ? "loading selection.json\u2026" : "kept in this browser";
  chosenEl.textContent = kept + " kept (" + starred + " starred), " + rejected + " rejected \u00B7 " + where;
}
function post() {
  if (diskState === "unreadable" || diskState === "loading") return;
  if (posting) { postAgain = true; return; }
  const body = JSON.stringify(selectionFile());
  diskState = "saving";
  showChosen();
  posting = fetch("selection.json", { method: "POST", headers: { "Content-Type": "application/json" }, body, keepalive: body.length < 60000 })
    .then(async (res) => {
      if (!res.ok) throw new Error((await res.text()) || "HTTP " + res.status);
      // Newer choices may be waiting to be sent.
      diskState = saveTimer || postAgain ? "saving" : "ok";
    })
    .catch((err) => { diskState = "failed"; diskError = "not saved: " + (err && err.message ? err.message : err); })
    .finally(() => { posting = null; showChosen(); if (postAgain) { postAgain = false; post(); } });
}
function save() {
  clearTimeout(saveTimer);
  saveTimer = 0;
  try { localStorage.setItem(STORE_KEY, JSON.stringify({ v: 1, choices })); if (!served) diskState = "none"; }
  catch (e) { if (!served) { diskState = "failed"; diskError = "browser storage full: download the selection"; } }
  if (served) post();
  showChosen();
}
function choose(i, state, star) {
  if (i < 0) return;
  choices[fileOf(i)] = { state, star: state === "keep" && star, at: Date.now() };
  STATE[i] = state === "keep" ? 1 : state === "reject" ? 2 : 0;
  STAR[i] = state === "keep" && star ? 1 : 0;
  sync(i);
  // Served: "saving" until the file has it (the page tells, and tests can wait for "ok").
  if (served && diskState === "ok") diskState = "saving";
  showChosen();
  onChoices();
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 250);
}
function toggleKeep(i) { if (i >= 0) choose(i, STATE[i] === 1 ? null : "keep", STAR[i] === 1); }
function toggleReject(i) { if (i >= 0) choose(i, STATE[i] === 2 ? null : "reject", false); }
function toggleStar(i) { if (i >= 0) choose(i, "keep", STATE[i] !== 1 || STAR[i] === 0); }
function onChoices() {
  // A facet count or a "kept only" view changes with the choices: recount, do not re-filter under the cursor.
  clearTimeout(onChoices.t);
  onChoices.t = setTimeout(() => { select(); }, 300);
}
addEventListener("pagehide", () => { if (saveTimer) save(); });
$("export").addEventListener("click", () => {
  const blob = new Blob([JSON.stringify(selectionFile(), null, 2) + "\n"], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "selection.json";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

function act(a, i) {
  if (a === "play") { if (i === playingIndex()) stop(); else play(i); }
  else if (a === "keep") toggleKeep(i);
  else if (a === "reject") toggleReject(i);
  else if (a === "star") toggleStar(i);
  else if (a === "cue") cue(i);
}
list.addEventListener("click", (e) => {
  const art = e.target.closest("article.card");
  if (!art) return;
  const i = Number(art.dataset.i);
  if (cur !== i) setCurrent(i, false);
  const b = e.target.closest("button[data-a]");
  if (b) act(b.dataset.a, i);
});
$("stop").addEventListener("click", stop);
const ARROWS = { ArrowRight: "right", ArrowLeft: "left", ArrowDown: "down", ArrowUp: "up" };
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (e.key === "Escape") { if (voice) { e.preventDefault(); stop(); } return; }
  if (t && t.closest && t.closest("input,select,textarea")) return;
  const btn = t && t.closest ? t.closest("button") : null;
  const art = t && t.closest ? t.closest("article.card") : null;
  const here = art ? Number(art.dataset.i) : cur;
  if (e.key === " ") {
    // Space presses a focused button other than a play button (Keep, Stop, ...) as usual.
    if (btn && !btn.classList.contains("play")) return;
    if (here >= 0) { e.preventDefault(); if (here === playingIndex()) stop(); else { if (cur !== here) setCurrent(here, false); play(here); } }
    else if (voice) { e.preventDefault(); stop(); }
    return;
  }
  if (ARROWS[e.key]) {
    if (t && t.closest && t.closest("#filters")) return;
    e.preventDefault();
    move(ARROWS[e.key]);
    return;
  }
  const k = e.key.toLowerCase();
  if (k === "/") { e.preventDefault(); fText.focus(); return; }
  const target = here >= 0 ? here : cur;
  if (target < 0 || !"kxsc".includes(k) || k.length !== 1) return;
  e.preventDefault();
  if (cur !== target) setCurrent(target, false);
  if (k === "k") toggleKeep(target);
  else if (k === "x") toggleReject(target);
  else if (k === "s") toggleStar(target);
  else cue(target);
});
`;
