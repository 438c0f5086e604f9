// Harmonic/percussive separation's per-frame and per-spectrogram work (src/dsp/hpss.ts drives it,
// PFFFT does the transforms). The median along time runs row by row with one small sorted window
// per bin, so the magnitude spectrogram is read in memory order: the column-by-column version in
// JavaScript jumped a whole row per step and was bound by memory, which two tracks at once share.

import { overlapAdd, powerOrdered, windowedFrame } from "./lib/frame";

export function heapBase(): usize {
  return __heap_base;
}

let n: i32 = 0;
let half: i32 = 0;
let bins: i32 = 0;
let win: usize = 0;
let buf: usize = 0;

export function setup(fftSize: i32, winPtr: usize, bufPtr: usize): void {
  n = fftSize;
  half = fftSize >> 1;
  bins = half + 1;
  win = winPtr;
  buf = bufPtr;
}

/** buf = the windowed frame of x (xLen samples) centred on `centre`, zeros outside x. */
export function frameIn(x: usize, xLen: i32, centre: i32): void {
  windowedFrame(x, xLen, centre, win, buf, n);
}

/** out[start + i] += buf[i] * win[i] (an inverse-transformed frame, overlap-added into `out`). */
export function olaAdd(out: usize, outLen: i32, start: i32): void {
  overlapAdd(out, outLen, buf, win, n, start);
}

/** Magnitudes (bins values) of an ordered spectrum into `row`. */
export function magnitudes(spec: usize, row: usize): void {
  powerOrdered(spec, row, n);
  let k = 0;
  for (; k + 4 <= bins; k += 4) {
    const at = row + ((<usize>k) << 2);
    v128.store(at, f32x4.sqrt(v128.load(at)));
  }
  for (; k < bins; k++) {
    const at = row + ((<usize>k) << 2);
    store<f32>(at, sqrt<f32>(load<f32>(at)));
  }
}

/** Index i in [0, count) mirrored at both ends (…, 2, 1, 0, 1, 2, …, count-1, count-2, …). */
function reflect(i: i32, count: i32): i32 {
  if (count === 1) return 0;
  let j = i;
  while (j < 0 || j >= count) j = j < 0 ? -j : 2 * (count - 1) - j;
  return j;
}

/** Insert v into the sorted run w[0..len) (room for one more). */
function insertSorted(w: usize, len: i32, v: f32): void {
  let i = len;
  while (i > 0) {
    const prev = load<f32>(w + ((<usize>(i - 1)) << 2));
    if (prev <= v) break;
    store<f32>(w + ((<usize>i) << 2), prev);
    i--;
  }
  store<f32>(w + ((<usize>i) << 2), v);
}

/** Remove one copy of v from the sorted run w[0..len). */
function removeSorted(w: usize, len: i32, v: f32): void {
  let i = 0;
  while (i < len - 1 && load<f32>(w + ((<usize>i) << 2)) !== v) i++;
  for (let j = i; j < len - 1; j++) store<f32>(w + ((<usize>j) << 2), load<f32>(w + ((<usize>(j + 1)) << 2)));
}

/**
 * Median along time of the `frames` x `bins` magnitudes at `mag` (window `hk` frames, odd,
 * mirrored at the ends), in place. `windows` holds bins x hk floats, `ring` (hk + 1) x bins floats:
 * the original rows the sliding windows still have to drop after they were overwritten.
 */
export function medianAlongTime(mag: usize, frames: i32, hk: i32, windows: usize, ring: usize): void {
  const hh = hk >> 1;
  const rows = hk + 1;
  const rowBytes = (<usize>bins) << 2;
  for (let d = -hh; d <= hh; d++) {
    const r = mag + <usize>reflect(d, frames) * rowBytes;
    for (let k = 0; k < bins; k++) {
      insertSorted(windows + <usize>(k * hk) * 4, d + hh, load<f32>(r + ((<usize>k) << 2)));
    }
  }
  for (let t = 0; t < frames; t++) {
    const row = mag + <usize>t * rowBytes;
    memory.copy(ring + <usize>(t % rows) * rowBytes, row, rowBytes);
    for (let k = 0; k < bins; k++)
      store<f32>(row + ((<usize>k) << 2), load<f32>(windows + <usize>(k * hk + hh) * 4));
    if (t + 1 >= frames) break;
    // Slide: drop frame t - hh, add frame t + hh + 1 (originals: the ring for rows already done).
    const out = reflect(t - hh, frames);
    const inc = reflect(t + hh + 1, frames);
    const outRow = out <= t ? ring + <usize>(out % rows) * rowBytes : mag + <usize>out * rowBytes;
    const incRow = inc <= t ? ring + <usize>(inc % rows) * rowBytes : mag + <usize>inc * rowBytes;
    for (let k = 0; k < bins; k++) {
      const w = windows + <usize>(k * hk) * 4;
      removeSorted(w, hk, load<f32>(outRow + ((<usize>k) << 2)));
      insertSorted(w, hk - 1, load<f32>(incRow + ((<usize>k) << 2)));
    }
  }
}

/**
 * One frame's soft masks: `m` gets the spectrum's magnitudes, `perc` their median along frequency
 * (pk bins, mirrored), then with the harmonic-enhanced row `harm` the Wiener-like masks
 * h^p / (h^p + q^p) split the spectrum into `hSpec` and `pSpec` (ordered layout, like `spec`).
 * `window` is scratch for pk floats.
 */
export function masks(
  spec: usize,
  harm: usize,
  m: usize,
  perc: usize,
  window: usize,
  pk: i32,
  p: f64,
  hSpec: usize,
  pSpec: usize,
): void {
  magnitudes(spec, m);
  const ph = pk >> 1;
  for (let d = -ph; d <= ph; d++)
    insertSorted(window, d + ph, load<f32>(m + ((<usize>reflect(d, bins)) << 2)));
  for (let k = 0; k < bins; k++) {
    store<f32>(perc + ((<usize>k) << 2), load<f32>(window + ((<usize>ph) << 2)));
    if (k + 1 < bins) {
      removeSorted(window, pk, load<f32>(m + ((<usize>reflect(k - ph, bins)) << 2)));
      insertSorted(window, pk - 1, load<f32>(m + ((<usize>reflect(k + ph + 1, bins)) << 2)));
    }
  }
  const square = p === 2;
  for (let k = 0; k < bins; k++) {
    const h = <f64>load<f32>(harm + ((<usize>k) << 2));
    const q = <f64>load<f32>(perc + ((<usize>k) << 2));
    const hp = square ? h * h : h ** p;
    const qp = square ? q * q : q ** p;
    const sum = hp + qp;
    const mh = sum > 1e-30 ? hp / sum : 0.5;
    // Bins 0 and N/2 are the real pair in slots 0 and 1; bin k > 0 is at 2k, 2k + 1.
    if (k === 0 || k === half) {
      const o: usize = k === 0 ? 0 : 4;
      const re = <f64>load<f32>(spec + o);
      store<f32>(hSpec + o, <f32>(re * mh));
      store<f32>(pSpec + o, <f32>(re - re * mh));
    } else {
      const o = (<usize>k) << 3;
      const re = <f64>load<f32>(spec + o);
      const im = <f64>load<f32>(spec + o, 4);
      store<f32>(hSpec + o, <f32>(re * mh));
      store<f32>(hSpec + o, <f32>(im * mh), 4);
      store<f32>(pSpec + o, <f32>(re - re * mh));
      store<f32>(pSpec + o, <f32>(im - im * mh), 4);
    }
  }
}
