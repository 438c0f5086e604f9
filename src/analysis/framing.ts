/**
 * Framing arithmetic shared by every analysis module, kept in one place so frame counts, frame
 * times, window ranges and onset times always agree.
 *
 * Convention ("centred frames", as librosa's `center=True`): frame i is centred on sample
 * `i * hopSize`, i.e. it covers samples `[i*hop - fftSize/2, i*hop + fftSize/2)`, with zeros
 * outside the signal. A signal of n samples has `ceil(n / hop)` frames (every frame whose centre
 * lies inside the signal, i.e. the frames of the sample range [0, n)), and frame i's time is
 * `i * hop / sampleRate` seconds.
 *
 * Each frame also "owns" the non-overlapping block of samples `[i*hop, (i+1)*hop)` (clipping counts
 * are taken there, so summing them over frames counts every sample exactly once).
 */
import { ParameterError } from "../core/errors.js";
import type { Seconds } from "../core/units.js";

export const DEFAULT_FFT_SIZE = 2048;
export const DEFAULT_HOP_SIZE = 512;

/** Throws unless fftSize/hopSize describe a framing the analyser supports. */
export function checkFraming(fftSize: number, hopSize: number): void {
  if (!Number.isInteger(fftSize) || fftSize < 32 || fftSize % 32 !== 0) {
    throw new ParameterError(`fftSize must be an integer multiple of 32, got: ${fftSize}`);
  }
  // The frame's time-domain statistics are assembled from whole hop blocks, so half a frame
  // must be a whole number of hops.
  if (!Number.isInteger(hopSize) || hopSize < 1 || (fftSize / 2) % hopSize !== 0) {
    throw new ParameterError(
      `hopSize must be a positive divisor of fftSize/2 (${fftSize / 2}), got: ${hopSize}`,
    );
  }
}

/** Sample-rate check shared with the DSP core. */
export { checkSampleRate } from "../dsp/check.js";

/** Number of centred frames for a signal of `sampleCount` samples. */
export function frameCountFor(sampleCount: number, hopSize: number): number {
  if (!Number.isInteger(sampleCount) || sampleCount < 0) {
    throw new ParameterError(`sampleCount must be a non-negative integer, got: ${sampleCount}`);
  }
  return Math.ceil(sampleCount / hopSize);
}

/** Time (s) of frame i's centre. */
export function frameTime(frame: number, hopSize: number, sampleRate: number): Seconds {
  return ((frame * hopSize) / sampleRate) as Seconds;
}

/** Half-open frame range `[start, end)`. */
export interface FrameRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Frames whose centres lie in the sample range `[s0, s1)`, clipped to `[0, frameCount)`.
 * Adjacent sample ranges give adjacent, non-overlapping frame ranges.
 */
export function sampleRangeToFrames(s0: number, s1: number, hopSize: number, frameCount: number): FrameRange {
  if (!Number.isFinite(s0) || !Number.isFinite(s1) || s1 < s0) {
    throw new ParameterError(`invalid sample range [${s0}, ${s1})`);
  }
  const clamp = (v: number): number => Math.min(frameCount, Math.max(0, v));
  return { start: clamp(Math.ceil(s0 / hopSize)), end: clamp(Math.ceil(s1 / hopSize)) };
}

/** Frames whose centres lie in the time range `[t0, t1)` (seconds, rounded to whole samples). */
export function timeRangeToFrames(
  t0: number,
  t1: number,
  sampleRate: number,
  hopSize: number,
  frameCount: number,
): FrameRange {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) {
    throw new ParameterError(`invalid time range [${t0}, ${t1}) s`);
  }
  return sampleRangeToFrames(Math.round(t0 * sampleRate), Math.round(t1 * sampleRate), hopSize, frameCount);
}
