/**
 * What a finished texture sounds like, measured from its own samples for its quality score
 * (quality/score.ts) and for telling near-duplicates apart. One pass of non-overlapping 2048-sample
 * (46 ms) Hann frames tiling the texture from its start, through the analysis kernel (the same
 * flatness and mel flux as the track analysis, plus band powers) and PFFFT:
 *
 * - level per frame (RMS dB): its span, its straight-line trend (a decay), its humps (a swell);
 * - percussive hits (transients.ts) on the six broad bands;
 * - spectral flatness (tonality) and the mel flux between neighbouring frames;
 * - for a loop, the seam as a listener meets it: the level step and the flux from the loop's last
 *   2048 samples into its first, against the largest step and flux between frames inside it;
 * - clicks: the loudest 256-sample (5.8 ms) block against the median block (a tick in a hiss loop);
 * - a 24-band long-term spectrum (dB, summing to 0 dB) for the duplicate check.
 *
 * Cost: one 2048-point FFT per 46 ms of texture (~0.3 ms per second of audio).
 */
import { ParameterError } from "../../core/errors.js";
import { type RealFft, realFft } from "../../dsp/fft.js";
import { hannPeriodic } from "../../dsp/window.js";
import { CLIP_LEVEL, DEFAULT_SPECTRAL_OPTIONS, SpectralKernel } from "../features.js";
import { AnalysisWasm } from "../kernel.js";
import {
  bandPowersInto,
  pickHits,
  TRANSIENT_BANDS,
  transientBandBins,
  transientStrength,
} from "../transients.js";

export const PROFILE_FRAME = 2048;
/** Bands of the long-term spectrum: log-spaced from 40 Hz to 16 kHz (or Nyquist), at least a bin each. */
export const SPECTRUM_BANDS = 24;
/** Click blocks: 256 samples, eight to a frame. */
const CLICK_BLOCK = 256;
/** Level smoothing (frames) before counting humps, and the prominence (dB) a hump needs. */
const HUMP_SMOOTH = 5;
const HUMP_PROMINENCE_DB = 3;

export interface TextureProfile {
  /** Frames measured (non-overlapping, 46 ms at 44.1 kHz) and their length in seconds. */
  readonly frames: number;
  readonly frameSec: number;
  /** RMS level of each frame (dB re full scale, floored at -120). */
  readonly levelDb: Float32Array;
  /** Loudest minus quietest frame (dB). */
  readonly levelRangeDb: number;
  /** Level change across the texture from a straight-line fit (dB; negative = falling). */
  readonly levelTrendDb: number;
  /** Level maxima standing at least 3 dB above the level on both sides (after ~0.23 s smoothing). */
  readonly humps: number;
  /** Largest level step between neighbouring frames inside the texture (dB). */
  readonly interiorStepDb: number;
  /** Loops: level of the first frame minus that of the last 2048 samples (dB; > 0 = jumps up at the loop point). */
  readonly seamStepDb: number | null;
  /** Largest mel flux (mean rectified band rise, dB) between neighbouring frames inside the texture. */
  readonly interiorFluxDb: number;
  /** Loops: the mel flux from the last 2048 samples into the first frame (dB). */
  readonly seamFluxDb: number | null;
  /** Percussive hits, seconds from the start. */
  readonly hitTimesSec: Float64Array;
  /** Mean spectral flatness of the frames (0 = tonal, about 0.56 = white noise). */
  readonly flatness: number;
  /** Loudest 256-sample block over the median block (dB): a click or tick stands out. */
  readonly clickDb: number;
  /** Long-term spectrum in SPECTRUM_BANDS bands (dB re the total power). */
  readonly spectrumDb: Float32Array;
}

