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
 * Weighted overlap-add with a synthesis window, frames centred at 0, hop, 2 hop, ... (the layout of
 * `stft`), normalised by the squared window each output sample received. The norm is periodic
 * with the hop away from the ends, so it is computed once in `finish` instead of accumulated per
 * frame. `scale` multiplies the result (e.g. 1/N for frames from an unscaled inverse FFT). Used by
 * `istft`, the phase vocoder and HPSS.
 */
export class OverlapAdd {
  readonly length: number;
  private readonly out: Float32Array;
  private readonly window: Float32Array;
  private readonly hop: number;
  private readonly scale: number;
  private readonly external: boolean;
  private frames = 0;

  /**
   * `accumulator`: where a kernel overlap-adds the frames itself (`length` samples, zeroed; see
   * `addedElsewhere`); `finish` then returns a copy of it.
   */
  constructor(length: number, window: Float32Array, hop: number, scale = 1, accumulator?: Float32Array) {
    checkInteger(hop, 1, "hop");
    if (accumulator && accumulator.length !== length) {
      throw new ParameterError(`accumulator must have ${length} samples, got: ${accumulator.length}`);
    }
    this.length = length;
    this.window = window;
    this.hop = hop;
    this.scale = scale;
    this.external = accumulator !== undefined;
    this.out = accumulator ?? new Float32Array(length);
  }

  /** Count the next frame, already added into the accumulator at the place `add` would put it. */
  addedElsewhere(): void {
    this.frames++;
  }

  /** Output sample where the next frame's first sample lands (may be negative). */
  get nextStart(): number {
    return this.frames * this.hop - (this.window.length >> 1);
  }

  /** Add the next frame (time signal, window.length samples), centred on output sample frames * hop. */
  add(frame: Float32Array): void {
    const w = this.window;
    const n = w.length;
    const start = this.frames * this.hop - (n >> 1);
    this.frames++;
    const i0 = Math.max(0, -start);
    const i1 = Math.min(n, this.length - start);
    const out = this.out;
    for (let i = i0; i < i1; i++) out[start + i] += frame[i] * w[i];
  }

  /** The normalised output (the accumulator itself: call once). */
  finish(): Float32Array {
    const out = this.out;
    const w = this.window;
    const n = w.length;
    const half = n >> 1;
    const hop = this.hop;
    const frames = this.frames;
    // Interior samples (every frame that could reach them exists) see window positions
    // r, r + hop, r + 2 hop, ... with r = (i + half) mod hop.
    const period = new Float64Array(hop);
    for (let r = 0; r < hop; r++) {
      let e = 0;
      for (let j = r; j < n; j += hop) e += w[j] * w[j];
      period[r] = e;
    }
    const lastCentre = (frames - 1) * hop;
    const from = Math.min(out.length, half);
    const to = Math.max(from, Math.min(out.length, lastCentre - half + 1));
    for (let i = 0; i < from; i++) out[i] = this.normalise(out[i], this.edgeNorm(i));
    let r = (from + half) % hop;
    const scale = this.scale;
    for (let i = from; i < to; i++) {
      const e = period[r];
      out[i] = e > 1e-10 ? (out[i] * scale) / e : 0;
      if (++r === hop) r = 0;
    }
    for (let i = to; i < out.length; i++) out[i] = this.normalise(out[i], this.edgeNorm(i));
    return this.external ? out.slice() : out;
  }

  /** Summed squared window at sample i from the frames that exist. */
  private edgeNorm(i: number): number {
    const w = this.window;
    const n = w.length;
    const half = n >> 1;
    const hop = this.hop;
    const mLo = Math.max(0, Math.ceil((i + half - n + 1) / hop));
    const mHi = Math.min(this.frames - 1, Math.floor((i + half) / hop));
    let e = 0;
    for (let m = mLo; m <= mHi; m++) {
      const v = w[i + half - m * hop];
      e += v * v;
    }
    return e;
  }

  private normalise(v: number, e: number): number {
    // Samples no window reached (impossible with a covering hop) stay 0 instead of NaN.
    return e > 1e-10 ? (v * this.scale) / e : 0;
  }
}

/** Inverse STFT (overlap-add normalised by the summed squared window); returns `spec.length` samples. */
export function istft(spec: Spectrogram): Float32Array {
  const { fftSize, hopSize, frames, stride, data, length } = spec;
  if (data.length !== frames * stride || stride !== fftSize + 2) {
    throw new ParameterError(`spectrogram data has ${data.length} floats, expected ${frames * stride}`);
  }
  const fft = realFft(fftSize);
  const ola = new OverlapAdd(length, hannPeriodic(fftSize), hopSize, 1 / fftSize);
  const buf = new Float32Array(fftSize);
  for (let t = 0; t < frames; t++) {
    fft.inverseUnscaled(data.subarray(t * stride, (t + 1) * stride), buf);
    ola.add(buf);
  }
  return ola.finish();
}
