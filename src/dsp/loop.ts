/**
 * Loop maker: cut a seamless loop of a given length from a segment.
 *
 * The loop is `segment[s .. s + L)` with its first `C` samples crossfaded against the material
 * that follows the loop end, `segment[s + L .. s + L + C)`. Played in a loop, the sample after
 * the loop's last one, `segment[s + L - 1]`, is then `segment[s + L]` (fade-out gain 1): the
 * seam itself is the recording's own continuation, and the crossfade hands back to the loop's
 * real start over `C` samples. That is why the caller passes a segment a bit longer than the loop.
 *
 * What can still go wrong is the crossfade: where the two mixed stretches are out of phase they
 * cancel (a dip). So the loop end (its length L, within `lengthTolerance` of the target, exact
 * when nothing better is found) and its start s are searched to maximise the normalised
 * cross-correlation of the two stretches, computed for all lengths at once by FFT. Near-zero
 * crossings at the loop points break ties. The crossfade then keeps the power constant for the
 * correlation measured between the stretches (`matched`; for uncorrelated material that is the
 * sin/cos equal-power fade), or is the plain sin/cos equal-power fade (`equal-power`).
 */
import { ParameterError } from "../core/errors.js";
import { checkAudio, checkInteger, checkNonNegative, checkRange, checkSampleRate } from "./check.js";
import { crossSpectrumInto, fftSizeAtLeast, realFft } from "./fft.js";
import { seamMetrics } from "./seam.js";

export interface MakeLoopOptions {
  sampleRate: number;
  /** Target loop length in samples. */
  lengthSamples: number;
  /** Crossfade length (taken from the material past the loop end). */
  crossfadeMs: number;
  /** How far the loop end may move from the target length (also capped by `lengthTolerance`). */
  searchMs: number;
  /** How far the loop start may move into the segment (as far as the segment allows). */
  startSearchMs: number;
  /** Largest relative deviation of the loop length from the target (0 = exact length). */
  lengthTolerance: number;
  crossfadeShape: "matched" | "equal-power";
  /**
   * Remove the net level drift across the loop (a swell or fade in the source) with a gentle gain
   * ramp, so the loop's end meets its start at the same level (at most +-6 dB over the loop).
   */
  levelMatch: boolean;
}

export const MAKE_LOOP_DEFAULTS: Readonly<Omit<MakeLoopOptions, "sampleRate" | "lengthSamples">> = {
  crossfadeMs: 100,
  searchMs: 20,
  startSearchMs: 1000,
  lengthTolerance: 0.01,
  crossfadeShape: "matched",
  levelMatch: true,
};

export interface LoopResult {
  /** The loop, `loopEnd - loopStart` samples, seamless when played repeatedly. */
  audio: Float32Array;
  /** Where the loop starts in the segment. */
  loopStart: number;
  /** Where it ends (exclusive) in the segment. */
  loopEnd: number;
  /** Normalised correlation of the two crossfaded stretches (1 = identical). */
  correlation: number;
  /** Crossfade actually used, in samples (shorter than asked if the segment is short). */
  crossfadeSamples: number;
  /** Seam scores (see seam.ts); NaN only for loops under 0.2 s, which the metric cannot measure. */
  clickDb: number;
  dipDb: number;
}

/** Samples of segment the loop maker wants for a loop of `lengthSamples` (loop + search + crossfade). */
export function loopSegmentLength(
  lengthSamples: number,
  sampleRate: number,
  options: Partial<MakeLoopOptions> = {},
): number {
  const o = { ...MAKE_LOOP_DEFAULTS, ...options };
  const c = Math.round((o.crossfadeMs / 1000) * sampleRate);
  const d = Math.min(
    Math.round((o.searchMs / 1000) * sampleRate),
    Math.floor(o.lengthTolerance * lengthSamples),
  );
  const s = Math.round((o.startSearchMs / 1000) * sampleRate);
  return lengthSamples + d + c + s;
}

