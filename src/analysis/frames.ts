/**
 * Streaming frame analyser: push mono samples in chunks of any size, get every per-frame feature
 * from one pass. One windowed power spectrum per frame feeds all spectral features; the
 * time-domain features come from per-hop-block sums, so each sample is touched once for them.
 * The frame buffer lives in the analysis kernel's memory (kernel.ts): windowing, block sums,
 * power spectrum and features run there, the FFT in PFFFT, with one bulk copy each way.
 *
 * Levels and spectra are measured without DC or sub-sonic rumble: a straight line fitted to each
 * frame's samples (least squares, from per-block sums and first moments) is taken out before its
 * level is measured and before it is windowed. Over a 46 ms frame that removes DC exactly and
 * acts as a high-pass for the level: -2 dB at 20 Hz, -11 dB at 10 Hz, -22 dB at 5 Hz, under
 * 0.5 dB from 30 Hz up. An offset or rumble carries no sound, but it would hold a release tail's
 * level up (+0.07 alone reads -23 dB) and make it look like a steady pad. A per-sample filter
 * would cost a serial dependency chain per sample (measured: 50 ms per 5-minute track); this costs
 * one extra SIMD pass per block. DC and clipping are counted on the samples as they came.
 */
import { ParameterError } from "../core/errors.js";
import { type RealFft, realFft } from "../dsp/fft.js";
import { hannPeriodic } from "../dsp/window.js";
import {
  CLIP_LEVEL,
  DEFAULT_SPECTRAL_OPTIONS,
  type FrameFeatures,
  RMS_FLOOR_DB,
  SpectralKernel,
  type SpectralOptions,
} from "./features.js";
import {
  checkFraming,
  checkSampleRate,
  DEFAULT_FFT_SIZE,
  DEFAULT_HOP_SIZE,
  frameCountFor,
} from "./framing.js";
import { GrowableFloat32 } from "./growable.js";
import { AnalysisWasm } from "./kernel.js";
import { bandPowersInto, TRANSIENT_BANDS, transientBandBins, transientStrength } from "./transients.js";

export interface FrameAnalyzerOptions extends SpectralOptions {
  sampleRate: number;
  fftSize: number;
  hopSize: number;
  /** Expected number of samples, to size the feature arrays up front (optional). */
  expectedSamples: number;
}

export const DEFAULT_FRAME_ANALYZER_OPTIONS: Omit<FrameAnalyzerOptions, "sampleRate"> = {
  ...DEFAULT_SPECTRAL_OPTIONS,
  fftSize: DEFAULT_FFT_SIZE,
  hopSize: DEFAULT_HOP_SIZE,
  expectedSamples: 0,
};

const DB_PER_NEPER_POWER = 10 / Math.LN10;

export class FrameAnalyzer {
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly hopSize: number;

  private readonly fft: RealFft;
  private readonly wasm: AnalysisWasm;
  private readonly kernel: SpectralKernel;
  /** Samples of the next frame as they came, in padded coordinates (the signal starts at fftSize/2). */
  private readonly buf: Float32Array;
  private fill: number;
  private readonly bufPtr: number;
  /** Transient band edges (bins) and the kernel's band powers [total, band 0, ...]. */
  private readonly edgesPtr: number;
  private readonly bandsPtr: number;
  private readonly bandPower: Float64Array;
  private readonly bandScale: number;
  private readonly bandScratch = new Float32Array(TRANSIENT_BANDS);
  private readonly windowPtr: number;
  private readonly windowedPtr: number;
  private readonly windowed: Float32Array;
  private readonly spectrumPtr: number;
  private readonly spectrum: Float32Array;
  private readonly statsPtr: number;
  /** [sum, sum of squares, peak, clip count, first non-finite] of the last block, written by the kernel. */
  private readonly stats: Float64Array;
  /** Ring of per-hop-block stats for the 2R blocks a frame spans (R = fftSize / (2 hop)). */
  private readonly blocks: number;
  private readonly bSum: Float64Array;
  private readonly bSq: Float64Array;
  private readonly bPeak: Float64Array;
  private readonly bClip: Float64Array;
  private readonly bCount: Float64Array;
  /** sum(i * x[i]) of each block (i from the block's start). */
  private readonly bMoment: Float64Array;
  /** fitLine's result (no allocation per frame). */
  private readonly line = new Float64Array(5);
  private frames = 0;
  private samplesIn = 0;
  private finished = false;

