/**
 * Offline short-time Fourier transform and its inverse.
 *
 * Frame `t` is centred on sample `t * hopSize` (samples outside the signal count as zeros), so every
 * sample, edges included, is covered by the same number of window shapes that the inverse divides
 * out. The inverse overlap-adds `window * ifft(frame)` and divides by the summed squared window
 * actually received by each sample, which reconstructs exactly at any hop that covers the signal.
 */

import { ParameterError } from "../core/errors.js";
import { checkAudio, checkInteger } from "./check.js";
import { realFft } from "./fft.js";
import { hannPeriodic } from "./window.js";

export interface StftOptions {
  /** FFT length in samples (multiple of 32 with factors 2, 3, 5). */
  fftSize: number;
  /** Hop between frame centres in samples (at most fftSize / 2 for a Hann window to cover). */
  hopSize: number;
}

export const STFT_DEFAULTS: Readonly<StftOptions> = { fftSize: 2048, hopSize: 512 };

/** A complex spectrogram: frame `t` is `data[t * stride .. t * stride + fftSize + 2)`, interleaved re/im. */
export interface Spectrogram {
  readonly fftSize: number;
  readonly hopSize: number;
  readonly frames: number;
  /** Bins per frame (fftSize / 2 + 1). */
  readonly bins: number;
  /** Floats per frame in `data` (fftSize + 2). */
  readonly stride: number;
  readonly data: Float32Array;
  /** Length in samples of the analysed signal (what `istft` returns). */
  readonly length: number;
}

export function resolveStftOptions(options: Partial<StftOptions> = {}): StftOptions {
  const o: StftOptions = { ...STFT_DEFAULTS, ...options };
  checkInteger(o.fftSize, 32, "fftSize");
  checkInteger(o.hopSize, 1, "hopSize");
  if (o.hopSize > o.fftSize / 2) {
    throw new ParameterError(`hopSize must be at most fftSize / 2 (${o.fftSize / 2}), got: ${o.hopSize}`);
  }
  return o;
}

/** Number of frames for a signal of `length` samples: centres at 0, hop, ... up to the last sample. */
export function stftFrameCount(length: number, hopSize: number): number {
  return Math.floor(length / hopSize) + 1;
}

/**
 * Copy the windowed frame centred on `centre` into `out` (length window.length), with zeros
 * outside the signal.
 */
export function windowedFrame(
  x: Float32Array,
  centre: number,
  window: Float32Array,
  out: Float32Array,
): void {
  const n = window.length;
  const start = centre - (n >> 1);
  if (start >= 0 && start + n <= x.length) {
    for (let i = 0; i < n; i++) out[i] = x[start + i] * window[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const j = start + i;
    out[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
  }
}

/**
 * Visit every STFT frame without storing the spectrogram (the spectrum buffer is reused: copy it
 * if you keep it).
 */
export function forEachStftFrame(
  x: Float32Array,
  options: Partial<StftOptions>,
  visit: (frame: number, spectrum: Float32Array) => void,
): number {
  checkAudio(x);
  const { fftSize, hopSize } = resolveStftOptions(options);
  const fft = realFft(fftSize);
  const window = hannPeriodic(fftSize);
  const buf = new Float32Array(fftSize);
  const spec = new Float32Array(fftSize + 2);
  const frames = stftFrameCount(x.length, hopSize);
  for (let t = 0; t < frames; t++) {
    windowedFrame(x, t * hopSize, window, buf);
    fft.forward(buf, spec);
    visit(t, spec);
  }
  return frames;
}

/** Complex STFT of `x` with a periodic Hann window. */
export function stft(x: Float32Array, options: Partial<StftOptions> = {}): Spectrogram {
  checkAudio(x);
  const { fftSize, hopSize } = resolveStftOptions(options);
  const fft = realFft(fftSize);
  const window = hannPeriodic(fftSize);
  const buf = new Float32Array(fftSize);
  const stride = fftSize + 2;
  const frames = stftFrameCount(x.length, hopSize);
  const data = new Float32Array(frames * stride);
  for (let t = 0; t < frames; t++) {
    windowedFrame(x, t * hopSize, window, buf);
    fft.forward(buf, data.subarray(t * stride, (t + 1) * stride));
  }
  return { fftSize, hopSize, frames, bins: fftSize / 2 + 1, stride, data, length: x.length };
}

/**
 * Weighted overlap-add with a synthesis window, normalised by the squared window each output
 * sample received. Used by `istft`, the phase vocoder and HPSS.
 */
export class OverlapAdd {
  readonly length: number;
  private readonly out: Float32Array;
  private readonly norm: Float32Array;
  private readonly window: Float32Array;

  constructor(length: number, window: Float32Array) {
    this.length = length;
    this.window = window;
    this.out = new Float32Array(length);
    this.norm = new Float32Array(length);
  }

  /** Add `frame` (time signal, window.length samples) centred on output sample `centre`. */
  add(frame: Float32Array, centre: number): void {
    const w = this.window;
    const n = w.length;
    const start = centre - (n >> 1);
    const i0 = Math.max(0, -start);
    const i1 = Math.min(n, this.length - start);
    const out = this.out;
    const norm = this.norm;
    for (let i = i0; i < i1; i++) {
      const wi = w[i];
      out[start + i] += frame[i] * wi;
      norm[start + i] += wi * wi;
    }
  }

  /** The normalised output (the accumulator itself: call once). */
  finish(): Float32Array {
    const out = this.out;
    const norm = this.norm;
    for (let i = 0; i < out.length; i++) {
      // Samples no window reached (impossible with a covering hop) stay 0 instead of NaN.
      out[i] = norm[i] > 1e-10 ? out[i] / norm[i] : 0;
    }
    return out;
  }
}

/** Inverse STFT (overlap-add normalised by the summed squared window); returns `spec.length` samples. */
export function istft(spec: Spectrogram): Float32Array {
  const { fftSize, hopSize, frames, stride, data, length } = spec;
  if (data.length !== frames * stride || stride !== fftSize + 2) {
    throw new ParameterError(`spectrogram data has ${data.length} floats, expected ${frames * stride}`);
  }
  const fft = realFft(fftSize);
  const ola = new OverlapAdd(length, hannPeriodic(fftSize));
  const buf = new Float32Array(fftSize);
  for (let t = 0; t < frames; t++) {
    fft.inverse(data.subarray(t * stride, (t + 1) * stride), buf);
    ola.add(buf, t * hopSize);
  }
  return ola.finish();
}
