/**
 * Timbre fingerprint of a finished texture: a small fixed-length vector that places similar sounds
 * near each other (the report's map and neighbours, `patina kit`'s spread over timbre). Computed
 * at make time from the audio as written, over at most FINGERPRINT_FRAMES Hann frames spread
 * evenly across the texture (channels averaged), each analysed once by the analysis kernel's
 * spectral pass (features.ts: mel bands, flatness, centroid and chroma from one power spectrum).
 *
 * Dimensions (FINGERPRINT_DIMS, 54 in this order):
 * - `mel00_mean` .. `mel19_mean`: mean over frames of the 20 mel band levels (30 Hz - 16 kHz,
 *   dB re a full-scale sine in the band, floored at -100 dB): the spectral envelope and level.
 * - `mel00_std` .. `mel19_std`: their standard deviation over frames (dB): how much each band
 *   moves (a steady pad is low, a flickering cloud high).
 * - `flatness_db`: mean of 10 log10(spectral flatness) over the frames that are not silent
 *   (0 dB = white noise, -30 dB and below = clearly tonal).
 * - `centroid_oct`: mean of log2(centroid / 1 kHz) over the frames that are not silent (octaves).
 * - `chroma_C` .. `chroma_B`: the frames' chroma summed and normalised to sum 1 (1/12 each when
 *   nothing tonal was found): which pitch classes the texture holds.
 * A silent texture gives the floor levels, 0 spreads, 0 dB flatness, 0 octaves and flat chroma.
 */
import type { PlanarAudio } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import { type RealFft, realFft } from "../dsp/fft.js";
import { hannPeriodic } from "../dsp/window.js";
import { DEFAULT_SPECTRAL_OPTIONS, SpectralKernel } from "./features.js";
import { FINGERPRINT_MEL_BANDS } from "./fingerprint-dims.js";
import { AnalysisWasm } from "./kernel.js";

export { FINGERPRINT_DIMS, FINGERPRINT_MEL_BANDS } from "./fingerprint-dims.js";

/** Frames analysed at most per texture: enough for stable means and spreads, cheap at make time. */
export const FINGERPRINT_FRAMES = 32;
const FLOOR_DB = -100;
/** Frames quieter than this (RMS, dBFS) count as silent for flatness and centroid. */
const SILENT_FRAME_DB = -80;

const DB_PER_NEPER_POWER = 10 / Math.LN10;

/** One analyser per FFT size and sample rate: tables and kernel memory built once. */
class Fingerprinter {
  private readonly fft: RealFft;
  private readonly kernel: SpectralKernel;
  private readonly window: Float32Array;
  private readonly frame: Float32Array;
  private readonly mel = new Float64Array(FINGERPRINT_MEL_BANDS);
  // Per-frame accumulators, reused between textures.
  private readonly melSum = new Float64Array(FINGERPRINT_MEL_BANDS);
  private readonly melSq = new Float64Array(FINGERPRINT_MEL_BANDS);
  private readonly chroma = new Float64Array(12);

  constructor(
    readonly sampleRate: number,
    readonly fftSize: number,
  ) {
    this.fft = realFft(fftSize);
    this.window = hannPeriodic(fftSize);
    let wsum = 0;
    for (let i = 0; i < fftSize; i++) wsum += this.window[i];
    this.kernel = new SpectralKernel(
      sampleRate,
      fftSize,
      wsum,
      {
        ...DEFAULT_SPECTRAL_OPTIONS,
        melBands: FINGERPRINT_MEL_BANDS,
        melMaxHz: Math.min(DEFAULT_SPECTRAL_OPTIONS.melMaxHz, sampleRate / 2),
      },
      new AnalysisWasm(),
    );
    this.frame = new Float32Array(fftSize);
  }