  private readonly out: {
    rmsDb: GrowableFloat32;
    crest: GrowableFloat32;
    dcOffset: GrowableFloat32;
    clipCount: GrowableFloat32;
    flatness: GrowableFloat32;
    centroidHz: GrowableFloat32;
    onsetStrength: GrowableFloat32;
    chroma: GrowableFloat32;
    bandPower: GrowableFloat32;
  };

  constructor(options: Partial<FrameAnalyzerOptions> & { sampleRate: number }) {
    const o: FrameAnalyzerOptions = { ...DEFAULT_FRAME_ANALYZER_OPTIONS, ...options };
    checkSampleRate(o.sampleRate);
    checkFraming(o.fftSize, o.hopSize);
    this.sampleRate = o.sampleRate;
    this.fftSize = o.fftSize;
    this.hopSize = o.hopSize;
    this.fft = realFft(o.fftSize);
    const window = hannPeriodic(o.fftSize);
    let wsum = 0;
    for (let i = 0; i < o.fftSize; i++) wsum += window[i];
    // This analyser's regions first, then the spectral kernel's, then the views.
    const wasm = AnalysisWasm.acquire();
    this.wasm = wasm;
    const bytes = o.fftSize * 4;
    this.bufPtr = wasm.alloc(bytes);
    this.windowPtr = wasm.alloc(bytes);
    this.windowedPtr = wasm.alloc(bytes);
    this.spectrumPtr = wasm.alloc(bytes);
    this.statsPtr = wasm.alloc(5 * 8);
    this.edgesPtr = wasm.alloc((TRANSIENT_BANDS + 1) * 4);
    this.bandsPtr = wasm.alloc((TRANSIENT_BANDS + 1) * 8);
    this.kernel = new SpectralKernel(o.sampleRate, o.fftSize, wsum, o, wasm);
    this.buf = wasm.f32(this.bufPtr, o.fftSize);
    wasm.i32(this.edgesPtr, TRANSIENT_BANDS + 1).set(transientBandBins(o.sampleRate, o.fftSize));
    this.bandPower = wasm.f64(this.bandsPtr, TRANSIENT_BANDS + 1);
    // An on-bin sine of amplitude A has |X| = A * sum(w) / 2: band powers in full-scale-sine units.
    this.bandScale = (2 / wsum) ** 2;
    wasm.f32(this.windowPtr, o.fftSize).set(window);
    this.windowed = wasm.f32(this.windowedPtr, o.fftSize);
    this.spectrum = wasm.f32(this.spectrumPtr, o.fftSize);
    this.stats = wasm.f64(this.statsPtr, 5);
    this.fill = o.fftSize / 2;
    this.blocks = o.fftSize / o.hopSize;
    this.bSum = new Float64Array(this.blocks);
    this.bSq = new Float64Array(this.blocks);
    this.bPeak = new Float64Array(this.blocks);
    this.bClip = new Float64Array(this.blocks);
    this.bCount = new Float64Array(this.blocks);
    this.bMoment = new Float64Array(this.blocks);
    const cap = Math.max(1024, Math.floor(o.expectedSamples / o.hopSize) + 2);
    this.out = {
      rmsDb: new GrowableFloat32(cap),
      crest: new GrowableFloat32(cap),
      dcOffset: new GrowableFloat32(cap),
      clipCount: new GrowableFloat32(cap),
      flatness: new GrowableFloat32(cap),
      centroidHz: new GrowableFloat32(cap),
      onsetStrength: new GrowableFloat32(cap),
      chroma: new GrowableFloat32(cap * 12),
      bandPower: new GrowableFloat32(cap * TRANSIENT_BANDS),
    };
  }

