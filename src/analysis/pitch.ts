/**
 * Fundamental-pitch estimate for a region of tonal material: YIN (de Cheveigné & Kawahara 2002)
 * on up to `maxFrames` frames spread over the region, difference function computed through the
 * FFT, cumulative-mean-normalised, first dip under the threshold, parabolic refinement; the
 * region's pitch is the median of the voiced frames.
 */
import { ParameterError } from "../core/errors.js";
import { crossSpectrumInto, realFft } from "../dsp/fft.js";

export interface PitchOptions {
  fmin: number;
  fmax: number;
  /** YIN threshold on the normalised difference (aperiodicity) for a frame to count as voiced. */
  threshold: number;
  /** Frames analysed across the region (evenly spread). */
  maxFrames: number;
  /** Below this fraction of voiced frames the region has "no pitch". */
  minVoicedFraction: number;
  /** Frames quieter than this RMS (dBFS) are unvoiced. */
  silenceDb: number;
}

export const DEFAULT_PITCH_OPTIONS: PitchOptions = {
  fmin: 40,
  fmax: 2000,
  threshold: 0.15,
  maxFrames: 24,
  minVoicedFraction: 0.5,
  silenceDb: -80,
};

export interface PitchEstimate {
  readonly hz: number;
  /** Nearest MIDI note (A4 = 69 = 440 Hz). */
  readonly midi: number;
  /** Deviation from that note in cents, in [-50, 50]. */
  readonly cents: number;
  /** Voiced fraction times (1 - median aperiodicity), in [0, 1]. */
  readonly confidence: number;
}

/** Fractional MIDI note number of a frequency (A4 = 440 Hz = 69). */
export function hzToMidi(hz: number): number {
  if (!(hz > 0) || !Number.isFinite(hz)) throw new ParameterError(`frequency must be > 0 Hz, got: ${hz}`);
  return 69 + 12 * Math.log2(hz / 440);
}

export function midiToHz(midi: number): number {
  if (!Number.isFinite(midi)) throw new ParameterError(`MIDI note must be finite, got: ${midi}`);
  return 440 * 2 ** ((midi - 69) / 12);
}

const NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** Note name with octave, sharps for black keys, middle C = C4 (e.g. 57 -> "A3", 61 -> "C#4"). */
export function midiToNoteName(midi: number): string {
  if (!Number.isInteger(midi) || midi < 0 || midi > 127) {
    throw new ParameterError(`MIDI note must be an integer in [0, 127], got: ${midi}`);
  }
  return `${NOTE_NAMES[midi % 12]}${Math.floor(midi / 12) - 1}`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Pitch of a region, or null for "no pitch" (noise, silence, too short, inharmonic). */
export function estimatePitch(
  x: Float32Array,
  sampleRate: number,
  options: Partial<PitchOptions> = {},
): PitchEstimate | null {
  const o: PitchOptions = { ...DEFAULT_PITCH_OPTIONS, ...options };
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) {
    throw new ParameterError(`sampleRate must be > 0, got: ${sampleRate}`);
  }
  if (!(o.fmin > 0) || !(o.fmax > o.fmin) || !(o.fmax < sampleRate / 2)) {
    throw new ParameterError(
      `pitch range must satisfy 0 < fmin < fmax < ${sampleRate / 2} Hz, got: [${o.fmin}, ${o.fmax}]`,
    );
  }
  if (!(o.threshold > 0 && o.threshold < 1)) {
    throw new ParameterError(`threshold must be in (0, 1), got: ${o.threshold}`);
  }
  if (!Number.isInteger(o.maxFrames) || o.maxFrames < 1) {
    throw new ParameterError(`maxFrames must be a positive integer, got: ${o.maxFrames}`);
  }
  const tauMin = Math.max(2, Math.floor(sampleRate / o.fmax));
  let tauMax = Math.ceil(sampleRate / o.fmin) + 1;
  // The integration window spans at least one period of fmin; shorter regions shrink both.
  let w = tauMax;
  if (x.length < w + tauMax + 1) {
    tauMax = Math.floor((x.length - 1) / 2);
    w = x.length - tauMax - 1;
  }
  if (tauMax <= tauMin + 1) return null;
  const len = w + tauMax + 1;
  let m = 32;
  while (m < len) m *= 2;
  const fft = realFft(m);
  const a = new Float32Array(m);
  const b = new Float32Array(m);
  const specA = new Float32Array(m + 2);
  const specB = new Float32Array(m + 2);
  const corr = new Float32Array(m);
  const d = new Float64Array(tauMax + 2);
  const sq = new Float64Array(len + 1);
  const silencePow = 10 ** (o.silenceDb / 10);

  const frames = Math.max(1, Math.min(o.maxFrames, Math.floor((x.length - len) / (w / 2)) + 1));
  const step = frames > 1 ? (x.length - len) / (frames - 1) : 0;
  const voicedHz: number[] = [];
  const voicedAp: number[] = [];
  for (let f = 0; f < frames; f++) {
    const start = Math.round(f * step);
    b.fill(0);
    b.set(x.subarray(start, start + len));
    a.fill(0);
    a.set(x.subarray(start, start + w));
    const bad = prefixSquares(b, len, sq);
    if (bad >= 0) throw new ParameterError(`non-finite sample at ${start + bad}`);
    const e0 = sq[w];
    if (e0 / w < silencePow) continue;
    fft.forward(a, specA);
    fft.forward(b, specB);
    fft.inverse(crossSpectrumInto(specA, specB), corr);
    normalisedDifference(d, sq, corr, e0, w, tauMax);
    const tau = firstDip(d, tauMin, tauMax, o.threshold);
    if (tau < 0) continue;
    const y0 = d[tau - 1];
    const y1 = d[tau];
    const y2 = d[tau + 1];
    const den = y0 - 2 * y1 + y2;
    const shift = den > 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / den)) : 0;
    voicedHz.push(sampleRate / (tau + shift));
    voicedAp.push(Math.max(0, y1));
  }
  const voicedFraction = voicedHz.length / frames;
  if (voicedHz.length === 0 || voicedFraction < o.minVoicedFraction) return null;
  const hz = median(voicedHz);
  const midiFloat = hzToMidi(hz);
  const midi = Math.round(midiFloat);
  return {
    hz,
    midi,
    cents: 100 * (midiFloat - midi),
    confidence: Math.max(0, Math.min(1, voicedFraction * (1 - median(voicedAp)))),
  };
}

// The loops of one frame live in functions of their own: V8 then optimises each loop alone instead
// of compiling estimatePitch mid-loop and bailing out of its later code (see dsp/loop.ts).

/** sq[i + 1] = sq[i] + b[i]^2 for i < len; returns the index of a non-finite sample, or -1. */
function prefixSquares(b: Float32Array, len: number, sq: Float64Array): number {
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(b[i])) return i;
    sq[i + 1] = sq[i] + b[i] * b[i];
  }
  return -1;
}

/** The cumulative-mean-normalised difference d'(tau) for tau in [0, tauMax]. */
function normalisedDifference(
  d: Float64Array,
  sq: Float64Array,
  corr: Float32Array,
  e0: number,
  w: number,
  tauMax: number,
): void {
  d[0] = 1;
  let running = 0;
  for (let tau = 1; tau <= tauMax; tau++) {
    const diff = Math.max(0, e0 + (sq[tau + w] - sq[tau]) - 2 * corr[tau]);
    running += diff;
    d[tau] = running > 0 ? (diff * tau) / running : 1;
  }
}

/** The first dip of d under `threshold` in [tauMin, tauMax), followed down to its minimum; -1 if none. */
function firstDip(d: Float64Array, tauMin: number, tauMax: number, threshold: number): number {
  for (let t = tauMin; t < tauMax; t++) {
    if (d[t] < threshold) {
      while (t + 1 < tauMax && d[t + 1] < d[t]) t++;
      return t;
    }
  }
  return -1;
}
