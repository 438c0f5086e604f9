/**
 * Per-frame spectral features, all computed from ONE power spectrum per frame in a single loop
 * over the bins (flatness, centroid, mel band energies for the onset flux, chroma). The bin ->
 * mel band and bin -> pitch class maps are precomputed, so the per-bin work is a few multiply-adds
 * and one square root; logarithms are taken per group of 16 bins (flatness) or per mel band.
 */
import { ParameterError } from "../core/errors.js";

/** Per-frame features of a whole track (index = frame, see framing.ts for the time convention). */
export interface FrameFeatures {
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly hopSize: number;
  /** Number of input samples analysed. */
  readonly sampleCount: number;
  readonly frameCount: number;
  /**
   * RMS level in dB re full scale (a full-scale square wave is 0 dB, a full-scale sine -3 dB) of the
   * frame's fftSize samples, time domain, unwindowed; zero padding at the track edges is not counted.
   * Floored at RMS_FLOOR_DB, so silence is finite.
   */
  readonly rmsDb: Float32Array;
  /** Peak |x| over RMS of the same samples (linear); 0 for a silent frame. */
  readonly crest: Float32Array;
  /** Mean of the frame's samples (same samples as rmsDb). */
  readonly dcOffset: Float32Array;
  /** Samples with |x| >= CLIP_LEVEL in the frame's own hop block `[i*hop, (i+1)*hop)`. */
  readonly clipCount: Float32Array;
  /** Geometric over arithmetic mean of the power spectrum (bins 1..N/2, floored), in [0, 1]. */
  readonly flatness: Float32Array;
  /** Magnitude-weighted mean frequency of bins 1..N/2 (Hz); 0 for a silent frame. */
  readonly centroidHz: Float32Array;
  /**
   * Half-wave rectified rise of the mel band levels (dB, mean over bands) between consecutive
   * frames, aligned so that an onset at sample t peaks at the frame centred in (t - hop, t]:
   * the rise measured when frame j first contains the onset is stored at frame j + R - 1
   * (R = fftSize / (2 hop)). The first R frames are 0.
   */
  readonly onsetStrength: Float32Array;
  /**
   * 12 pitch-class energies per frame (`chroma[12*i + pc]`, pc 0 = C): the magnitudes of the
   * spectral peaks in [chromaMinHz, chromaMaxHz] summed by the pitch class of their interpolated
   * frequency, scaled so a full-scale sine contributes about 1. Unnormalised, so sums over frames weigh loud
   * frames more.
   */
  readonly chroma: Float32Array;
}

export const RMS_FLOOR_DB = -120;
export const CLIP_LEVEL = 0.999;

export interface SpectralOptions {
  /** Mel bands for the onset flux. */
  melBands: number;
  melMinHz: number;
  melMaxHz: number;
  /** Band levels below this (dB re a full-scale sine in the band) count as this, so noise in silence does not flicker. */
  onsetFloorDb: number;
  /**
   * Chroma frequency range. Chroma is built from spectral peaks (local maxima) whose frequency is
   * refined by parabolic interpolation, so a resolved partial lands on its pitch class even where
   * a bin is wider than a semitone; unresolved low clusters are the remaining error, hence the floor.
   */
  chromaMinHz: number;
  chromaMaxHz: number;
  /** Power floor for flatness, dB re a full-scale sine in one bin. */
  flatnessFloorDb: number;
}

export const DEFAULT_SPECTRAL_OPTIONS: SpectralOptions = {
  melBands: 40,
  melMinHz: 30,
  melMaxHz: 16000,
  onsetFloorDb: -90,
  chromaMinHz: 60,
  chromaMaxHz: 5000,
  flatnessFloorDb: -120,
};

const GROUP = 16;
const PC_RES = 16;
const DB_PER_NEPER_POWER = 10 / Math.LN10;

const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number): number => 700 * (10 ** (m / 2595) - 1);

/** Stateful (previous mel levels) feature extractor for consecutive power spectra of one stream. */
export class SpectralKernel {
  readonly bins: number;
  readonly binHz: number;
  /** Outputs of the last `analyse` call. */
  flatness = 0;
  centroidHz = 0;
  onsetStrength = 0;
  readonly chroma = new Float32Array(12);