/** The kernel instance, tables and buffers for one sample rate, reused from texture to texture. */
class ProfileMeter {
  readonly sampleRate: number;
  private readonly wasm: AnalysisWasm;
  private readonly fft: RealFft = realFft(PROFILE_FRAME);
  private readonly kernel: SpectralKernel;
  private readonly ptr: Record<
    "frame" | "window" | "windowed" | "spec" | "edges" | "bands" | "stats",
    number
  >;
  private readonly frame: Float32Array;
  private readonly windowed: Float32Array;
  private readonly spec: Float32Array;
  private readonly bandOut: Float64Array;
  /** The kernel's block statistics [sum, sum of squares, peak, clips, first non-finite]. */
  private readonly stats: Float64Array;
  private readonly scale: number;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
    const n = PROFILE_FRAME;
    const w = new AnalysisWasm();
    this.wasm = w;
    const bytes = n * 4;
    const groups = TRANSIENT_BANDS + SPECTRUM_BANDS;
    this.ptr = {
      frame: w.alloc(bytes),
      window: w.alloc(bytes),
      windowed: w.alloc(bytes),
      spec: w.alloc(bytes),
      edges: w.alloc((groups + 2) * 4),
      bands: w.alloc((groups + 2) * 8),
      stats: w.alloc(5 * 8),
    };
    const window = hannPeriodic(n);
    let wsum = 0;
    for (let i = 0; i < n; i++) wsum += window[i];
    this.kernel = new SpectralKernel(sampleRate, n, wsum, DEFAULT_SPECTRAL_OPTIONS, w);
    this.frame = w.f32(this.ptr.frame, n);
    w.f32(this.ptr.window, n).set(window);
    this.windowed = w.f32(this.ptr.windowed, n);
    this.spec = w.f32(this.ptr.spec, n);
    // Transient bands, then the spectrum bands, as one run of edges (the gap between is unused).
    const edges = w.i32(this.ptr.edges, groups + 2);
    edges.set(transientBandBins(sampleRate, n));
    edges.set(spectrumBandBins(sampleRate, n), TRANSIENT_BANDS + 1);
    this.bandOut = w.f64(this.ptr.bands, groups + 2);
    this.stats = w.f64(this.ptr.stats, 5);
    this.scale = (2 / wsum) ** 2;
  }

  /** Copy `x[start, start + n)` into the frame buffer (circularly when `circular`, else zero past the end). */
  private load(x: Float32Array, start: number, circular: boolean): void {
    const n = PROFILE_FRAME;
    const len = x.length;
    if (start + n <= len) this.frame.set(x.subarray(start, start + n));
    else if (circular) {
      const a = len - start;
      this.frame.set(x.subarray(start, len));
      for (let i = a; i < n; i++) this.frame[i] = x[(start + i) % len];
    } else {
      this.frame.set(x.subarray(start, len));
      this.frame.fill(0, len - start);
    }
  }

  /** Sum of squares of `count` samples of the frame buffer from `offset`. */
  private energy(offset: number, count: number): number {
    this.wasm.k.blockStats(this.ptr.frame + offset * 4, count, CLIP_LEVEL, this.ptr.stats);
    return this.stats[1];
  }

  /** Load `x[start, start + n)`, window and transform it, run the kernel's features and band powers. */
  private analyse(x: Float32Array, start: number, circular: boolean): void {
    const n = PROFILE_FRAME;
    this.load(x, start, circular);
    const k = this.wasm.k;
    const p = this.ptr;
    k.windowMul(p.frame, p.window, p.windowed, n);
    this.fft.forwardOrdered(this.windowed, this.spec);
    k.powerOrdered(p.spec, this.kernel.powerPtr, n);
    this.kernel.analyseInPlace();
    // Transient bands [0, T) then, after one unused gap, the spectrum bands.
    k.bandPowers(this.kernel.powerPtr, n / 2 + 1, p.edges, TRANSIENT_BANDS + 1 + SPECTRUM_BANDS, p.bands);
  }

  profile(x: Float32Array, circular: boolean): TextureProfile {
    const n = PROFILE_FRAME;
    const frames = Math.max(1, Math.floor(x.length / n));
    const frameSec = n / this.sampleRate;
    const levelDb = new Float32Array(frames);
    const tPower = new Float32Array(frames * TRANSIENT_BANDS);
    const spectrum = new Float64Array(SPECTRUM_BANDS);
    const flux = new Float32Array(frames);
    const blocks = Math.floor(x.length / CLICK_BLOCK);
    const clicks = new Float64Array(blocks);
    let flatness = 0;
    let seamFluxDb: number | null = null;
    const out = this.bandOut;
    const last = Math.max(0, x.length - n);
    const seam = circular && x.length >= 2 * n;
    // The kernel's flux compares with the previous frame it saw: start it on the frame before the
    // first one (a loop's last 2048 samples, whose flux into the first is the seam's), never used.
    this.analyse(x, circular ? last : 0, circular);
    const lastLevelDb = levelOf(this.energy(0, n), n);
    for (let f = 0; f < frames; f++) {
      this.analyse(x, f * n, circular);
      if (f > 0) flux[f] = this.kernel.onsetStrength;
      else if (seam) seamFluxDb = this.kernel.onsetStrength;
      flatness += this.kernel.flatness;
      bandPowersInto(out[0], out, 1, this.scale, tPower, f * TRANSIENT_BANDS);
      for (let b = 0; b < SPECTRUM_BANDS; b++) spectrum[b] += out[TRANSIENT_BANDS + 2 + b];
      const count = Math.min(n, x.length - f * n);
      levelDb[f] = levelOf(this.energy(0, count), count);
      for (let j = 0; j < n / CLICK_BLOCK; j++) {
        const b = (f * n) / CLICK_BLOCK + j;
        if (b < blocks) clicks[b] = this.energy(j * CLICK_BLOCK, CLICK_BLOCK);
      }
    }
    // Click blocks in the tail after the last whole frame.
    const tail = frames * n;
    if (tail < blocks * CLICK_BLOCK) {
      this.load(x, tail, false);
      for (let b = tail / CLICK_BLOCK; b < blocks; b++) {
        clicks[b] = this.energy((b - tail / CLICK_BLOCK) * CLICK_BLOCK, CLICK_BLOCK);
      }
    }
    const frameRate = 1 / frameSec;
    const hits = pickHits(transientStrength(tPower, frameRate, circular), frameRate);
    const hitTimesSec = Float64Array.from(hits, (h) => h * frameSec);
    let interiorStepDb = 0;
    let interiorFluxDb = 0;
    for (let f = 1; f < frames; f++) {
      interiorStepDb = Math.max(interiorStepDb, Math.abs(levelDb[f] - levelDb[f - 1]));
      interiorFluxDb = Math.max(interiorFluxDb, flux[f]);
    }
    const { range, trend } = levelShape(levelDb);
    return {
      frames,
      frameSec,
      levelDb,
      levelRangeDb: range,
      levelTrendDb: trend,
      humps: countHumps(levelDb),
      interiorStepDb,
      seamStepDb: seam ? levelDb[0] - lastLevelDb : null,
      interiorFluxDb,
      seamFluxDb,
      hitTimesSec,
      flatness: flatness / frames,
      clickDb: clickDb(clicks),
      spectrumDb: normalisedDb(spectrum),
    };
  }
}

