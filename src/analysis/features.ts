/**
 * Per-frame spectral features, all computed from ONE power spectrum per frame in a single loop
 * over the bins (flatness, centroid, mel band energies for the onset flux, chroma). The bin ->
 * mel band and bin -> pitch class maps are precomputed, so the per-bin work is a few multiply-adds
 * and one square root; logarithms are taken per group of 16 bins (flatness) or per mel band.
 */
import { ParameterError } from "../core/errors.js";
import { AnalysisWasm } from "./kernel.js";

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
   * frame's fftSize samples less their least-squares line (DC and sub-sonic rumble, see frames.ts),
   * time domain, unwindowed; zero padding at the track edges is not counted. Floored at
   * RMS_FLOOR_DB, so silence is finite. Full frames reach the spectral features without that line too.
   */
  readonly rmsDb: Float32Array;
  /** Peak |x| over RMS of the samples as they came (linear); 0 for a silent frame. */
  readonly crest: Float32Array;
  /** Mean of the frame's samples as they came. */
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
  /**
   * Transient strength (dB, >= 0; transients.ts): how far the frame's loudest-rising broad band
   * stands above both what came 46-93 ms before and what follows 116-163 ms after. Percussive hits
   * reach 6 dB and more, even under a sustained chord; sustained sound stays near 0.
   */
  readonly transientDb: Float32Array;
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

const PC_RES = 16;

const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number): number => 700 * (10 ** (m / 2595) - 1);

/**
 * Stateful (previous mel levels) feature extractor for consecutive power spectra of one stream.
 * The tables are built here; the per-bin loop runs in the analysis kernel (kernel.ts), whose
 * memory also holds the power spectrum (`power`), so the frame analyser can write it in place.
 */
export class SpectralKernel {
  readonly bins: number;
  readonly binHz: number;
  /** Outputs of the last `analyse` call. */
  flatness = 0;
  centroidHz = 0;
  onsetStrength = 0;
  readonly chroma = new Float32Array(12);
  /** The kernel's power-spectrum input (`bins` values), a view on its memory. */
  readonly power: Float32Array;

  /** Byte address of `power` in the kernel's memory. */
  readonly powerPtr: number;
  private readonly wasm: AnalysisWasm;
  private readonly outPtr: number;
  private readonly out: Float64Array;
  /** Mel slots (band q in slot q + 1) of the last `analyse`, raw power; see `melPowerInto`. */
  private readonly mel: Float64Array;
  private readonly powScale: number;