export function makeLoop(
  segment: Float32Array,
  options: Partial<MakeLoopOptions> & Pick<MakeLoopOptions, "sampleRate" | "lengthSamples">,
): LoopResult {
  checkAudio(segment, "segment");
  const o: MakeLoopOptions = { ...MAKE_LOOP_DEFAULTS, ...options };
  checkSampleRate(o.sampleRate);
  checkInteger(o.lengthSamples, 1, "lengthSamples");
  checkNonNegative(o.crossfadeMs, "crossfadeMs");
  checkNonNegative(o.searchMs, "searchMs");
  checkNonNegative(o.startSearchMs, "startSearchMs");
  checkRange(o.lengthTolerance, 0, 0.5, "lengthTolerance");
  if (o.crossfadeShape !== "matched" && o.crossfadeShape !== "equal-power") {
    throw new ParameterError(
      `crossfadeShape must be "matched" or "equal-power", got: ${String(o.crossfadeShape)}`,
    );
  }
  const n = segment.length;
  const target = o.lengthSamples;
  const extra = n - target;
  if (extra < 1) {
    throw new ParameterError(
      `segment (${n} samples) must be longer than the loop (${target} samples): the crossfade uses material past the loop end`,
    );
  }
  // Budget the extra material: length search first (it decides whether tones line up), then
  // crossfade, then start search.
  const searchSamples = Math.round((o.searchMs / 1000) * o.sampleRate);
  let d = Math.min(searchSamples, Math.floor(o.lengthTolerance * target), Math.floor((extra - 1) / 2));
  let c = Math.min(Math.round((o.crossfadeMs / 1000) * o.sampleRate), extra - d);
  if (c < 1) {
    c = 1;
    d = Math.max(0, extra - 1);
  }
  // Loop lengths in [target - d, target + d]; s + L + c <= n.
  const startSamples = Math.round((o.startSearchMs / 1000) * o.sampleRate);
  const startRange = Math.max(0, Math.min(startSamples, extra - d - c));
  const levelWindow = Math.round(0.05 * o.sampleRate);
  const best = searchLoop(segment, target, d, c, startRange, levelWindow, o.levelMatch);
  const s = best.start;
  const len = best.length;
  const audio = segment.slice(s, s + len);
  let tailGain = 1;
  if (o.levelMatch) {
    const w = Math.min(levelWindow, Math.floor((len - c) / 2));
    const head = w > 0 ? meanSquareOf(segment, s + c, s + c + w) : 0;
    const end = w > 0 ? meanSquareOf(segment, s + len - w, s + len) : 0;
    if (head > 1e-20 && end > 1e-20) {
      tailGain = Math.min(MAX_LEVEL_MATCH, Math.max(1 / MAX_LEVEL_MATCH, Math.sqrt(head / end)));
      // Gain ramps (in dB) from 1 at the end of the crossfade to tailGain at the loop end; the
      // crossfade's tail material is the continuation of the loop end, so it gets tailGain too.
      // exp(logG * (i - c) / (len - c)) as a running product (double: drift < 1e-11 over a loop).
      gainRamp(audio, c, len, Math.exp(Math.log(tailGain) / (len - c)));
    }
  }
  crossfadeInto(audio, segment, s + len, c, o.crossfadeShape === "matched" ? best.correlation : 0, tailGain);
  const { clickDb, dipDb } =
    len >= 4 * Math.round(0.05 * o.sampleRate)
      ? seamMetrics(audio, o.sampleRate)
      : { clickDb: Number.NaN, dipDb: Number.NaN };
  return {
    audio,
    loopStart: s,
    loopEnd: s + len,
    correlation: best.correlation,
    crossfadeSamples: c,
    clickDb,
    dipDb,
  };
}

/**
 * Mix `segment[tail .. tail + c)` into the first `c` samples of `audio` with power-complementary
 * gains for correlation `rho` (a^2 + b^2 + 2 rho a b = 1; rho = 0 gives sin/cos).
 */
