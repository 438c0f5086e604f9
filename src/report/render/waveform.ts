/**
 * Waveform thumbnail: per pixel column the min/max of the samples it covers, filled, with the
 * column's RMS drawn brighter inside (the loud core reads at a glance, as in most editors).
 * Absolute scale (full height = full scale), so a quiet texture looks quiet.
 */
import { columnStats } from "../../dsp/sample-kernels.js";
import { checkSize, encodeIndexedPng, hexRgb, type ImageSize } from "./png.js";

export interface WaveformOptions extends ImageSize {
  /** Background, "#rrggbb" (the card colour, so the PNG needs no transparency). */
  readonly background: string;
  /** Min/max envelope colour. */
  readonly peakColor: string;
  /** RMS core colour. */
  readonly rmsColor: string;
}

export const WAVEFORM_DEFAULTS: WaveformOptions = {
  width: 480,
  height: 64,
  background: "#1d2229",
  peakColor: "#3f9c93",
  rmsColor: "#8fe3d8",
};

/**
 * Render finite `samples` (mono, nominal [-1, 1]) as a PNG waveform. Silence draws a flat centre
 * line.
 */
export function waveformPng(samples: Float32Array, options: Partial<WaveformOptions> = {}): Uint8Array {
  const o: WaveformOptions = { ...WAVEFORM_DEFAULTS, ...options };
  checkSize(o);
  const { width, height } = o;
  // Three colours: background (index 0), envelope (1), RMS core (2).
  const palette = Uint8Array.from([...hexRgb(o.background), ...hexRgb(o.peakColor), ...hexRgb(o.rmsColor)]);
  const pixels = new Uint8Array(width * height);
  const n = samples.length;
  const half = (height - 1) / 2;
  // Amplitude to row (row 0 at the top), clamped to the image.
  const row = (a: number): number => Math.round((1 - Math.max(-1, Math.min(1, a))) * half);
  const paint = (x: number, y0: number, y1: number, colour: number): void => {
    for (let y = y0; y <= y1; y++) pixels[y * width + x] = colour;
  };
  // Min, max and energy of every column's samples in one SIMD pass (decoded files are finite).
  const cols = n > 0 ? columnStats(samples, width) : null;
  for (let x = 0; x < width; x++) {
    let lo = 0;
    let hi = 0;
    let sumSq = 0;
    let count = 0;
    if (cols) {
      const start = Math.min(n - 1, Math.floor((x * n) / width));
      const end = Math.max(start + 1, Math.min(n, Math.floor(((x + 1) * n) / width)));
      lo = cols[3 * x];
      hi = cols[3 * x + 1];
      sumSq = cols[3 * x + 2];
      count = end - start;
    }
    paint(x, row(hi), row(lo), 1);
    const rms = count > 0 ? Math.sqrt(sumSq / count) : 0;
    // The core stays inside the envelope (RMS can exceed one side of a lopsided column).
    const top = Math.max(row(hi), row(Math.min(rms, hi)));
    const bottom = Math.min(row(lo), row(Math.max(-rms, lo)));
    if (top <= bottom) paint(x, top, bottom, 2);
  }
  return encodeIndexedPng(pixels, o, palette);
}