  /** Frames analysed so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** Append mono samples (any length; the array is not kept). */
  push(chunk: Float32Array): void {
    if (this.finished) throw new ParameterError("FrameAnalyzer.push called after finish()");
    const n = this.fftSize;
    let pos = 0;
    while (pos < chunk.length) {
      const take = Math.min(n - this.fill, chunk.length - pos);
      this.buf.set(chunk.subarray(pos, pos + take), this.fill);
      this.fill += take;
      pos += take;
      if (this.fill === n) this.frame(Number.POSITIVE_INFINITY);
    }
    this.samplesIn += chunk.length;
  }

  /** Pad the end with zeros, analyse the remaining frames and return all features. */
  finish(): FrameFeatures {
    if (this.finished) throw new ParameterError("FrameAnalyzer.finish called twice");
    this.finished = true;
    const total = this.samplesIn;
    const target = frameCountFor(total, this.hopSize);
    while (this.frames < target) {
      this.buf.fill(0, this.fill);
      this.fill = this.fftSize;
      this.frame(total);
    }
    // Nothing below reads the kernel's memory: the next analyser may take the instance.
    this.wasm.release();
    const o = this.out;
    o.onsetStrength.truncate(this.frames);
    const frameRate = this.sampleRate / this.hopSize;
    return {
      sampleRate: this.sampleRate,
      fftSize: this.fftSize,
      hopSize: this.hopSize,
      sampleCount: total,
      frameCount: this.frames,
      rmsDb: o.rmsDb.toArray(),
      crest: o.crest.toArray(),
      dcOffset: o.dcOffset.toArray(),
      clipCount: o.clipCount.toArray(),
      flatness: o.flatness.toArray(),
      centroidHz: o.centroidHz.toArray(),
      onsetStrength: o.onsetStrength.toArray(),
      chroma: o.chroma.toArray(),
      transientDb: transientStrength(o.bandPower.toArray(), frameRate),
    };
  }

  /** Analyse the frame in `buf`; `total` is the final sample count once known (else Infinity). */
  private frame(total: number): void {
    const n = this.fftSize;
    const hop = this.hopSize;
    const i = this.frames;
    const r = this.blocks / 2;
    // Block b covers signal samples [b*hop, (b+1)*hop); frame i spans blocks i-R .. i+R-1 and
    // buf position j*hop holds block i-R+j. At the first frame every block is new; after that
    // only the last one.
    const firstJ = i === 0 ? 0 : this.blocks - 1;
    const k = this.wasm.k;
    const st = this.stats;
    for (let j = firstJ; j < this.blocks; j++) {
      const b = i - r + j;
      const slot = ((b % this.blocks) + this.blocks) % this.blocks;
      const at = this.bufPtr + j * hop * 4;
      k.blockStats(at, hop, CLIP_LEVEL, this.statsPtr);
      const s = st[0];
      const sq = st[1];
      const peak = st[2];
      const clip = st[3];
      if (!Number.isFinite(sq)) {
        throw new ParameterError(
          `non-finite sample (NaN or Infinity) in samples [${b * hop}, ${(b + 1) * hop})`,
        );
      }
      this.bMoment[slot] = k.blockMoment(at, hop);
      this.bSum[slot] = s;
      this.bSq[slot] = sq;
      this.bPeak[slot] = peak;
      this.bClip[slot] = clip;
      this.bCount[slot] = b < 0 ? 0 : Math.min(hop, Math.max(0, total - b * hop));
    }
    let peak = 0;
    let sq = 0;
    for (let slot = 0; slot < this.blocks; slot++) {
      if (this.bPeak[slot] > peak) peak = this.bPeak[slot];
      sq += this.bSq[slot];
    }
    const line = this.fitLine(i);
    const count = line[0];
    const s = line[1];
    const ms = count > 0 ? line[2] / count : 0;
    const rawRms = count > 0 ? Math.sqrt(sq / count) : 0;
    const o = this.out;
    o.rmsDb.push(Math.max(RMS_FLOOR_DB, ms > 0 ? DB_PER_NEPER_POWER * Math.log(ms) : RMS_FLOOR_DB));
    o.crest.push(rawRms > 0 ? peak / rawRms : 0);
    o.dcOffset.push(count > 0 ? s / count : 0);
    o.clipCount.push(this.bClip[((i % this.blocks) + this.blocks) % this.blocks]);

    // Full frames lose their line before the transform too (edge frames hold padding: as they are).
    if (count === n) k.windowMulLine(this.bufPtr, this.windowPtr, this.windowedPtr, n, line[3], line[4]);
    else k.windowMul(this.bufPtr, this.windowPtr, this.windowedPtr, n);
    this.fft.forwardOrdered(this.windowed, this.spectrum);
    const spectral = this.kernel;
    k.powerOrdered(this.spectrumPtr, spectral.powerPtr, n);
    spectral.analyseInPlace();
    o.flatness.push(spectral.flatness);
    o.centroidHz.push(spectral.centroidHz);
    // The flux jumps at the first frame that contains an onset, whose centre lies between
    // fftSize/2 - hop and fftSize/2 samples before it; storing it R - 1 frames later puts the
    // peak at the frame centred at most one hop before the onset.
    if (i === 0) for (let z = 0; z < r - 1; z++) o.onsetStrength.push(0);
    o.onsetStrength.push(spectral.onsetStrength);
    o.chroma.pushFrom(spectral.chroma, 0, 12);
    k.bandPowers(spectral.powerPtr, n / 2 + 1, this.edgesPtr, TRANSIENT_BANDS, this.bandsPtr);
    const bp = this.bandPower;
    bandPowersInto(bp[0], bp, 1, this.bandScale, this.bandScratch, 0);
    o.bandPower.pushFrom(this.bandScratch, 0, TRANSIENT_BANDS);

    this.buf.copyWithin(0, hop);
    this.fill = n - hop;
    this.frames++;
  }