function crossfadeInto(
  audio: Float32Array,
  segment: Float32Array,
  tail: number,
  c: number,
  rho: number,
  tailGain: number,
): void {
  const r = Math.min(1, Math.max(0, rho));
  for (let i = 0; i < c; i++) {
    const a = Math.sin((0.5 * Math.PI * (i + 0.5)) / c);
    const b = -r * a + Math.sqrt(Math.max(0, 1 - a * a * (1 - r * r)));
    audio[i] = a * audio[i] + b * tailGain * segment[tail + i];
  }
}

const MAX_LEVEL_MATCH = 2; // +-6 dB

function meanSquareOf(x: Float32Array, from: number, to: number): number {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return e / Math.max(1, to - from);
}

interface LoopChoice {
  start: number;
  length: number;
  correlation: number;
}

const MAX_START_CANDIDATES = 24;
/** Direct correlation when lags x crossfade <= this x size log2(size) (about three real FFTs' work). */
const DIRECT_CORRELATION_FACTOR = 2;
// Score = correlation - penalties: exact length and near-zero loop points win only among
// candidates that match about equally well (noise correlations fluctuate by ~1/sqrt(c)).
const LENGTH_PENALTY = 0.05;
const ZERO_CROSSING_PENALTY = 0.02;
// Material that swells and beats puts the seam in a trough or on a crest by chance; where the
// segment leaves room, prefer a seam at the loop's typical level (per dB beyond 1 dB off).
const LEVEL_PENALTY_PER_DB = 0.15;
// Likewise for the click score's own measure, the second difference's energy around the seam.
const SLOPE_PENALTY_PER_DB = 0.05;

// The hot loops below live in functions of their own: inside a large function V8 compiles the
// function on-stack mid-loop, before the code after the loop has run, and that code then bails
// out on every later call (measured: a dozen deoptimisations and recompiles per track each).

/** x[i] *= step^(i - from) for i in [from, to) (a running product in double). */
function gainRamp(x: Float32Array, from: number, to: number, step: number): void {
  let g = 1;
  for (let i = from; i < to; i++) {
    x[i] *= g;
    g *= step;
  }
}

/** Prefix sums of x^2 into `energy` and of its second difference's square into `slope` (0 for the first two samples). */
function prefixEnergies(x: Float32Array, energy: Float64Array, slope: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    energy[i + 1] = energy[i] + xi * xi;
    const v = i >= 2 ? xi - 2 * x[i - 1] + x[i - 2] : 0;
    slope[i + 1] = slope[i] + v * v;
  }
}

/** Mean square of x[a .. b) from its prefix sums `energy` (clipped to the array; 0 when empty). */
function meanSquareFromPrefix(energy: Float64Array, n: number, a: number, b: number): number {
  const lo = Math.max(0, a);
  const hi = Math.min(n, b);
  return hi > lo ? (energy[hi] - energy[lo]) / (hi - lo) : 0;
}

/** Median of the second difference's energy over windows of `cw` (typed-array sorts are numeric). */
function typicalSlopeEnergy(slope: Float64Array, n: number, cw: number): number {
  const tiles = new Float64Array(Math.max(0, Math.floor((n - 2) / cw)));
  for (let j = 0; j < tiles.length; j++) tiles[j] = slope[2 + (j + 1) * cw] - slope[2 + j * cw];
  tiles.sort();
  return tiles.length > 0 ? tiles[tiles.length >> 1] : 0;
}

/** Median mean square of the `w`-sample tiles of a loop starting at s (in mean-square terms). */
function typicalTileLevel(
  energy: Float64Array,
  n: number,
  scratch: Float64Array,
  s: number,
  target: number,
  w: number,
): number {
  const half = w >> 1;
  let tiles = 0;
  for (let t = s + half; t + w <= s + target - half; t += w) {
    scratch[tiles++] = meanSquareFromPrefix(energy, n, t, t + w);
  }
  const sorted = scratch.subarray(0, tiles).sort();
  return tiles > 0 ? sorted[tiles >> 1] : 0;
}

