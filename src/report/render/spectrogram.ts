/**
 * Spectrogram thumbnail: one Hann-windowed FFT frame per pixel column (centred on the column's
 * time), rows on a log-frequency axis (low at the bottom), colour by dB below the image's loudest
 * cell. Quiet material is not stretched to full brightness: the top of the scale never goes below
 * `floorDbfs`, so silence renders black.
 */
import { ParameterError } from "../../core/errors.js";
import { realFft } from "../../dsp/fft.js";
import { hannPeriodic } from "../../dsp/window.js";
import { MAGMA_LUT } from "./colormap.js";
import { checkSize, encodePng, type ImageSize } from "./png.js";

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
  fftSize: 4096,
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
  const win = hannPeriodic(fftSize);
  const frame = new Float32Array(fftSize);
  const power = new Float32Array(bins);
  // Row -> bin range, computed once: wide rows take the max over their bins, narrow rows
  // (low frequencies, where bins are wider than rows) interpolate between neighbouring bins.
  const binHz = sampleRate / fftSize;
  const rowLo = new Int32Array(height);
  const rowHi = new Int32Array(height);
  const rowPos = new Float32Array(height);
  for (let y = 0; y < height; y++) {
    const [lo, hi] = spectrogramRowBand(y, o);
    rowLo[y] = Math.ceil(lo / binHz);
    rowHi[y] = Math.min(bins - 1, Math.floor(hi / binHz));
    rowPos[y] = Math.min(bins - 1, Math.sqrt(lo * hi) / binHz);
  }
  // Power of a full-scale sine's peak bin under this window: (N/4)^2.
  const refPower = (fftSize / 4) ** 2;
  const cells = new Float32Array(width * height);
  let maxDb = Number.NEGATIVE_INFINITY;
  const n = samples.length;
  for (let x = 0; x < width; x++) {
    const centre = Math.floor(((x + 0.5) * n) / width);
    // Keep the frame inside the signal when it is long enough: a frame hanging over the file's
    // edge sees a step from silence, which paints a broadband smear that is not in the audio.
    const start =
      n >= fftSize ? Math.min(n - fftSize, Math.max(0, centre - fftSize / 2)) : centre - fftSize / 2;
    for (let i = 0; i < fftSize; i++) {
      const j = start + i;
      const v = j >= 0 && j < n ? samples[j] : 0;
      frame[i] = Number.isFinite(v) ? v * win[i] : 0;
    }
    fft.power(frame, power);
    for (let y = 0; y < height; y++) {
      let p: number;
      if (rowHi[y] >= rowLo[y]) {
        p = 0;
        for (let k = rowLo[y]; k <= rowHi[y]; k++) if (power[k] > p) p = power[k];
      } else {
        const k0 = Math.floor(rowPos[y]);
        const k1 = Math.min(bins - 1, k0 + 1);
        const f = rowPos[y] - k0;
        p = power[k0] * (1 - f) + power[k1] * f;
      }
      const db = 10 * Math.log10(p / refPower + 1e-30);
      cells[y * width + x] = db;
      if (db > maxDb) maxDb = db;
    }
  }
  const top = Math.max(maxDb, o.floorDbfs);
  const bottom = top - o.rangeDb;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const t = (cells[i] - bottom) / o.rangeDb;
    const v = t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
    rgba[4 * i] = MAGMA_LUT[3 * v];
    rgba[4 * i + 1] = MAGMA_LUT[3 * v + 1];
    rgba[4 * i + 2] = MAGMA_LUT[3 * v + 2];
    rgba[4 * i + 3] = 255;
  }
  return encodePng(rgba, o);
}
