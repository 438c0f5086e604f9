/**
 * Page script, part 3: playback, one texture at a time, and A/B cueing.
 *
 * Loops whose loop points cover the whole file play on an <audio loop> element (exact, and works on
 * file://, where fetch() does not); loops with inner loop points play through Web Audio's
 * AudioBufferSourceNode (loopStart/loopEnd) when the page is served, with an approximate jump on
 * file://. Nothing is fetched before a click.
 *
 * A/B: while a texture plays, another can be cued (c, or its Cue button). The switch happens at the
 * playing texture's next loop boundary (a one-shot: its end), and the outgoing texture fades out
 * over XF_MS so the cut does not click. Between two Web Audio loops (served page, inner loop points)
 * the switch is scheduled on the audio clock, sample-exact; otherwise it is made on the first
 * animation frame within LEAD_S of the boundary (within a frame, about 16 ms).
 */
export const PLAY_JS = String.raw`
const els = [$("player"), $("player-b")], nowEl = $("now");
const XF_MS = 30, LEAD_S = 0.02;
let voice = null, cued = -1, cueRaf = 0, lastSwitch = null, actx = null, tokens = 0;
const buffers = new Map();

function playingIndex() { return voice ? voice.i : -1; }
function cuedIndex() { return cued; }
function innerLoop(i) { const l = LOOPS.get(i); return (FLG[i] & F_LOOP) && !(FLG[i] & F_WHOLE) && l ? l : null; }
function usesWebAudio(i) { return innerLoop(i) !== null && /^https?:$/.test(location.protocol) && !!window.AudioContext; }

function loadBuffer(i) {
  const url = urlOf(fileOf(i));
  let p = buffers.get(url);
  if (!p) {
    p = fetch(url).then((res) => { if (!res.ok) throw new Error("HTTP " + res.status); return res.arrayBuffer(); }).then((b) => actx.decodeAudioData(b));
    p.catch(() => buffers.delete(url));
    if (buffers.size >= 8) buffers.delete(buffers.keys().next().value);
    buffers.set(url, p);
  }
  return p;
}
function ensureContext() {
  // Created inside a click or key press, so no autoplay policy blocks it.
  if (!actx) actx = new AudioContext();
  if (actx.state === "suspended") actx.resume();
}

/** Start card i: on element el, or through Web Audio at context time "when" (0: now) fading in over fadeMs. */
function startVoice(i, el, when, fadeMs) {
  const v = { i, el: null, node: null, gain: null, t0: 0, dead: false, mode: null, raf: 0, lastT: 0, token: ++tokens };
  const inner = innerLoop(i);
  if (usesWebAudio(i)) {
    v.mode = "webaudio";
    ensureContext();
    loadBuffer(i).then((buf) => {
      if (v.dead) return;
      const node = actx.createBufferSource(), gain = actx.createGain();
      node.buffer = buf;
      node.loop = true;
      node.loopStart = inner[0];
      node.loopEnd = inner[1];
      node.connect(gain).connect(actx.destination);
      v.t0 = Math.max(actx.currentTime, when || 0);
      if (fadeMs) { gain.gain.setValueAtTime(0, v.t0); gain.gain.linearRampToValueAtTime(1, v.t0 + fadeMs / 1000); }
      node.start(v.t0);
      v.node = node;
      v.gain = gain;
    }).catch((err) => failed(v, err));
    return v;
  }
  v.mode = "element";
  v.el = el;
  clearInterval(el.fadeTimer);
  el.volume = 1;
  el.loop = (FLG[i] & F_LOOP) !== 0;
  el.src = urlOf(fileOf(i));
  el.play().catch((err) => failed(v, err));
  if (inner) {
    // file:// cannot fetch() for Web Audio: jump back at the loop end (approximate; --serve is exact).
    const tick = () => { if (v.dead) return; if (el.currentTime >= inner[1]) el.currentTime = inner[0]; v.raf = requestAnimationFrame(tick); };
    v.raf = requestAnimationFrame(tick);
  }
  return v;
}
/** Stop a voice now, or fade it out over fadeMs (from context time "at" for Web Audio). */
function endVoice(v, fadeMs, at) {
  if (!v) return;
  v.dead = true;
  cancelAnimationFrame(v.raf);
  if (v.mode === "webaudio") {
    const node = v.node, gain = v.gain;
    if (!node) return;
    if (fadeMs) {
      const t = Math.max(actx.currentTime, at || 0);
      gain.gain.setValueAtTime(1, t);
      gain.gain.linearRampToValueAtTime(0, t + fadeMs / 1000);
      node.stop(t + fadeMs / 1000 + 0.01);
    } else { try { node.stop(); } catch (e) {} }
    node.onended = () => node.disconnect();
    return;
  }
  const el = v.el;
  clearInterval(el.fadeTimer);
  if (!fadeMs) { if (!el.paused) el.pause(); return; }
  const steps = 6;
  let k = 0;
  el.fadeTimer = setInterval(() => {
    k++;
    el.volume = Math.max(0, 1 - k / steps);
    if (k >= steps) { clearInterval(el.fadeTimer); el.pause(); el.volume = 1; }
  }, fadeMs / steps);
}
function describe() {
  if (!voice) { nowEl.textContent = ""; return; }
  let t = "Playing " + shown(voice.i) + (FLG[voice.i] & F_LOOP ? " (loop)" : "");
  if (cued >= 0) t += " \u00B7 next: " + shown(cued) + (FLG[voice.i] & F_LOOP ? " at the loop end" : " when it ends");
  nowEl.textContent = t;
}
function play(i) {
  const old = voice, oldCue = cued;
  cancelCue();
  endVoice(old, 0);
  voice = startVoice(i, els[0], 0, 0);
  if (old) sync(old.i);
  if (oldCue >= 0) sync(oldCue);
  sync(i);
  describe();
}
function stop() {
  const old = voice, oldCue = cued;
  cancelCue();
  endVoice(old, 0);
  voice = null;
  if (old) sync(old.i);
  if (oldCue >= 0) sync(oldCue);
  describe();
}
function failed(v, err) {
  if (v !== voice) return;
  stop();
  nowEl.textContent = "Cannot play " + shown(v.i) + ": " + (err && err.message ? err.message : err);
}
function cancelCue() {
  cancelAnimationFrame(cueRaf);
  const c = cued;
  cued = -1;
  if (c >= 0) sync(c);
}
/** Where the voice is in its file (s), and the time left to its next loop boundary or its end (null: not known yet). */
function position(v) {
  if (v.mode === "webaudio") {
    if (!v.node) return null;
    const [ls, le] = [v.node.loopStart, v.node.loopEnd], pos = actx.currentTime - v.t0;
    if (pos < le) return { at: pos, left: le - pos };
    const into = (pos - le) % (le - ls);
    return { at: ls + into, left: le - ls - into };
  }
  const el = v.el, t = el.currentTime, inner = innerLoop(v.i);
  if (el.ended) return { at: t, left: 0 };
  const end = inner ? inner[1] : el.duration;
  if (!Number.isFinite(end)) return null;
  // A wrap between two frames: the boundary has just passed.
  if (t < v.lastT - 0.1) return { at: t, left: 0 };
  v.lastT = t;
  return { at: t, left: Math.max(0, end - t) };
}
function cue(i) {
  if (i < 0) return;
  if (!voice) { play(i); return; }
  if (i === voice.i || i === cued) { cancelCue(); describe(); return; }
  cancelCue();
  cued = i;
  sync(i);
  describe();
  if (usesWebAudio(i)) { ensureContext(); loadBuffer(i); }
  const watch = () => {
    if (cued !== i || !voice) return;
    const p = position(voice);
    if (p !== null) {
      // Both on the audio clock: schedule the switch at the boundary itself.
      if (voice.mode === "webaudio" && usesWebAudio(i) && p.left < 0.25 && p.left > 0.005) {
        const url = urlOf(fileOf(i));
        buffers.get(url).then(() => { if (cued === i && voice && voice.mode === "webaudio") switchNow(p, actx.currentTime + position(voice).left); });
        cueRaf = -1;
        return;
      }
      if (p.left <= LEAD_S) { switchNow(p, 0); return; }
    }
    cueRaf = requestAnimationFrame(watch);
  };
  cueRaf = requestAnimationFrame(watch);
}
function switchNow(p, at) {
  const old = voice, i = cued;
  cued = -1;
  voice = startVoice(i, old.el === els[0] ? els[1] : els[0], at, at ? XF_MS : 0);
  endVoice(old, XF_MS, at);
  lastSwitch = { from: old.i, to: i, at: p.at, left: p.left, exact: at > 0 };
  sync(old.i);
  sync(i);
  describe();
}
for (const el of els) {
  el.addEventListener("ended", () => {
    if (!voice || voice.el !== el || el.loop) return;
    if (cued >= 0) switchNow({ at: el.currentTime, left: 0 }, 0); else stop();
  });
}
`;