  compute(audio: PlanarAudio): number[] {
    const chans = audio.channels;
    const n = chans[0].length;
    const size = this.fftSize;
    const frames = n <= size ? 1 : Math.min(FINGERPRINT_FRAMES, 1 + Math.floor((n - size) / (size / 2)));
    const span = Math.max(0, n - size);
    const k = this.kernel;
    this.melSum.fill(0);
    this.melSq.fill(0);
    this.chroma.fill(0);
    let flatSum = 0;
    let centroidSum = 0;
    let voiced = 0;
    const gain = 1 / chans.length;
    for (let f = 0; f < frames; f++) {
      const start = frames === 1 ? 0 : Math.round((f * span) / (frames - 1));
      const len = Math.min(size, n - start);
      const x = this.frame;
      let energy = 0;
      for (let i = 0; i < len; i++) {
        let s = 0;
        for (let c = 0; c < chans.length; c++) s += chans[c][start + i];
        s *= gain;
        energy += s * s;
        x[i] = s * this.window[i];
      }
      x.fill(0, len);
      this.fft.power(x, k.power);
      k.analyseInPlace();
      k.melPowerInto(this.mel);
      for (let b = 0; b < FINGERPRINT_MEL_BANDS; b++) {
        const e = this.mel[b];
        const db = e > 0 ? Math.max(FLOOR_DB, DB_PER_NEPER_POWER * Math.log(e)) : FLOOR_DB;
        this.melSum[b] += db;
        this.melSq[b] += db * db;
      }
      for (let pc = 0; pc < 12; pc++) this.chroma[pc] += k.chroma[pc];
      const rmsDb = energy > 0 ? DB_PER_NEPER_POWER * Math.log(energy / Math.max(1, len)) : -Infinity;
      if (rmsDb > SILENT_FRAME_DB && k.centroidHz > 0) {
        flatSum += DB_PER_NEPER_POWER * Math.log(Math.max(1e-12, k.flatness));
        centroidSum += Math.log2(k.centroidHz / 1000);
        voiced++;
      }
    }
    const out: number[] = [];
    for (let b = 0; b < FINGERPRINT_MEL_BANDS; b++) out.push(this.melSum[b] / frames);
    for (let b = 0; b < FINGERPRINT_MEL_BANDS; b++) {
      const mean = this.melSum[b] / frames;
      out.push(Math.sqrt(Math.max(0, this.melSq[b] / frames - mean * mean)));
    }
    out.push(voiced > 0 ? flatSum / voiced : 0);
    out.push(voiced > 0 ? centroidSum / voiced : 0);
    let total = 0;
    for (let pc = 0; pc < 12; pc++) total += this.chroma[pc];
    for (let pc = 0; pc < 12; pc++) out.push(total > 0 ? this.chroma[pc] / total : 1 / 12);
    return out;
  }
}

const analysers = new Map<string, Fingerprinter>();

/** FFT size for a sample rate: about 46 ms (2048 points at 44.1 and 48 kHz). */
function fftSizeFor(sampleRate: number): number {
  return sampleRate <= 50000 ? 2048 : sampleRate <= 100000 ? 4096 : 8192;
}

/**
 * The timbre fingerprint of a texture (see the module comment for the dimensions): a plain array of
 * FINGERPRINT_DIMS.length finite numbers. Deterministic: the same audio gives the same vector.
 */
export function timbreFingerprint(audio: PlanarAudio): number[] {
  const chans = audio.channels;
  if (chans.length === 0 || chans[0].length === 0) {
    throw new ParameterError("cannot fingerprint empty audio");
  }
  if (!Number.isInteger(audio.sampleRate) || audio.sampleRate < 8000) {
    throw new ParameterError(`fingerprint needs a sample rate of at least 8000 Hz, got: ${audio.sampleRate}`);
  }
  const size = fftSizeFor(audio.sampleRate);
  const key = `${audio.sampleRate}:${size}`;
  let a = analysers.get(key);
  if (a === undefined) {
    a = new Fingerprinter(audio.sampleRate, size);
    analysers.set(key, a);
  }
  return a.compute(audio);
}