/** corr[lag] = sum_i x[s + i] x[r0 + lag + i] for lag in [0, lags), two accumulators per lag. */
function directCorrelation(
  x: Float32Array,
  s: number,
  r0: number,
  lags: number,
  c: number,
  corr: Float64Array,
): void {
  for (let lag = 0; lag < lags; lag++) {
    const b = r0 + lag;
    let a0 = 0;
    let a1 = 0;
    let i = 0;
    for (; i + 1 < c; i += 2) {
      a0 += x[s + i] * x[b + i];
      a1 += x[s + i + 1] * x[b + i + 1];
    }
    if (i < c) a0 += x[s + i] * x[b + i];
    corr[lag] = a0 + a1;
  }
}

/** What the lag scoring needs besides the loop start (fixed for one search). */
interface LagScoring {
  x: Float32Array;
  energy: Float64Array;
  slope: Float64Array;
  target: number;
  d: number;
  c: number;
  levelWindow: number;
  levelMatch: boolean;
  level: number;
  cw: number;
  typicalSlope: number;
}

/**
 * Score every loop length for the loop start s (correlation minus penalties) and return the
 * best lag; `out[0]` receives its score and `out[1]` its correlation.
 */
function bestLag(
  q: LagScoring,
  s: number,
  typical: number,
  corr: Float32Array | Float64Array,
  out: Float64Array,
): number {
  const { x, energy, slope, target, d, c, levelWindow, levelMatch, level, cw, typicalSlope } = q;
  const n = x.length;
  const half = levelWindow >> 1;
  const r0 = s + target - d;
  // Energies of the two crossfaded stretches from the prefix sums (no pass of their own).
  const eT = energy[s + c] - energy[s];
  let bestLagFound = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestRho = 0;
  for (let lag = 0; lag <= 2 * d; lag++) {
    const eR = energy[r0 + lag + c] - energy[r0 + lag];
    const denom = Math.sqrt(eT * eR);
    // Silent stretches match perfectly (nothing to cancel).
    const rho = denom > 1e-20 ? corr[lag] / denom : 1;
    const len = target - d + lag;
    const zc = Math.min(2, (Math.abs(x[s]) + Math.abs(x[s + len])) / (2 * level));
    // After the crossfade the seam is the segment's own continuation at s + len; level matching
    // then brings it to the level of the loop's start.
    const seamMs = levelMatch
      ? meanSquareFromPrefix(energy, n, s + c, s + c + levelWindow)
      : meanSquareFromPrefix(energy, n, s + len - half, s + len + half);
    const offDb = typical > 1e-20 && seamMs > 1e-20 ? Math.abs(10 * Math.log10(seamMs / typical)) : 0;
    const e = s + len;
    const seamSlope =
      e - (cw >> 1) >= 2 && e + cw <= n ? slope[e + cw - (cw >> 1)] - slope[e - (cw >> 1)] : 0;
    const slopeDb = typicalSlope > 1e-20 && seamSlope > 1e-20 ? 10 * Math.log10(seamSlope / typicalSlope) : 0;
    const score =
      rho -
      (d > 0 ? (LENGTH_PENALTY * Math.abs(len - target)) / d : 0) -
      ZERO_CROSSING_PENALTY * zc -
      LEVEL_PENALTY_PER_DB * Math.max(0, offDb - 1) -
      SLOPE_PENALTY_PER_DB * Math.max(0, slopeDb - 2);
    if (score > bestScore) {
      bestScore = score;
      bestLagFound = lag;
      bestRho = rho;
    }
  }
  out[0] = bestScore;
  out[1] = bestRho;
  return bestLagFound;
}

