/**
 * Phase-vocoder time stretching with identity phase locking (Laroche & Dolson 1999), transient
 * preservation, and pitch shifting as stretch + tape-speed resampling.
 *
 * Per synthesis frame: spectral peaks (a bin louder than its two neighbours on each side) get
 * their phase advanced at their measured instantaneous frequency; every other bin is rotated by
 * the same angle as the peak whose region (half-way to the next peak) it lies in, which keeps
 * each partial's shape across its bins and avoids the "phasiness" of the plain vocoder.
 *
 * Transients: a short-block high-frequency energy detector marks clicks and attacks. Frames
 * whose window holds one are taken 1:1 (analysis hop = synthesis hop) with their analysis phases,
 * i.e. reproduced exactly, so a click comes out once, at one place, with no pre-echo; the
 * stretch is made up by the frames in between (the time map bends locally, the total length is
 * exact).
 */
import { ParameterError } from "../core/errors.js";
import { checkAudio, checkFinite, checkPositive, checkSampleRate } from "./check.js";
import { realFft } from "./fft.js";
import { OverlapAdd } from "./stft.js";
import { tapeSpeed } from "./tape.js";
import { VocoderFrames } from "./vocoder-kernel.js";
import { hannPeriodic } from "./window.js";

export interface StretchOptions {
  /** Analysis/synthesis window and FFT length. */
  fftSize: number;
  /** Identity phase locking (off = the classic per-bin phase vocoder, for comparison). */
  phaseLocking: boolean;
  /** Keep transients sharp by taking their frames 1:1. */
  preserveTransients: boolean;
  /** Transient threshold: rise of high-frequency block energy over its recent average, dB. */
  transientThresholdDb: number;
}

export const STRETCH_DEFAULTS: Readonly<StretchOptions> = {
  fftSize: 2048,
  phaseLocking: true,
  preserveTransients: true,
  transientThresholdDb: 10,
};

const MIN_FACTOR = 0.25;
const MAX_FACTOR = 8;

/** Output length of `timeStretch` for an input of `length` samples. */
export function stretchOutputLength(length: number, factor: number): number {
  return Math.max(1, Math.round(length * factor));
}

/**
 * Time-stretch `x` by `factor` (1.5 = 50 % longer) without changing its pitch.
 * Output length: round(length * factor).
 */
export function timeStretch(
  x: Float32Array,
  factor: number,
  options: Partial<StretchOptions> = {},
): Float32Array {
  checkAudio(x);
  checkPositive(factor, "stretch factor");
  if (factor < MIN_FACTOR || factor > MAX_FACTOR) {
    throw new ParameterError(`stretch factor must be within [${MIN_FACTOR}, ${MAX_FACTOR}], got: ${factor}`);
  }
  const o: StretchOptions = { ...STRETCH_DEFAULTS, ...options };
  checkFinite(o.transientThresholdDb, "transientThresholdDb");
  const n = o.fftSize;
  const fft = realFft(n);
  const window = hannPeriodic(n);
  const outLen = stretchOutputLength(x.length, factor);
  // Synthesis hop n/4 when stretching; when compressing, the analysis hop stays n/4 (phase
  // unwrapping needs it) and the synthesis hop shrinks instead.
  const hs = Math.max(1, Math.round((n / 4) * Math.min(1, factor)));
  const nominalHa = hs / factor;
  const transients = o.preserveTransients ? detectTransients(x, o.transientThresholdDb) : new Int32Array(0);

  const frames = new VocoderFrames(x, window, outLen);
  const ola = new OverlapAdd(outLen, window, hs, 1 / n, frames.accumulator);
  const buf = frames.frame;

  let ta = 0; // analysis centre (fractional)
  let prevPos = 0;
  let tIdx = 0; // first transient not yet behind the current frame
  const half = n >> 1;
  for (let m = 0; m * hs - half < outLen; m++) {
    const pos = Math.round(ta);
    while (tIdx < transients.length && transients[tIdx] < pos - half) tIdx++;
    const inTransient = tIdx < transients.length && transients[tIdx] < pos + half;
    frames.frameIn(pos);
    fft.forwardOrdered(buf, frames.spectrum);
    frames.synthesise(m === 0 || inTransient, o.phaseLocking, pos - prevPos, hs);
    fft.inverseOrderedUnscaled(frames.synthesis, buf);
    frames.overlapAdd(ola.nextStart);
    ola.addedElsewhere();
    prevPos = pos;

    // Next analysis centre: 1:1 while inside a transient, else follow the time map, catching up
    // (at most 2x the nominal hop, at least half of it) after transient stretches.
    if (inTransient) ta = pos + hs;
    else {
      const target = ((m + 1) * hs) / factor;
      ta = pos + Math.min(2 * nominalHa, Math.max(0.5 * nominalHa, target - pos));
    }
  }
  return ola.finish();
}

