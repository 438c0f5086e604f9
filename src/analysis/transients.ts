/**
 * Percussive hits under sustained sound. The onset flux (features.ts) averages the level rise over
 * 40 mel bands, so a kick that rises 30 dB in the two bands below 250 Hz moves it by 1.5 dB and
 * goes unseen under a chord. Here the spectrum is cut into six broad bands (kick, low-mid, mid,
 * presence, high, air) and a frame's transient strength is the largest, over the bands, of
 *
 *   min(rise, fall)   rise = band level - level 46-58 ms before (power mean)
 *                     fall = band level - level 116-163 ms after
 *
 in dB, less 1.5 x the band's typical level change over 46 ms (its median). A hit is short along
 * time: it rises out of what was there within 46-58 ms and falls back soon, which is the
 * harmonic/percussive split's criterion (Fitzgerald 2010) measured on a handful of bands. A chord
 * change or a swell rises and stays (fall ~ 0); a beating partial rises over 100 ms and more, not
 * within 50 ms; noise wanders by a few dB, which its spread takes away. Levels are floored 40 dB
 * below the frame's whole level, so an empty band (the air above a dark chord) cannot flicker into
 * a hit.
 *
 * Pure functions over band levels; the frame analyser (frames.ts) and the texture profile
 * (quality/profile.ts) both use them, at their own frame rates.
 */
import { ParameterError } from "../core/errors.js";

/** Band edges (Hz): [30, 150) kick, [150, 400), [400, 1000), [1000, 2500), [2500, 6000), [6000, 16000) air. */
export const TRANSIENT_BAND_EDGES_HZ: readonly number[] = [30, 150, 400, 1000, 2500, 6000, 16000];
export const TRANSIENT_BANDS = TRANSIENT_BAND_EDGES_HZ.length - 1;

export interface TransientOptions {
  /** Reference before the frame: frames whose centres lie this far before it (s). */
  riseFromSec: number;
  riseToSec: number;
  /** Reference after the frame (s). */
  fallFromSec: number;
  fallToSec: number;
  /** A frame whose strength reaches this (dB) and is the largest around it is a hit. */
  thresholdDb: number;
  /** Least time between two hits (s); also the neighbourhood a hit must be the maximum of. */
  minSpacingSec: number;

  /**
   * A band's strength is lowered by this many times its typical level change over 46 ms (the
   * median of |level - level 46 ms before|): noise, whose short-term level wanders by a few dB,
   * must rise further than a steady chord before it counts as a hit.
   */
  spreadWeight: number;
  /** Band levels are floored this far (dB) below the frame's whole level. */
  relativeFloorDb: number;
  /** ... and at this absolute level (dB re a full-scale sine). */
  absoluteFloorDb: number;
}

export const DEFAULT_TRANSIENT_OPTIONS: Readonly<TransientOptions> = Object.freeze({
  riseFromSec: 0.058,
  riseToSec: 0.046,
  fallFromSec: 0.116,
  fallToSec: 0.163,
  thresholdDb: 6,
  minSpacingSec: 0.05,
  spreadWeight: 1.5,
  relativeFloorDb: 40,
  absoluteFloorDb: -90,
});

/** FFT bin ranges `[edges[b], edges[b + 1])` of the transient bands (empty above Nyquist). */
export function transientBandBins(sampleRate: number, fftSize: number): Int32Array {
  const half = fftSize / 2;
  const binHz = sampleRate / fftSize;
  const edges = new Int32Array(TRANSIENT_BANDS + 1);
  for (let b = 0; b <= TRANSIENT_BANDS; b++) {
    edges[b] = Math.min(half, Math.max(1, Math.ceil(TRANSIENT_BAND_EDGES_HZ[b] / binHz)));
  }
  return edges;
}

/**
 * Band powers of one frame into `out[at .. at + bands)`, floored, from the raw band powers and the
 * frame's whole power (all in the same unit; `scale` converts them to a full-scale sine = 1).
 */
export function bandPowersInto(
  total: number,
  bandPower: ArrayLike<number>,
  bandOffset: number,
  scale: number,
  out: Float32Array,
  at: number,
  o: TransientOptions = DEFAULT_TRANSIENT_OPTIONS,
): void {
  const floor = Math.max(total * scale * 10 ** (-o.relativeFloorDb / 10), 10 ** (o.absoluteFloorDb / 10));
  for (let b = 0; b < TRANSIENT_BANDS; b++) {
    const p = bandPower[bandOffset + b] * scale;
    out[at + b] = p > floor ? p : floor;
  }
}

/** Spread histogram: |level change| in steps of 0.05 dB up to 40 dB. */
const SPREAD_STEP_DB = 0.05;
const SPREAD_BINS = 800;
const SPREAD_STRIDE = 4;
const DB_PER_LN = 10 / Math.LN10;

/**
 * Transient strength (dB, >= 0) of every frame from floored band powers (`power[bands * t + b]`,
 * from bandPowersInto) at `frameRate` frames per second. With `circular` (a loop) the references
 * wrap around; otherwise frames whose references fall outside the signal get 0.
 */
