// The phase vocoder's per-frame work (src/dsp/vocoder.ts drives the frames, PFFFT does the
// transforms): windowing, spectral peaks, phase advance at each peak and the rotation of each
// peak's region, on spectra in PFFFT's ordered real layout [r0, r(N/2), r1, i1, r2, i2, ...].
// Polynomial atan2 and sine/cosine keep the per-peak trigonometry cheap (exported for the tests).

import { overlapAdd, powerOrdered, windowedFrame } from "./lib/frame";

export function heapBase(): usize {
  return __heap_base;
}

const HALF_PI: f64 = Math.PI / 2;
const QUARTER_PI: f64 = Math.PI / 4;
const TWO_PI: f64 = 2 * Math.PI;
/** tan(pi/8): above it, atan(z) = pi/4 + atan((z - 1) / (z + 1)) keeps the series argument small. */
const TAN_PI_8: f64 = Math.SQRT2 - 1;

/** atan(z) for |z| <= tan(pi/8): the Taylor series to z^21 (next term < 2e-10). */
function atanSmall(z: f64): f64 {
  const z2 = z * z;
  let p: f64 = 1.0 / 21;
  p = -1.0 / 19 + z2 * p;
  p = 1.0 / 17 + z2 * p;
  p = -1.0 / 15 + z2 * p;
  p = 1.0 / 13 + z2 * p;
  p = -1.0 / 11 + z2 * p;
  p = 1.0 / 9 + z2 * p;
  p = -1.0 / 7 + z2 * p;
  p = 1.0 / 5 + z2 * p;
  p = -1.0 / 3 + z2 * p;
  return z * (1 + z2 * p);
}

/** atan(z) for 0 <= z <= 1. */
function atanUnit(z: f64): f64 {
  return z <= TAN_PI_8 ? atanSmall(z) : QUARTER_PI + atanSmall((z - 1) / (z + 1));
}

/** atan2(y, x) in (-pi, pi], as Math.atan2 (atan2(0, 0) = 0); within 1e-8 rad. */
export function atan2(y: f64, x: f64): f64 {
  const ax = abs(x);
  const ay = abs(y);
  if (ax === 0 && ay === 0) return 0;
  let a = ay <= ax ? atanUnit(ay / ax) : HALF_PI - atanUnit(ax / ay);
  if (x < 0) a = Math.PI - a;
  return y < 0 ? -a : a;
}

let sinOut: f64 = 0;
let cosOut: f64 = 0;

/** Sine and cosine of t (accurate to ~1e-9 for |t| up to a few hundred), into sinOut / cosOut. */
export function sincos(t: f64): void {
  const q = <i32>Math.floor(t / HALF_PI + 0.5);
  const r = t - <f64>q * HALF_PI; // |r| <= pi/4
  const r2 = r * r;
  // Taylor series to r^11 / r^12 (error < 3e-10 on [-pi/4, pi/4]).
  let ps: f64 = -1.0 / 39916800;
  ps = 1.0 / 362880 + r2 * ps;
  ps = -1.0 / 5040 + r2 * ps;
  ps = 1.0 / 120 + r2 * ps;
  ps = -1.0 / 6 + r2 * ps;
  const s = r * (1 + r2 * ps);
  let pc: f64 = 1.0 / 479001600;
  pc = -1.0 / 3628800 + r2 * pc;
  pc = 1.0 / 40320 + r2 * pc;
  pc = -1.0 / 720 + r2 * pc;
  pc = 1.0 / 24 + r2 * pc;
  pc = -1.0 / 2 + r2 * pc;
  const c = 1 + r2 * pc;
  switch (q & 3) {
    case 0:
      sinOut = s;
      cosOut = c;
      break;
    case 1:
      sinOut = c;
      cosOut = -s;
      break;
    case 2:
      sinOut = -s;
      cosOut = -c;
      break;
    default:
      sinOut = -c;
      cosOut = s;
  }
}

export function sinResult(): f64 {
  return sinOut;
}

export function cosResult(): f64 {
  return cosOut;
}

function princarg(a: f64): f64 {
  return a - TWO_PI * Math.floor(a / TWO_PI + 0.5);
}

// Set by `setup` for one stretch: frame length, window, frame buffer and per-bin scratch.
let n: i32 = 0;
let half: i32 = 0;
let bins: i32 = 0;
let win: usize = 0;
let buf: usize = 0;
let mag2: usize = 0;
let peaks: usize = 0;

export function setup(fftSize: i32, winPtr: usize, bufPtr: usize, mag2Ptr: usize, peaksPtr: usize): void {
  n = fftSize;
  half = fftSize >> 1;
  bins = half + 1;
  win = winPtr;
  buf = bufPtr;
  mag2 = mag2Ptr;
  peaks = peaksPtr;
}