const meters = new Map<number, ProfileMeter>();

/** Profile a texture's mono downmix; `circular` for loops (the seam and hits read round the loop). */
export function profileTexture(x: Float32Array, sampleRate: number, circular: boolean): TextureProfile {
  if (x.length === 0) throw new ParameterError("cannot profile an empty texture");
  let m = meters.get(sampleRate);
  if (m === undefined) {
    m = new ProfileMeter(sampleRate);
    meters.set(sampleRate, m);
  }
  return m.profile(x, circular);
}

/** Bin edges of the spectrum bands (SPECTRUM_BANDS + 1 values, each band at least one bin). */
function spectrumBandBins(sampleRate: number, fftSize: number): Int32Array {
  const half = fftSize / 2;
  const binHz = sampleRate / fftSize;
  const top = Math.min(16000, sampleRate / 2);
  const edges = new Int32Array(SPECTRUM_BANDS + 1);
  let prev = 0;
  for (let b = 0; b <= SPECTRUM_BANDS; b++) {
    const hz = 40 * (top / 40) ** (b / SPECTRUM_BANDS);
    const k = Math.min(half, Math.max(prev + (b > 0 ? 1 : 0), Math.round(hz / binHz), 1));
    edges[b] = k;
    prev = k;
  }
  return edges;
}

/** RMS in dB re full scale (floored at -120) of `count` samples whose squares sum to `sumSq`. */
function levelOf(sumSq: number, count: number): number {
  return Math.max(-120, 10 * Math.log10(sumSq / Math.max(1, count) + 1e-30));
}

/** Span and least-squares trend (slope x count) of levels. */
function levelShape(db: Float32Array): { range: number; trend: number } {
  const n = db.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, db[i]);
    hi = Math.max(hi, db[i]);
    mean += db[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - (n - 1) / 2) * (db[i] - mean);
    sxx += (i - (n - 1) / 2) ** 2;
  }
  return { range: hi - lo, trend: sxx > 0 ? (sxy / sxx) * n : 0 };
}

/** Level maxima with at least HUMP_PROMINENCE_DB on each side, after a moving average. */
function countHumps(db: Float32Array): number {
  const n = db.length;
  const s = new Float32Array(n);
  const h = HUMP_SMOOTH >> 1;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let c = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(n - 1, i + h); j++) {
      sum += db[j];
      c++;
    }
    s[i] = sum / c;
  }
  // Walk the smoothed curve: a hump is a peak that the curve falls away from by the prominence
  // before it rises past it again, having risen to it by the prominence from the last valley.
  let humps = 0;
  let valley = s[0];
  let peak = s[0];
  let rising = true;
  for (let i = 1; i < n; i++) {
    const v = s[i];
    if (rising) {
      if (v > peak) peak = v;
      else if (peak - v >= HUMP_PROMINENCE_DB && peak - valley >= HUMP_PROMINENCE_DB) {
        humps++;
        rising = false;
        valley = v;
      }
    } else if (v < valley) valley = v;
    else if (v - valley >= HUMP_PROMINENCE_DB) {
      rising = true;
      peak = v;
    }
  }
  // A texture that ends on a peak (no fall after it) counts it too.
  if (rising && peak - valley >= HUMP_PROMINENCE_DB) humps++;
  return humps;
}

/** Loudest block energy over the median one, in dB (0 for fewer than 8 blocks). */
function clickDb(e: Float64Array): number {
  const count = e.length;
  if (count < 8) return 0;
  let max = 0;
  for (let b = 0; b < count; b++) if (e[b] > max) max = e[b];
  const sorted = e.slice().sort();
  const median = sorted[count >> 1];
  return 10 * Math.log10((max + 1e-30) / (median + 1e-30));
}

/** Band powers as dB re their sum (floored 120 dB below it). */
function normalisedDb(p: Float64Array): Float32Array {
  let total = 0;
  for (let b = 0; b < p.length; b++) total += p[b];
  return Float32Array.from(p, (v) => 10 * Math.log10(Math.max(v, total * 1e-12) / (total + 1e-300)));
}
