/**
 * Gain envelopes: fades (linear, equal-power, Hann), Hann edges and tremolo. Each returns a new
 * array unless an `out` buffer is given (which may be the input itself for in-place use).
 */
import { ParameterError } from "../core/errors.js";
import { checkAudio, checkFinite, checkNonNegative, checkRange, checkSampleRate } from "./check.js";

/** Fade curves: linear gain, equal-power (sin/cos, constant power against its mirror), raised cosine. */
export type FadeShape = "linear" | "equal-power" | "hann";

const FADE_SHAPES: readonly FadeShape[] = ["linear", "equal-power", "hann"];

/** Rising gain of a fade at position `t` in [0, 1]: 0 at t = 0, 1 at t = 1. */
export function fadeGain(shape: FadeShape, t: number): number {
  switch (shape) {
    case "linear":
      return t;
    case "equal-power":
      return Math.sin(0.5 * Math.PI * t);
    case "hann":
      return 0.5 - 0.5 * Math.cos(Math.PI * t);
  }
}

function checkShape(shape: FadeShape): void {
  if (!FADE_SHAPES.includes(shape)) {
    throw new ParameterError(`fade shape must be one of ${FADE_SHAPES.join(", ")}, got: ${String(shape)}`);
  }
}

function prepareOut(x: Float32Array, out: Float32Array | undefined): Float32Array {
  if (out === undefined) return x.slice();
  if (out.length !== x.length)
    throw new ParameterError(`out must have ${x.length} samples, got: ${out.length}`);
  if (out !== x) out.set(x);
  return out;
}

function checkFadeLength(length: number, total: number, name: string): number {
  checkNonNegative(length, name);
  const n = Math.round(length);
  if (n > total)
    throw new ParameterError(`${name} (${n} samples) is longer than the audio (${total} samples)`);
  return n;
}

/**
 * Fade in over the first `length` samples. The first sample gets gain 0 exactly, so a one-shot
 * starts at silence.
 */
export function fadeIn(
  x: Float32Array,
  length: number,
  shape: FadeShape = "linear",
  out?: Float32Array,
): Float32Array {
  checkAudio(x);
  checkShape(shape);
  const n = checkFadeLength(length, x.length, "fade-in length");
  const y = prepareOut(x, out);
  rampIn(y, n, shape);
  return y;
}

// The per-sample loops live in functions of their own: compiled mid-loop inside a larger function,
// V8 bails out of the code after the loop on later calls (see dsp/loop.ts).

/** y[i] *= rising gain at i / n, for i < n. */
function rampIn(y: Float32Array, n: number, shape: FadeShape): void {
  for (let i = 0; i < n; i++) y[i] *= fadeGain(shape, i / n);
}

/** y[start + i] *= rising gain at (n - 1 - i) / n, for i < n (the last sample gets 0). */
function rampOut(y: Float32Array, start: number, n: number, shape: FadeShape): void {
  for (let i = 0; i < n; i++) y[start + i] *= fadeGain(shape, (n - 1 - i) / n);
}

/** Fade out over the last `length` samples; the last sample gets gain 0 exactly. */
export function fadeOut(
  x: Float32Array,
  length: number,
  shape: FadeShape = "linear",
  out?: Float32Array,
): Float32Array {
  checkAudio(x);
  checkShape(shape);
  const n = checkFadeLength(length, x.length, "fade-out length");
  const y = prepareOut(x, out);
  rampOut(y, x.length - n, n, shape);
  return y;
}

export interface FadeOptions {
  fadeInSamples: number;
  fadeOutSamples: number;
  shape: FadeShape;
}

/** Fade in and out in one call (the fades may not overlap). */
export function applyFades(x: Float32Array, options: Partial<FadeOptions>, out?: Float32Array): Float32Array {
  const o: FadeOptions = { fadeInSamples: 0, fadeOutSamples: 0, shape: "linear", ...options };
  checkNonNegative(o.fadeInSamples, "fadeInSamples");
  checkNonNegative(o.fadeOutSamples, "fadeOutSamples");
  if (Math.round(o.fadeInSamples) + Math.round(o.fadeOutSamples) > x.length) {
    throw new ParameterError(
      `fades (${o.fadeInSamples} + ${o.fadeOutSamples} samples) are longer than the audio (${x.length} samples)`,
    );
  }
  const y = fadeIn(x, o.fadeInSamples, o.shape, out);
  return fadeOut(y, o.fadeOutSamples, o.shape, y);
}

/** Raised-cosine (Hann) fades of `edgeSamples` at both ends: the grain / one-shot envelope. */
export function hannEdges(x: Float32Array, edgeSamples: number, out?: Float32Array): Float32Array {
  return applyFades(x, { fadeInSamples: edgeSamples, fadeOutSamples: edgeSamples, shape: "hann" }, out);
}

export interface TremoloOptions {
  rateHz: number;
  /** 0 = no effect, 1 = gain swings down to silence. */
  depth: number;
  sampleRate: number;
  /**
   * Snap the rate so that a loop holds a whole number of cycles (at least one): `true` snaps to
   * the input length, a number to that many samples. The gain then continues across the loop
   * point without a jump in value or phase.
   */
  snapToLength: boolean | number;
  /** LFO phase at the first sample in radians (0 = full gain at the start). */
  phase: number;
}

/** The rate nearest `rateHz` that fits a whole number (>= 1) of cycles into `lengthSamples`. */
export function snapRateToLength(rateHz: number, lengthSamples: number, sampleRate: number): number {
  checkNonNegative(rateHz, "rateHz");
  checkSampleRate(sampleRate);
  if (!(lengthSamples >= 1)) throw new ParameterError(`lengthSamples must be >= 1, got: ${lengthSamples}`);
  const cycles = Math.max(1, Math.round((rateHz * lengthSamples) / sampleRate));
  return (cycles * sampleRate) / lengthSamples;
}

/**
 * Amplitude modulation by a raised-cosine LFO: gain = 1 - depth * (1 - cos(2 pi rate t + phase)) / 2.
 * Returns the audio and the rate actually used (after snapping).
 */
export function tremolo(
  x: Float32Array,
  options: Partial<TremoloOptions> & Pick<TremoloOptions, "rateHz" | "depth" | "sampleRate">,
  out?: Float32Array,
): { audio: Float32Array; rateHz: number } {
  checkAudio(x);
  const o: TremoloOptions = { snapToLength: false, phase: 0, ...options };
  checkSampleRate(o.sampleRate);
  checkNonNegative(o.rateHz, "rateHz");
  checkRange(o.depth, 0, 1, "depth");
  checkFinite(o.phase, "phase");
  let rate = o.rateHz;
  if (o.snapToLength !== false) {
    const length = o.snapToLength === true ? x.length : o.snapToLength;
    rate = snapRateToLength(rate, length, o.sampleRate);
  }
  const y = prepareOut(x, out);
  const w = (2 * Math.PI * rate) / o.sampleRate;
  const half = o.depth / 2;
  applyTremolo(y, w, half, o.phase);
  return { audio: y, rateHz: rate };
}

/** y[i] *= 1 - half + half cos(w i + phase) (its own function so V8 optimises the loop alone). */
function applyTremolo(y: Float32Array, w: number, half: number, phase: number): void {
  // Phase recomputed from the index (not accumulated) so long loops do not drift off the snap.
  for (let i = 0; i < y.length; i++) y[i] *= 1 - half + half * Math.cos(w * i + phase);
}
