// Per-frame kernels of the streaming analyser (src/analysis/frames.ts and features.ts), in
// AssemblyScript compiled to WebAssembly SIMD at build time (scripts/build-wasm.mjs). The same
// work in plain JavaScript cost about 25 us a frame on the reference machine, a third of a
// 5-minute make; here it needs no JIT warm-up and runs four lanes at a time.
//
// Memory is laid out by the JavaScript side (one instance per analyser); these functions only
// read and write the regions whose addresses they are given or were given in `setup`.

// Power spectrum (n/2 + 1 bins) from PFFFT's ordered real output of an n-point transform.
export { powerOrdered } from "./lib/frame";

import { sampleSums } from "./lib/stats";

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

// ---- time domain -------------------------------------------------------------------------------

/**
 * Sum, sum of squares (both f64), peak |x|, the count of |x| >= clipLevel and the first non-finite
 * sample's index (-1 if none) of `n` samples at `p`, written as five f64 at `out`.
 */
export function blockStats(p: usize, n: i32, clipLevel: f32, out: usize): void {
  sampleSums(p, n, clipLevel, out);
}

/** dst[i] = src[i] * win[i] for i < n (n a multiple of 4). */
export function windowMul(src: usize, win: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.mul(v128.load(src + o), v128.load(win + o)));
  }
}

/**
 * The first moment sum(i * x[i]) of n samples at p (f64), for the straight line the frame analyser
 * removes from each frame (its DC and sub-sonic rumble).
 */
export function blockMoment(p: usize, n: i32): f64 {
  let m0 = f64x2.splat(0);
  let m1 = f64x2.splat(0);
  let i0 = f64x2(0, 1);
  let i1 = f64x2(2, 3);
  const four = f64x2.splat(4);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(p + ((<usize>i) << 2));
    m0 = f64x2.add(m0, f64x2.mul(i0, f64x2.promote_low_f32x4(x)));
    m1 = f64x2.add(m1, f64x2.mul(i1, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1))));
    i0 = f64x2.add(i0, four);
    i1 = f64x2.add(i1, four);
  }
  const m = f64x2.add(m0, m1);
  let s = f64x2.extract_lane(m, 0) + f64x2.extract_lane(m, 1);
  for (; i < n; i++) s += <f64>i * <f64>load<f32>(p + ((<usize>i) << 2));
  return s;
}

/** dst[i] = (src[i] - (a + b * i)) * win[i] for i < n (n a multiple of 4): a line removed, then windowed. */
export function windowMulLine(src: usize, win: usize, dst: usize, n: i32, a: f32, b: f32): void {
  // The index vector counts exactly in f32 (n < 2^24), so each lane's line value is a + b i to 1 ulp.
  let iv = f32x4(0, 1, 2, 3);
  const av = f32x4.splat(a);
  const bv = f32x4.splat(b);
  const four = f32x4.splat(4);
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    const line = f32x4.add(av, f32x4.mul(bv, iv));
    v128.store(dst + o, f32x4.mul(f32x4.sub(v128.load(src + o), line), v128.load(win + o)));
    iv = f32x4.add(iv, four);
  }
}

// ---- spectral features -------------------------------------------------------------------------

const GROUP = 32;
const PC_RES: f64 = 16;
const DB_PER_NEPER_POWER: f64 = 10 / Math.LN10;

// Set once per instance by `setup` (addresses of the tables and scratch the JavaScript side filled).
let half: i32 = 0;
let nMel: i32 = 0;
let melStart: usize = 0;
let melW0: usize = 0;
let melW1: usize = 0;
let pcTable: usize = 0;
let chromaK0: i32 = 0;
let chromaK1: i32 = 0;
let mag: usize = 0;
let mel: usize = 0;
let prevLevel: usize = 0;
let chromaAcc: usize = 0;
let flatFloor: f32 = 0;
let magScale: f64 = 0;
let powScale: f64 = 0;
let floorPow: f64 = 0;
let binHz: f64 = 0;
let first = true;

export function setup(
  halfBins: i32,
  melBands: i32,
  melStartPtr: usize,
  melW0Ptr: usize,
  melW1Ptr: usize,
  pcTablePtr: usize,
  k0: i32,
  k1: i32,
  magPtr: usize,
  melPtr: usize,
  prevPtr: usize,
  chromaPtr: usize,
  flatFloorRaw: f64,
  magScaleIn: f64,
  floorPowIn: f64,
  binHzIn: f64,
): void {
  half = halfBins;
  nMel = melBands;
  melStart = melStartPtr;
  melW0 = melW0Ptr;
  melW1 = melW1Ptr;
  pcTable = pcTablePtr;
  chromaK0 = k0;
  chromaK1 = k1;
  mag = magPtr;
  mel = melPtr;
  prevLevel = prevPtr;
  chromaAcc = chromaPtr;
  flatFloor = <f32>flatFloorRaw;
  magScale = magScaleIn;
  powScale = magScaleIn * magScaleIn;
  floorPow = floorPowIn;
  binHz = binHzIn;
  first = true;
}

