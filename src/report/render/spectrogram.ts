/**
 * Spectrogram thumbnail: one Hann-windowed FFT frame per pixel column (centred on the column's
 * time), rows on a log-frequency axis (low at the bottom), colour by dB below the image's loudest
 * cell. Quiet material is not stretched to full brightness: the top of the scale never goes below
 * `floorDbfs`, so silence renders black. Samples must be finite (decoded files are).
 */

import { AnalysisWasm } from "../../analysis/kernel.js";
import { ParameterError } from "../../core/errors.js";
import { realFft } from "../../dsp/fft.js";
import { hannPeriodic } from "../../dsp/window.js";
import { MAGMA_LUT } from "./colormap.js";
import { checkSize, encodeIndexedPng, type ImageSize } from "./png.js";

export interface SpectrogramOptions extends ImageSize {
  /** FFT frame length in samples (multiple of 32, factors 2/3/5). */
  readonly fftSize: number;
  /** Bottom edge of the frequency axis, Hz. */
  readonly minHz: number;
  /** Top edge, Hz (clamped to Nyquist). */
  readonly maxHz: number;
  /** Colour range below the loudest cell, dB. */
  readonly rangeDb: number;
  /** The loudest cell is taken as at least this level (dB relative to a full-scale sine). */
  readonly floorDbfs: number;
}

export const SPECTROGRAM_DEFAULTS: SpectrogramOptions = {
  width: 240,
  height: 64,
  fftSize: 2048,
  minHz: 30,
  maxHz: 20000,
  rangeDb: 80,
  floorDbfs: -90,
};

/** Frequency band [lowHz, highHz] shown by image row `row` (row 0 at the top). */
export function spectrogramRowBand(
  row: number,
  o: Pick<SpectrogramOptions, "height" | "minHz" | "maxHz">,
): [number, number] {
  const up = o.height - 1 - row;
  const ratio = o.maxHz / o.minHz;
  return [o.minHz * ratio ** (up / o.height), o.minHz * ratio ** ((up + 1) / o.height)];
}

/** Render a spectrogram of mono `samples` at `sampleRate` as PNG bytes. */
export function spectrogramPng(
  samples: Float32Array,
  sampleRate: number,
  options: Partial<SpectrogramOptions> = {},
): Uint8Array {
  const o0: SpectrogramOptions = { ...SPECTROGRAM_DEFAULTS, ...options };
  checkSize(o0);
  if (!(sampleRate > 0)) throw new ParameterError(`sampleRate must be positive, got: ${sampleRate}`);
  const o: SpectrogramOptions = { ...o0, maxHz: Math.min(o0.maxHz, sampleRate / 2) };
  if (!(o.minHz > 0 && o.minHz < o.maxHz)) {
    throw new ParameterError(`need 0 < minHz < maxHz (<= Nyquist), got: ${o.minHz}..${o.maxHz}`);
  }
  const { width, height, fftSize } = o;
  const fft = realFft(fftSize);
  const bins = fft.bins;
  // Frame, window, spectrum, power, row tables and cells in one analysis-kernel instance:
  // windowing, power and the per-row maxima and dB run there, the FFT in PFFFT.
  const w = AnalysisWasm.acquire();
  const ptr = {
    frame: w.alloc(fftSize * 4),
    window: w.alloc(fftSize * 4),
    windowed: w.alloc(fftSize * 4),
    spec: w.alloc(fftSize * 4),
    pow: w.alloc(bins * 4 + 16),
    rowLo: w.alloc(height * 4),
    rowHi: w.alloc(height * 4),
    rowPos: w.alloc(height * 4),
    cells: w.alloc(width * height * 4),
  };
  const frame = w.f32(ptr.frame, fftSize);
  w.f32(ptr.window, fftSize).set(hannPeriodic(fftSize));
  const windowed = w.f32(ptr.windowed, fftSize);
  const spec = w.f32(ptr.spec, fftSize);
  // Row -> bin range, computed once: wide rows take the max over their bins, narrow rows
  // (low frequencies, where bins are wider than rows) interpolate between neighbouring bins.
  const binHz = sampleRate / fftSize;
  const rowLo = w.i32(ptr.rowLo, height);
  const rowHi = w.i32(ptr.rowHi, height);
  const rowPos = w.f32(ptr.rowPos, height);
  for (let y = 0; y < height; y++) {
    const [lo, hi] = spectrogramRowBand(y, o);
    rowLo[y] = Math.ceil(lo / binHz);
    rowHi[y] = Math.min(bins - 1, Math.floor(hi / binHz));
    rowPos[y] = Math.min(bins - 1, Math.sqrt(lo * hi) / binHz);
  }
  // Power of a full-scale sine's peak bin under this window: (N/4)^2.
  const refPower = (fftSize / 4) ** 2;
  const k = w.k;
  let maxDb = Number.NEGATIVE_INFINITY;
  const n = samples.length;
  for (let x = 0; x < width; x++) {
    const centre = Math.floor(((x + 0.5) * n) / width);
    // Keep the frame inside the signal when it is long enough: a frame hanging over the file's
    // edge sees a step from silence, which paints a broadband smear that is not in the audio.
    const start =
      n >= fftSize ? Math.min(n - fftSize, Math.max(0, centre - fftSize / 2)) : centre - fftSize / 2;
    const from = Math.max(0, start);
    const to = Math.min(n, start + fftSize);
    frame.fill(0);
    if (to > from) frame.set(samples.subarray(from, to), from - start);
    k.windowMul(ptr.frame, ptr.window, ptr.windowed, fftSize);
    fft.forwardOrdered(windowed, spec);
    k.powerOrdered(ptr.spec, ptr.pow, fftSize);
    const colMax = k.spectrogramColumn(
      ptr.pow,
      ptr.rowLo,
      ptr.rowHi,
      ptr.rowPos,
      height,
      bins,
      refPower,
      ptr.cells + 4 * x,
      width,
    );
    if (colMax > maxDb) maxDb = colMax;
  }
  const cells = w.f32(ptr.cells, width * height).slice();
  w.release();
  const top = Math.max(maxDb, o.floorDbfs);
  const bottom = top - o.rangeDb;
  // The colour map is the palette: each cell stores its level index.
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const t = (cells[i] - bottom) / o.rangeDb;
    pixels[i] = t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
  }
  return encodeIndexedPng(pixels, o, MAGMA_LUT);
}