  /** `wasm`: the instance to share with a frame analyser that has already reserved its regions. */
  constructor(
    sampleRate: number,
    fftSize: number,
    windowSum: number,
    options: SpectralOptions,
    wasm: AnalysisWasm = new AnalysisWasm(),
  ) {
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
    const half = fftSize / 2;
    const bins = half + 1;
    this.bins = bins;
    this.binHz = sampleRate / fftSize;
    this.wasm = wasm;
    const nMel = o.melBands;
    const ptr = {
      power: wasm.alloc(bins * 4),
      melStart: wasm.alloc((nMel + 2) * 4),
      melW0: wasm.alloc(bins * 4),
      melW1: wasm.alloc(bins * 4),
      pcTable: wasm.alloc(bins * PC_RES),
      mag: wasm.alloc(bins * 4),
      mel: wasm.alloc((nMel + 2) * 8),
      prevLevel: wasm.alloc((nMel + 2) * 8),
      chroma: wasm.alloc(13 * 8),
      out: wasm.alloc(15 * 8),
    };
    this.powerPtr = ptr.power;
    this.outPtr = ptr.out;
    this.power = wasm.f32(ptr.power, bins);
    this.out = wasm.f64(ptr.out, 15);
    // An on-bin sine of amplitude A has |X| = A * sum(w) / 2.
    const magScale = 2 / windowSum;
    const powScale = magScale * magScale;
    this.powScale = powScale;
    this.mel = wasm.f64(ptr.mel, o.melBands + 2);

    // Mel map: bin k between mel points c[q] and c[q+1] feeds band q-1 with (1-t) and band q with t.
    // Slot s of `mel` holds band s-1; slot 0 and slot nMel+1 collect the edges and are ignored.
    const melMax = Math.min(o.melMaxHz, nyq);
    const m0 = hzToMel(o.melMinHz);
    const m1 = hzToMel(melMax);
    const pts = new Float64Array(nMel + 2);
    for (let q = 0; q < nMel + 2; q++) pts[q] = melToHz(m0 + ((m1 - m0) * q) / (nMel + 1));
    const melW0 = wasm.f32(ptr.melW0, bins);
    const melW1 = wasm.f32(ptr.melW1, bins);
    // Bins 1..N/2 (the spectral features skip DC) inside [pts[0], pts[nMel + 1]).
    // Bins [melStart[q], melStart[q + 1]) lie between mel points q and q + 1.
    const melStart = wasm.i32(ptr.melStart, nMel + 2);
    let q = 0;
    let k = 1;
    while (k < bins && k * this.binHz < pts[0]) k++;
    melStart.fill(k);
    for (; k < bins; k++) {
      const f = k * this.binHz;
      if (f >= pts[nMel + 1]) break;
      while (f >= pts[q + 1]) {
        q++;
        melStart[q] = k;
      }
      const t = (f - pts[q]) / (pts[q + 1] - pts[q]);
      melW0[k] = q === 0 ? 0 : 1 - t;
      melW1[k] = q === nMel ? 0 : t;
    }
    for (let r = q + 1; r < nMel + 2; r++) melStart[r] = k;

    // Chroma: peaks in bins [k0, k1]; table lookup instead of a log2 per peak.
    const chromaMax = Math.min(o.chromaMaxHz, nyq);
    const chromaK0 = Math.max(2, Math.ceil(o.chromaMinHz / this.binHz));
    const chromaK1 = Math.min(half - 1, Math.floor(chromaMax / this.binHz));
    const pcTable = wasm.i8(ptr.pcTable, bins * PC_RES).fill(12);
    for (let j = 1; j < pcTable.length; j++) {
      const f = (j / PC_RES) * this.binHz;
      if (f < o.chromaMinHz || f > chromaMax) continue;
      const midi = 69 + 12 * Math.log2(f / 440);
      pcTable[j] = ((Math.round(midi) % 12) + 12) % 12;
    }
    wasm.k.setup(
      half,
      nMel,
      ptr.melStart,
      ptr.melW0,
      ptr.melW1,
      ptr.pcTable,
      chromaK0,
      chromaK1,
      ptr.mag,
      ptr.mel,
      ptr.prevLevel,
      ptr.chroma,
      10 ** (o.flatnessFloorDb / 10) / powScale,
      magScale,
      10 ** (o.onsetFloorDb / 10),
      this.binHz,
    );
  }

  /** Compute the features of one power spectrum (length `bins`), results in the public fields. */
  analyse(power: Float32Array): void {
    if (power.length !== this.bins) {
      throw new ParameterError(`power spectrum must have ${this.bins} bins, got: ${power.length}`);
    }
    if (power !== this.power) this.power.set(power);
    this.analyseInPlace();
  }

  /**
   * The mel band powers of the last `analyse` into `out` (`melBands` values, low band first),
   * scaled so that an on-bin full-scale sine alone in a band gives about 1 (for band levels in dB).
   */
  melPowerInto(out: Float64Array): Float64Array {
    const n = Math.min(out.length, this.mel.length - 2);
    for (let q = 0; q < n; q++) out[q] = this.mel[q + 1] * this.powScale;
    return out;
  }

  /** Compute the features of the spectrum already in `power`. */
  analyseInPlace(): void {
    this.wasm.k.spectral(this.powerPtr, this.outPtr);
    const out = this.out;
    this.flatness = out[0];
    this.centroidHz = out[1];
    this.onsetStrength = out[2];
    for (let pc = 0; pc < 12; pc++) this.chroma[pc] = out[3 + pc];
  }
}