/**
 * Flatness, centroid, onset strength and chroma of one power spectrum (`half + 1` bins at `pow`),
 * written as 15 f64 at `out`: [flatness, centroidHz, onsetStrength, chroma 0..11].
 */
export function spectral(pow: usize, out: usize): void {
  memory.fill(mel, 0, (<usize>(nMel + 2)) << 3);
  memory.fill(chromaAcc, 0, 13 << 3);
  let arith: f64 = 0;
  let num: f64 = 0;
  let den: f64 = 0;
  let logGeo: f64 = 0;
  const eps = f32x4.splat(flatFloor);
  const four = f32x4.splat(4);
  // Bins 1..half in groups of 32: f32 partial sums per group, f64 across groups; the floored
  // powers multiply in f64 and one log is taken per group. 32 of them stay inside its range: a
  // bin's power lies between the floor (~1e-7 raw) and (window sum)^2 (~1e6 for 2048 points).
  let kv = f32x4(1, 2, 3, 4);
  for (let g = 0; g < half; g += GROUP) {
    let a = f32x4.splat(0);
    let nm = f32x4.splat(0);
    let dn = f32x4.splat(0);
    let p0 = f64x2.splat(1);
    let p1 = f64x2.splat(1);
    const len = min(GROUP, half - g);
    for (let j = 0; j < len; j += 4) {
      const off = (<usize>(g + 1 + j)) << 2;
      const p = v128.load(pow + off);
      a = f32x4.add(a, p);
      const fl = f32x4.max(p, eps);
      p0 = f64x2.mul(p0, f64x2.promote_low_f32x4(fl));
      p1 = f64x2.mul(p1, f64x2.promote_low_f32x4(v128.shuffle<f32>(fl, fl, 2, 3, 0, 1)));
      const m = f32x4.sqrt(p);
      v128.store(mag + off, m);
      nm = f32x4.add(nm, f32x4.mul(kv, m));
      dn = f32x4.add(dn, m);
      kv = f32x4.add(kv, four);
    }
    arith += sumLanes(a);
    num += sumLanes(nm);
    den += sumLanes(dn);
    const pr = f64x2.mul(p0, p1);
    logGeo += Math.log(f64x2.extract_lane(pr, 0) * f64x2.extract_lane(pr, 1));
  }
  // Mel bands: bins between mel points q and q+1 feed slots q and q+1 (see features.ts).
  for (let q = 0; q <= nMel; q++) {
    const end = load<i32>(melStart + ((<usize>(q + 1)) << 2));
    let k = load<i32>(melStart + ((<usize>q) << 2));
    let lo4 = f32x4.splat(0);
    let hi4 = f32x4.splat(0);
    for (; k + 4 <= end; k += 4) {
      const o = (<usize>k) << 2;
      const p = v128.load(pow + o);
      lo4 = f32x4.add(lo4, f32x4.mul(p, v128.load(melW0 + o)));
      hi4 = f32x4.add(hi4, f32x4.mul(p, v128.load(melW1 + o)));
    }
    let lo = sumLanes(lo4);
    let hi = sumLanes(hi4);
    for (; k < end; k++) {
      const o = (<usize>k) << 2;
      const p = <f64>load<f32>(pow + o);
      lo += p * <f64>load<f32>(melW0 + o);
      hi += p * <f64>load<f32>(melW1 + o);
    }
    const at = mel + ((<usize>q) << 3);
    store<f64>(at, load<f64>(at) + lo);
    store<f64>(at, load<f64>(at, 8) + hi, 8);
  }
  const n = <f64>half;
  const arithMean = arith / n;
  store<f64>(out, arithMean > <f64>flatFloor ? min(1.0, Math.exp(logGeo / n) / arithMean) : 1.0);
  store<f64>(out, den > 0 ? (num / den) * binHz : 0.0, 8);
  // Chroma from spectral peaks at their interpolated frequency, weighted by magnitude.
  for (let k = chromaK0; k <= chromaK1; k++) {
    const o = (<usize>k) << 2;
    const m = <f64>load<f32>(mag + o);
    const ml = <f64>load<f32>(mag + o - 4);
    const mr = <f64>load<f32>(mag + o + 4);
    if (m > ml && m >= mr) {
      const d2 = ml - 2 * m + mr;
      const delta = d2 < 0 ? (0.5 * (ml - mr)) / d2 : 0.0;
      const pc = <usize>load<i8>(pcTable + <usize>Math.round((<f64>k + delta) * PC_RES));
      const at = chromaAcc + (pc << 3);
      store<f64>(at, load<f64>(at) + m);
    }
  }
  for (let pc = 0; pc < 12; pc++)
    store<f64>(out + ((<usize>(3 + pc)) << 3), load<f64>(chromaAcc + ((<usize>pc) << 3)) * magScale);
  // Onset strength: mean rectified rise of the band levels (dB) since the previous frame.
  let flux: f64 = 0;
  for (let s = 1; s <= nMel; s++) {
    const e = load<f64>(mel + ((<usize>s) << 3)) * powScale;
    const level = DB_PER_NEPER_POWER * Math.log(max(e, floorPow));
    const at = prevLevel + ((<usize>s) << 3);
    const d = level - load<f64>(at);
    if (d > 0) flux += d;
    store<f64>(at, level);
  }
  store<f64>(out, first ? 0.0 : flux / <f64>nMel, 16);
  first = false;
}