  private readonly half: number;
  /** Bins [melStart[q], melStart[q + 1]) lie between mel points q and q + 1. */
  private readonly melStart: Int32Array;
  private readonly melW0: Float32Array;
  private readonly melW1: Float32Array;
  private readonly mel: Float64Array;
  private readonly prevLevel: Float64Array;
  private readonly nMel: number;
  /** Pitch class of a fractional bin position at PC_RES steps per bin (12 = outside the range). */
  private readonly pcTable: Int8Array;
  private readonly chromaK0: number;
  private readonly chromaK1: number;
  private readonly mag: Float32Array;
  private readonly chromaAcc: Float64Array;
  private readonly magScale: number;
  private readonly powScale: number;
  private readonly floorPow: number;
  private readonly flatFloorRaw: number;
  private first = true;

  constructor(sampleRate: number, fftSize: number, windowSum: number, options: SpectralOptions) {
    const o = options;
    const nyq = sampleRate / 2;
    if (!Number.isInteger(o.melBands) || o.melBands < 1) {
      throw new ParameterError(`melBands must be a positive integer, got: ${o.melBands}`);
    }
    if (!(o.melMinHz >= 0 && o.melMinHz < o.melMaxHz && o.melMinHz < nyq)) {
      throw new ParameterError(
        `mel range must satisfy 0 <= min < max and min < ${nyq} Hz, got: [${o.melMinHz}, ${o.melMaxHz}]`,
      );
    }
    if (!(o.chromaMinHz >= 0 && o.chromaMinHz < o.chromaMaxHz && o.chromaMinHz < nyq)) {
      throw new ParameterError(
        `chroma range must satisfy 0 <= min < max, got: [${o.chromaMinHz}, ${o.chromaMaxHz}]`,
      );
    }
    this.half = fftSize / 2;
    this.bins = this.half + 1;
    this.binHz = sampleRate / fftSize;
    // An on-bin sine of amplitude A has |X| = A * sum(w) / 2.
    this.magScale = 2 / windowSum;
    this.powScale = this.magScale * this.magScale;
    this.floorPow = 10 ** (o.onsetFloorDb / 10);
    this.flatFloorRaw = 10 ** (o.flatnessFloorDb / 10) / this.powScale;

    // Mel map: bin k between mel points c[q] and c[q+1] feeds band q-1 with (1-t) and band q with t.
    // Slot s of `mel` holds band s-1; slot 0 and slot nMel+1 collect the edges and are ignored.
    const nMel = o.melBands;
    this.nMel = nMel;
    const melMax = Math.min(o.melMaxHz, nyq);
    const m0 = hzToMel(o.melMinHz);
    const m1 = hzToMel(melMax);
    const pts = new Float64Array(nMel + 2);
    for (let q = 0; q < nMel + 2; q++) pts[q] = melToHz(m0 + ((m1 - m0) * q) / (nMel + 1));
    this.melW0 = new Float32Array(this.bins);
    this.melW1 = new Float32Array(this.bins);
    // Bins 1..N/2 (the spectral features skip DC) inside [pts[0], pts[nMel + 1]).
    this.melStart = new Int32Array(nMel + 2);
    let q = 0;
    let k = 1;
    while (k < this.bins && k * this.binHz < pts[0]) k++;
    this.melStart.fill(k);
    for (; k < this.bins; k++) {
      const f = k * this.binHz;
      if (f >= pts[nMel + 1]) break;
      while (f >= pts[q + 1]) {
        q++;
        this.melStart[q] = k;
      }
      const t = (f - pts[q]) / (pts[q + 1] - pts[q]);
      this.melW0[k] = q === 0 ? 0 : 1 - t;
      this.melW1[k] = q === nMel ? 0 : t;
    }
    for (let r = q + 1; r < nMel + 2; r++) this.melStart[r] = k;
    this.mel = new Float64Array(nMel + 2);
    this.prevLevel = new Float64Array(nMel + 2);

    // Chroma: peaks in bins [k0, k1]; table lookup instead of a log2 per peak.
    const chromaMax = Math.min(o.chromaMaxHz, nyq);
    this.chromaK0 = Math.max(2, Math.ceil(o.chromaMinHz / this.binHz));
    this.chromaK1 = Math.min(this.half - 1, Math.floor(chromaMax / this.binHz));
    this.pcTable = new Int8Array(this.bins * PC_RES).fill(12);
    for (let j = 1; j < this.pcTable.length; j++) {
      const f = (j / PC_RES) * this.binHz;
      if (f < o.chromaMinHz || f > chromaMax) continue;
      const midi = 69 + 12 * Math.log2(f / 440);
      this.pcTable[j] = ((Math.round(midi) % 12) + 12) % 12;
    }
    this.mag = new Float32Array(this.bins);
    this.chromaAcc = new Float64Array(13);
  }