const BLOCK = 128;
const HISTORY = 8;

/**
 * Sample positions of transients: blocks whose first-difference energy (high-frequency
 * emphasis) rises `thresholdDb` above the average of the blocks before it and stands above the
 * signal's typical level. One position per attack (the block where it starts).
 */
export function detectTransients(x: Float32Array, thresholdDb = 10): Int32Array {
  const blocks = Math.floor(x.length / BLOCK);
  if (blocks < 2) return new Int32Array(0);
  const e = new Float64Array(blocks);
  const mean = blockSlopeEnergies(x, e) / blocks;
  if (mean <= 0) return new Int32Array(0);
  const rise = 10 ** (thresholdDb / 10);
  const found: number[] = [];
  let lastHit = -HISTORY;
  for (let b = 1; b < blocks; b++) {
    let h = 0;
    const from = Math.max(0, b - HISTORY);
    for (let j = from; j < b; j++) h += e[j];
    h /= b - from;
    if (e[b] > rise * h + 0.1 * mean && e[b] > 0.5 * mean && b - lastHit >= HISTORY) {
      found.push(b * BLOCK);
      lastHit = b;
    }
  }
  return Int32Array.from(found);
}

/** e[b] = energy of the first difference in block b (BLOCK samples); returns their sum. */
function blockSlopeEnergies(x: Float32Array, e: Float64Array): number {
  let total = 0;
  for (let b = 0; b < e.length; b++) {
    let s = 0;
    const start = b * BLOCK;
    for (let i = Math.max(1, start); i < start + BLOCK; i++) {
      const d = x[i] - x[i - 1];
      s += d * d;
    }
    e[b] = s;
    total += s;
  }
  return total;
}

/**
 * Pitch shift by `semitones` keeping the duration: time-stretch by the pitch ratio, then play
 * that back faster (or slower) by the same ratio with the anti-aliased tape resampler. Output
 * has exactly the input's length.
 */
export function pitchShift(
  x: Float32Array,
  semitones: number,
  sampleRate: number,
  options: Partial<StretchOptions> = {},
): Float32Array {
  checkAudio(x);
  checkFinite(semitones, "semitones");
  checkSampleRate(sampleRate);
  if (Math.abs(semitones) > 24)
    throw new ParameterError(`semitones must be within [-24, 24], got: ${semitones}`);
  if (semitones === 0) return x.slice();
  // Keep the window about 46 ms long at any rate (2048 at 44.1/48 kHz, 4096 at 88.2/96 kHz).
  const fftSize = options.fftSize ?? (sampleRate > 66000 ? 4096 : 2048);
  const ratio = 2 ** (semitones / 12);
  const stretched = timeStretch(x, ratio, { ...options, fftSize });
  const y = tapeSpeed(stretched, ratio);
  if (y.length === x.length) return y;
  // Rounding of the two lengths can leave a sample more or less: trim or pad to the input's.
  const out = new Float32Array(x.length);
  out.set(y.subarray(0, Math.min(y.length, x.length)));
  return out;
}