function sumLanes(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) +
    <f64>f32x4.extract_lane(v, 1) +
    <f64>f32x4.extract_lane(v, 2) +
    <f64>f32x4.extract_lane(v, 3)
  );
}

/**
 * Adds sum(k * p[k]) and sum(p[k]) over bins k = 1 .. bins - 1 of the power spectrum at `pow` to
 * the two f64 at `out` (a power-weighted centroid accumulated over frames).
 */
export function centroidSums(pow: usize, bins: i32, out: usize): void {
  let num: f64 = 0;
  let den: f64 = 0;
  let kv = f32x4(1, 2, 3, 4);
  const four = f32x4.splat(4);
  let k = 1;
  for (; k + 16 <= bins; k += 16) {
    let nm = f32x4.splat(0);
    let dn = f32x4.splat(0);
    for (let j = 0; j < 16; j += 4) {
      const p = v128.load(pow + ((<usize>(k + j)) << 2));
      nm = f32x4.add(nm, f32x4.mul(kv, p));
      dn = f32x4.add(dn, p);
      kv = f32x4.add(kv, four);
    }
    num += sumLanes(nm);
    den += sumLanes(dn);
  }
  for (; k < bins; k++) {
    const p = <f64>load<f32>(pow + ((<usize>k) << 2));
    num += <f64>k * p;
    den += p;
  }
  store<f64>(out, load<f64>(out) + num);
  store<f64>(out, load<f64>(out, 8) + den, 8);
}

/**
 * One spectrogram column (src/report/render/spectrogram.ts): for each of `height` rows the largest
 * power over bins [lo, hi], or for rows narrower than a bin the power interpolated at `pos`, as dB
 * re `refPower`, into out[row * stride]. Returns the column's largest dB value.
 */
export function spectrogramColumn(
  pow: usize,
  rowLo: usize,
  rowHi: usize,
  rowPos: usize,
  height: i32,
  bins: i32,
  refPower: f64,
  out: usize,
  stride: i32,
): f64 {
  let maxDb = -Infinity;
  for (let y = 0; y < height; y++) {
    const lo = load<i32>(rowLo + ((<usize>y) << 2));
    const hi = load<i32>(rowHi + ((<usize>y) << 2));
    let p: f64 = 0;
    if (hi >= lo) {
      for (let k = lo; k <= hi; k++) {
        const v = <f64>load<f32>(pow + ((<usize>k) << 2));
        if (v > p) p = v;
      }
    } else {
      const pos = <f64>load<f32>(rowPos + ((<usize>y) << 2));
      const k0 = <i32>Math.floor(pos);
      const k1 = min(bins - 1, k0 + 1);
      const f = pos - <f64>k0;
      p = <f64>load<f32>(pow + ((<usize>k0) << 2)) * (1 - f) + <f64>load<f32>(pow + ((<usize>k1) << 2)) * f;
    }
    const db = 10 * Math.log10(p / refPower + 1e-30);
    store<f32>(out + ((<usize>(y * stride)) << 2), <f32>db);
    if (db > maxDb) maxDb = db;
  }
  return maxDb;
}

/**
 * Power of bins [edges[g], edges[g + 1]) for each of `groups` bands of the power spectrum at `pow`,
 * and the power of bins 1 .. bins - 1, written as f64 at `out`: [total, band 0, ..., band groups-1].
 */
export function bandPowers(pow: usize, bins: i32, edges: usize, groups: i32, out: usize): void {
  store<f64>(out, rangeSum(pow, 1, bins));
  for (let g = 0; g < groups; g++) {
    const lo = load<i32>(edges + ((<usize>g) << 2));
    const hi = load<i32>(edges + ((<usize>(g + 1)) << 2));
    store<f64>(out + ((<usize>(g + 1)) << 3), rangeSum(pow, lo, hi));
  }
}

/** Sum of the f32 values at p[lo .. hi) (f32 lanes, f64 total). */
function rangeSum(p: usize, lo: i32, hi: i32): f64 {
  let acc = f32x4.splat(0);
  let k = lo;
  for (; k + 4 <= hi; k += 4) acc = f32x4.add(acc, v128.load(p + ((<usize>k) << 2)));
  let s = sumLanes(acc);
  for (; k < hi; k++) s += <f64>load<f32>(p + ((<usize>k) << 2));
  return s;
}