  /** Compute the features of one power spectrum (length `bins`), results in the public fields. */
  analyse(power: Float32Array): void {
    const mel = this.mel;
    const chroma = this.chromaAcc;
    const melW0 = this.melW0;
    const melW1 = this.melW1;
    const mag = this.mag;
    const eps = this.flatFloorRaw;
    mel.fill(0);
    chroma.fill(0);
    // Two interleaved accumulator chains (even/odd bins) so the adds do not wait on each other.
    let arith0 = 0;
    let arith1 = 0;
    let num0 = 0;
    let num1 = 0;
    let den0 = 0;
    let den1 = 0;
    let logGeo = 0;
    const groups = this.half / GROUP;
    for (let g = 0; g < groups; g++) {
      let prod0 = 1;
      let prod1 = 1;
      const k0 = g * GROUP + 1;
      for (let k = k0; k < k0 + GROUP; k += 2) {
        const p = power[k];
        const q = power[k + 1];
        arith0 += p;
        arith1 += q;
        prod0 *= Math.max(p, eps);
        prod1 *= Math.max(q, eps);
        const m = Math.sqrt(p);
        const mq = Math.sqrt(q);
        mag[k] = m;
        mag[k + 1] = mq;
        num0 += k * m;
        num1 += (k + 1) * mq;
        den0 += m;
        den1 += mq;
      }
      // 16 floored powers multiply without leaving the double range (floor ~1e-12 up to ~1e7 raw).
      logGeo += Math.log(prod0 * prod1);
    }
    // Mel bands: bins between mel points q and q+1 feed slots q and q+1; summed in registers per
    // stretch (a scatter per bin would chain every add through memory).
    const starts = this.melStart;
    for (let q = 0; q <= this.nMel; q++) {
      let lo = 0;
      let hi = 0;
      const end = starts[q + 1];
      for (let k = starts[q]; k < end; k++) {
        const p = power[k];
        lo += p * melW0[k];
        hi += p * melW1[k];
      }
      mel[q] += lo;
      mel[q + 1] += hi;
    }
    const arith = arith0 + arith1;
    const num = num0 + num1;
    const den = den0 + den1;
    const n = this.half;
    const arithMean = arith / n;
    this.flatness = arithMean > eps ? Math.min(1, Math.exp(logGeo / n) / arithMean) : 1;
    this.centroidHz = den > 0 ? (num / den) * this.binHz : 0;
    // Chroma from spectral peaks, each at its interpolated frequency, weighted by its magnitude.
    const table = this.pcTable;
    for (let k = this.chromaK0; k <= this.chromaK1; k++) {
      const m = mag[k];
      const ml = mag[k - 1];
      const mr = mag[k + 1];
      if (m > ml && m >= mr) {
        const den2 = ml - 2 * m + mr;
        const delta = den2 < 0 ? (0.5 * (ml - mr)) / den2 : 0;
        chroma[table[Math.round((k + delta) * PC_RES)]] += m;
      }
    }
    const ms = this.magScale;
    for (let pc = 0; pc < 12; pc++) this.chroma[pc] = chroma[pc] * ms;

    // Onset strength: mean rectified rise of the band levels (dB) since the previous frame.
    const nMel = this.nMel;
    const ps = this.powScale;
    const floor = this.floorPow;
    const prev = this.prevLevel;
    let flux = 0;
    for (let s = 1; s <= nMel; s++) {
      const e = mel[s] * ps;
      const level = DB_PER_NEPER_POWER * Math.log(Math.max(e, floor));
      const d = level - prev[s];
      if (d > 0) flux += d;
      prev[s] = level;
    }
    this.onsetStrength = this.first ? 0 : flux / nMel;
    this.first = false;
  }
}