  /**
   * Least-squares line through frame i's real samples (position j in the frame, padding left out)
   * from the block sums: [samples, sum, energy left after removing the line, line at j = 0, slope].
   */
  private fitLine(i: number): Float64Array {
    const hop = this.hopSize;
    const first = i - this.blocks / 2;
    let count = 0;
    let sx = 0;
    let sxx = 0;
    let sjx = 0;
    let sj = 0;
    let sjj = 0;
    for (let slot = 0; slot < this.blocks; slot++) {
      const c = this.bCount[slot];
      if (c === 0) continue;
      // This slot holds block `first + j` at frame position j * hop; its real samples come first.
      const p0 = ((((slot - first) % this.blocks) + this.blocks) % this.blocks) * hop;
      const bs = this.bSum[slot];
      count += c;
      sx += bs;
      sxx += this.bSq[slot];
      sjx += p0 * bs + this.bMoment[slot];
      sj += c * p0 + (c * (c - 1)) / 2;
      sjj += c * p0 * p0 + p0 * c * (c - 1) + ((c - 1) * c * (2 * c - 1)) / 6;
    }
    const out = this.line;
    out[0] = count;
    out[1] = sx;
    if (count === 0) {
      out.fill(0, 2);
      return out;
    }
    const mx = sx / count;
    const mj = sj / count;
    const cjx = sjx - count * mj * mx;
    const cjj = sjj - count * mj * mj;
    const slope = cjj > 0 ? cjx / cjj : 0;
    out[2] = Math.max(0, sxx - count * mx * mx - slope * cjx);
    out[3] = mx - slope * mj;
    out[4] = slope;
    return out;
  }
}

/** Analyse a whole mono signal at once (same result as pushing it in chunks). */
export function analyzeFrames(
  x: Float32Array,
  options: Partial<FrameAnalyzerOptions> & { sampleRate: number },
): FrameFeatures {
  const a = new FrameAnalyzer({ expectedSamples: x.length, ...options });
  a.push(x);
  return a.finish();
}