/** buf = the windowed frame of x (xLen samples) centred on `centre`, zeros outside x. */
export function frameIn(x: usize, xLen: i32, centre: i32): void {
  windowedFrame(x, xLen, centre, win, buf, n);
}

/** out[start + i] += buf[i] * win[i] (the inverse-transformed frame, overlap-added into `out`). */
export function olaAdd(out: usize, outLen: i32, start: i32): void {
  overlapAdd(out, outLen, buf, win, n, start);
}

/** Peak bins (louder than two neighbours on each side) into `peaks`; returns how many. */
function findPeaks(spec: usize, locking: bool): i32 {
  if (!locking) {
    for (let k = 0; k < bins; k++) store<i32>(peaks + ((<usize>k) << 2), k);
    return bins;
  }
  powerOrdered(spec, mag2, n);
  let count = 0;
  for (let k = 2; k < bins - 2; k++) {
    const at = mag2 + ((<usize>k) << 2);
    const v = load<f32>(at);
    if (v > load<f32>(at - 4) && v > load<f32>(at, 4) && v >= load<f32>(at - 8) && v >= load<f32>(at, 8)) {
      store<i32>(peaks + ((<usize>count) << 2), k);
      count++;
    }
  }
  if (count === 0) {
    store<i32>(peaks, 1);
    count = 1;
  }
  return count;
}

/**
 * The synthesis spectrum of one frame into `synth`. `reset` (first frame, transients): every bin
 * keeps its analysis phase (theta = 0). Otherwise each peak's phase advances at its measured
 * instantaneous frequency over the analysis hop `ha`, scaled to the synthesis hop `hs`, and its
 * whole region (half-way to the next peaks) turns by the same angle. `theta` / `prevTheta` hold the
 * synthesis-minus-analysis phase per bin of this and the previous frame.
 */
export function synthFrame(
  spec: usize,
  prevSpec: usize,
  theta: usize,
  prevTheta: usize,
  synth: usize,
  reset: bool,
  locking: bool,
  ha: f64,
  hs: f64,
): void {
  let count: i32;
  if (reset) {
    memory.fill(theta, 0, (<usize>bins) << 2);
    store<i32>(peaks, 0);
    count = 1;
  } else {
    count = findPeaks(spec, locking);
    const ratio = hs / max(1.0, ha);
    const omegaStep = (TWO_PI * ha) / <f64>n;
    let regionStart = 0;
    for (let p = 0; p < count; p++) {
      const k = load<i32>(peaks + ((<usize>p) << 2));
      // Phase advance from one atan2 of X * conj(Xprev), unwrapped around the bin's expected
      // advance omega * ha; theta = prevTheta + advance * (hs / ha - 1).
      const o = (<usize>k) << 3;
      const re = <f64>load<f32>(spec + o);
      const im = <f64>load<f32>(spec + o, 4);
      const pr = <f64>load<f32>(prevSpec + o);
      const pi = <f64>load<f32>(prevSpec + o, 4);
      const omegaHa = omegaStep * <f64>k;
      const advance = omegaHa + princarg(atan2(im * pr - re * pi, re * pr + im * pi) - omegaHa);
      const rot = <f32>princarg(<f64>load<f32>(prevTheta + ((<usize>k) << 2)) + advance * (ratio - 1));
      const regionEnd = p + 1 < count ? ((k + load<i32>(peaks + ((<usize>(p + 1)) << 2))) >> 1) + 1 : bins;
      for (let j = regionStart; j < regionEnd; j++) store<f32>(theta + ((<usize>j) << 2), rot);
      store<i32>(peaks + ((<usize>p) << 2), regionStart);
      regionStart = regionEnd;
    }
  }
  store<i32>(peaks + ((<usize>count) << 2), bins);
  for (let p = 0; p < count; p++) {
    const j0 = load<i32>(peaks + ((<usize>p) << 2));
    const j1 = load<i32>(peaks + ((<usize>(p + 1)) << 2));
    sincos(<f64>load<f32>(theta + ((<usize>j0) << 2)));
    const c = cosOut;
    const s = sinOut;
    let k = j0;
    // Bins 0 and N/2 are real in this layout (slots 0 and 1): they keep only the real part.
    if (k === 0) {
      store<f32>(synth, <f32>(<f64>load<f32>(spec) * c));
      k = 1;
    }
    const end = j1 === bins ? half : j1;
    for (; k < end; k++) {
      const o = (<usize>k) << 3;
      const re = <f64>load<f32>(spec + o);
      const im = <f64>load<f32>(spec + o, 4);
      store<f32>(synth + o, <f32>(re * c - im * s));
      store<f32>(synth + o, <f32>(re * s + im * c), 4);
    }
    if (j1 === bins) store<f32>(synth, <f32>(<f64>load<f32>(spec, 4) * c), 4);
  }
}