function searchLoop(
  x: Float32Array,
  target: number,
  d: number,
  c: number,
  startRange: number,
  levelWindow: number,
  levelMatch: boolean,
): LoopChoice {
  const count = Math.min(MAX_START_CANDIDATES, startRange + 1);
  if (count === 1 && d === 0) return fixedLoop(x, target, c);
  // Prefix sums of the energy and of the second difference's energy (the click measure), one pass.
  const energy = new Float64Array(x.length + 1);
  const slope = new Float64Array(x.length + 1);
  prefixEnergies(x, energy, slope);
  const cw = Math.max(4, Math.round(levelWindow / 25));
  const q: LagScoring = {
    x,
    energy,
    slope,
    target,
    d,
    c,
    levelWindow,
    levelMatch,
    // Level scale for the zero-crossing preference.
    level: Math.sqrt(energy[x.length] / x.length) + 1e-12,
    cw,
    // The second difference's typical 2 ms energy over the segment.
    typicalSlope: typicalSlopeEnergy(slope, x.length, cw),
  };
  const tileLevels = new Float64Array(Math.max(0, Math.floor(target / Math.max(1, levelWindow))) + 1);

  const m = 2 * d + c; // region searched: x[s + target - d .. s + target + d + c)
  const size = fftSizeAtLeast(m);
  // Few lags (an exact-length loop has one): direct dot products beat three FFTs of `size`.
  const direct = (2 * d + 1) * c <= DIRECT_CORRELATION_FACTOR * size * Math.log2(size);
  const fft = direct ? null : realFft(size);
  const bufA = direct ? null : new Float32Array(size);
  const bufB = direct ? null : new Float32Array(size);
  const specA = direct ? null : new Float32Array(size + 2);
  const specB = direct ? null : new Float32Array(size + 2);
  const corr = direct ? new Float64Array(2 * d + 1) : new Float32Array(size);
  const scored = new Float64Array(2);

  let best: LoopChoice = { start: 0, length: target, correlation: -2 };
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const s = count === 1 ? 0 : Math.round((k * startRange) / (count - 1));
    // Typical (median) 50 ms level of this loop.
    const typical = typicalTileLevel(energy, x.length, tileLevels, s, target, levelWindow);
    const r0 = s + target - d;
    if (fft === null || bufA === null || bufB === null || specA === null || specB === null) {
      directCorrelation(x, s, r0, 2 * d + 1, c, corr as Float64Array);
    } else {
      bufA.fill(0);
      bufB.fill(0);
      bufA.set(x.subarray(s, s + c));
      bufB.set(x.subarray(r0, r0 + m));
      // Circular cross-correlation via FFT: corr[lag] = sum_i A[i] B[lag + i], valid for lag <= 2d.
      fft.forward(bufA, specA);
      fft.forward(bufB, specB);
      fft.inverse(crossSpectrumInto(specA, specB), corr as Float32Array);
    }
    const lag = bestLag(q, s, typical, corr, scored);
    if (lag >= 0 && scored[0] > bestScore) {
      bestScore = scored[0];
      best = { start: s, length: target - d + lag, correlation: Math.max(-1, Math.min(1, scored[1])) };
    }
  }
  return best;
}

/**
 * The search with a single candidate (no freedom of start or length, as for the channels of a
 * loop already found on their mix): only its correlation is needed. The energies are running sums
 * in the same order as prefixEnergies', so the result equals the general search's bit for bit.
 */
function fixedLoop(x: Float32Array, target: number, c: number): LoopChoice {
  let e = 0;
  let eHead = 0;
  let eTail = 0;
  for (let i = 0; i < target + c; i++) {
    if (i === c) eHead = e;
    if (i === target) eTail = e;
    e += x[i] * x[i];
  }
  const corr = new Float64Array(1);
  directCorrelation(x, 0, target, 1, c, corr);
  const denom = Math.sqrt(eHead * (e - eTail));
  const rho = denom > 1e-20 ? corr[0] / denom : 1;
  return { start: 0, length: target, correlation: Math.max(-1, Math.min(1, rho)) };
}