export function transientStrength(
  power: Float32Array,
  frameRate: number,
  circular = false,
  options: Partial<TransientOptions> = {},
): Float32Array {
  const o: TransientOptions = { ...DEFAULT_TRANSIENT_OPTIONS, ...options };
  const bands = TRANSIENT_BANDS;
  if (power.length % bands !== 0) {
    throw new ParameterError(`band powers must hold ${bands} values per frame, got: ${power.length}`);
  }
  const n = power.length / bands;
  const r0 = Math.max(1, Math.round(o.riseToSec * frameRate));
  const r1 = Math.max(r0, Math.round(o.riseFromSec * frameRate));
  const f0 = Math.max(1, Math.round(o.fallFromSec * frameRate));
  const f1 = Math.max(f0, Math.round(o.fallToSec * frameRate));
  const out = new Float32Array(n);
  if (n <= f1 + r1 + 1) return out;
  const spread = bandSpreads(power, n, r0, circular, o.spreadWeight);
  // Prefix sums of each band's power over two periods, so wrapped ranges are plain differences.
  const len = circular ? 2 * n : n;
  const prefix = new Float64Array(bands * (len + 1));
  for (let t = 0; t < len; t++) {
    const src = bands * (t % n);
    for (let b = 0; b < bands; b++) prefix[bands * (t + 1) + b] = prefix[bands * t + b] + power[src + b];
  }
  const rn = r1 - r0 + 1;
  const fn = f1 - f0 + 1;
  for (let t = 0; t < n; t++) {
    // Rise and fall windows as indices into the prefix: [a, a + rn) and [c, c + fn).
    let a = t - r1;
    const c = t + f0;
    if (circular) {
      if (a < 0) a += n;
    } else if (a < 0 || c + fn > n) continue;
    // min(rise, fall) in dB is the level over the larger reference; the best band wins.
    let best = 1;
    for (let b = 0; b < bands; b++) {
      const before = (prefix[bands * (a + rn) + b] - prefix[bands * a + b]) / rn;
      const after = (prefix[bands * (c + fn) + b] - prefix[bands * c + b]) / fn;
      const ratio = power[bands * t + b] / ((before > after ? before : after) * spread[b]);
      if (ratio > best) best = ratio;
    }
    out[t] = 10 * Math.log10(best);
  }
  return out;
}

/**
 * Per band, 10^(weight x median |level change over `lag` frames| / 10): the factor a hit must rise
 * by on top of the band's own wandering. The median comes from a 0.05 dB histogram (linear time).
 */
function bandSpreads(
  power: Float32Array,
  n: number,
  lag: number,
  circular: boolean,
  weight: number,
): Float64Array {
  const bands = TRANSIENT_BANDS;
  const hist = new Int32Array(bands * SPREAD_BINS);
  // Every SPREAD_STRIDE-th frame is plenty for a median (and a quarter of the logarithms). One
  // loop over frames and bands: it is optimised once, early.
  const stride = n >= 64 * SPREAD_STRIDE ? SPREAD_STRIDE : 1;
  const first = circular ? 0 : lag;
  let count = 0;
  for (let t = first; t < n; t += stride) {
    const now = bands * t;
    const before = bands * ((t - lag + n) % n);
    for (let b = 0; b < bands; b++) {
      const d = Math.abs(DB_PER_LN * Math.log(power[now + b] / power[before + b]));
      hist[b * SPREAD_BINS + Math.min(SPREAD_BINS - 1, Math.floor(d / SPREAD_STEP_DB))]++;
    }
    count++;
  }
  const spread = new Float64Array(bands);
  for (let b = 0; b < bands; b++) {
    let k = 0;
    for (let seen = hist[b * SPREAD_BINS]; 2 * seen <= count && k < SPREAD_BINS - 1; ) {
      k++;
      seen += hist[b * SPREAD_BINS + k];
    }
    spread[b] = 10 ** ((weight * (k + 0.5) * SPREAD_STEP_DB) / 10);
  }
  return spread;
}

/**
 * Frames of the hits: strength at least `thresholdDb` and the largest within `minSpacingSec` on
 * either side (the earliest of equals), at least `minSpacingSec` apart. Each is reported at the
 * first frame of the rise to it that reaches half its strength (dB): the strength peaks once a
 * frame holds most of the hit, 20-30 ms after a kick's attack, while that frame lies within
 * ±10 ms of it (measured on kicks and hi-hats). Ascending.
 */
export function pickHits(
  strength: Float32Array,
  frameRate: number,
  options: Partial<TransientOptions> = {},
): Int32Array {
  const o: TransientOptions = { ...DEFAULT_TRANSIENT_OPTIONS, ...options };
  const w = Math.max(1, Math.round(o.minSpacingSec * frameRate));
  const n = strength.length;
  const found: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < n; t++) {
    const v = strength[t];
    if (!(v >= o.thresholdDb) || t - last < w) continue;
    let isMax = true;
    for (let j = Math.max(0, t - w); j < Math.min(n, t + w + 1) && isMax; j++) {
      if (strength[j] > v || (j < t && strength[j] === v)) isMax = false;
    }
    if (!isMax) continue;
    let at = t;
    while (at > 0 && t - at < w - 1 && strength[at - 1] >= v / 2) at--;
    found.push(at);
    last = t;
  }
  return Int32Array.from(found);
}
