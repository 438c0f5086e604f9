/**
 * Window statistics over arbitrary frame ranges in O(1) each, from prefix sums (Float64Array) over
 * the frame features. Built once per track; scoring thousands of candidate windows then costs
 * almost nothing. Only the level's shape (range, trend) and `maxAbsDc` loop over the window's frames.
 */
import { ParameterError } from "../core/errors.js";
import type { FrameFeatures } from "./features.js";
import { type FrameRange, timeRangeToFrames } from "./framing.js";

export interface WindowStats {
  /** Frame range `[startFrame, endFrame)`: the frames whose centres lie in the window. */
  readonly startFrame: number;
  readonly endFrame: number;
  readonly frames: number;
  /** The requested window `[startSec, endSec)`, or for a frame range its frames' centre times `[start, end) * hop / rate`. */
  readonly startSec: number;
  readonly endSec: number;
  /** `endSec - startSec`: the duration rates are taken over. */
  readonly durationSec: number;
  /** Mean of the frames' RMS dB. */
  readonly meanRmsDb: number;
  /** Mean of the frames' power (mean square), in dB: the window's RMS level. */
  readonly powerDb: number;
  /** Variance of the frames' RMS dB (dB^2): low = steady level. */
  readonly rmsDbVariance: number;
  /** Its square root (dB). */
  readonly rmsDbStd: number;
  /** Loudest minus quietest frame level (dB): the span of the short-term (46 ms) level. */
  readonly levelRangeDb: number;
  /**
   * Level change across the window from a straight-line fit of the frames' RMS dB over time (dB;
   * negative = falling, as a release tail does; positive = swelling).
   */
  readonly levelTrendDb: number;
  readonly meanFlatness: number;
  /** Mean spectral centroid weighted by each frame's RMS amplitude, so silent frames do not count (Hz). */
  readonly meanCentroidHz: number;
  readonly meanOnsetStrength: number;
  readonly onsetCount: number;
  /** Onsets per second of `durationSec`. */
  readonly onsetRate: number;
  /**
   * Percussive hits (transients.ts) in the window or up to `hitLeadFrames` before it: a hit just
   * before the window still decays into it.
   */
  readonly hitCount: number;
  /** Clipped samples in the frames' own hop blocks (each sample counted once). */
  readonly clipCount: number;
  /** Largest |DC offset| of any frame in the window. */
  readonly maxAbsDc: number;
  /** Mean of the frames' DC offsets. */
  readonly meanDc: number;
}

/** Prefix sums over one track's frame features, answering window statistics in O(1). */
export class WindowStatsIndex {
  readonly frameCount: number;
  private readonly features: FrameFeatures;
  private readonly pRms: Float64Array;
  private readonly pRms2: Float64Array;
  private readonly pPow: Float64Array;
  private readonly pAmp: Float64Array;
  private readonly pAmpCentroid: Float64Array;
  private readonly pFlat: Float64Array;
  private readonly pOnsetStrength: Float64Array;
  private readonly pClip: Float64Array;
  private readonly pDc: Float64Array;
  private readonly pOnsets: Int32Array;
  private readonly pHits: Int32Array;
  private readonly hitLeadFrames: number;
  /** Scratch for directSums and levelShape (no allocation per window). */
  private readonly direct = new Float64Array(3);
  private readonly shape = new Float64Array(4);

  /**
   * `onsetFrames`, `hitFrames`: ascending frame indices of the detected onsets and percussive hits;
   * `hitLeadFrames`: how many frames before a window its hits still count.
   */
  constructor(
    features: FrameFeatures,
    onsetFrames: Int32Array,
    hitFrames: Int32Array = new Int32Array(0),
    hitLeadFrames = 0,
  ) {
    const n = features.frameCount;
    this.frameCount = n;
    this.features = features;
    const f = features;
    const pRms = new Float64Array(n + 1);
    const pRms2 = new Float64Array(n + 1);
    const pPow = new Float64Array(n + 1);
    const pAmp = new Float64Array(n + 1);
    const pAmpCentroid = new Float64Array(n + 1);
    const pFlat = new Float64Array(n + 1);
    const pOnsetStrength = new Float64Array(n + 1);
    const pClip = new Float64Array(n + 1);
    const pDc = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const db = f.rmsDb[i];
      const amp = 10 ** (db / 20);
      pRms[i + 1] = pRms[i] + db;
      pRms2[i + 1] = pRms2[i] + db * db;
      pPow[i + 1] = pPow[i] + amp * amp;
      pAmp[i + 1] = pAmp[i] + amp;
      pAmpCentroid[i + 1] = pAmpCentroid[i] + amp * f.centroidHz[i];
      pFlat[i + 1] = pFlat[i] + f.flatness[i];
      pOnsetStrength[i + 1] = pOnsetStrength[i] + f.onsetStrength[i];
      pClip[i + 1] = pClip[i] + f.clipCount[i];
      pDc[i + 1] = pDc[i] + f.dcOffset[i];
    }
    this.pRms = pRms;
    this.pRms2 = pRms2;
    this.pPow = pPow;
    this.pAmp = pAmp;
    this.pAmpCentroid = pAmpCentroid;
    this.pFlat = pFlat;
    this.pOnsetStrength = pOnsetStrength;
    this.pClip = pClip;
    this.pDc = pDc;
    this.pOnsets = countPrefix(onsetFrames, n, "onset");
    this.pHits = countPrefix(hitFrames, n, "hit");
    this.hitLeadFrames = Math.max(0, Math.round(hitLeadFrames));
  }

  /** Bytes held by the prefix arrays. */
  get byteLength(): number {
    return (this.frameCount + 1) * (9 * 8 + 2 * 4);
  }

  /** Frames whose centres lie in `[startSec, endSec)`. */
  frameRange(startSec: number, endSec: number): FrameRange {
    const f = this.features;
    return timeRangeToFrames(startSec, endSec, f.sampleRate, f.hopSize, this.frameCount);
  }

  /** Statistics of the time window `[startSec, endSec)`; rates use `endSec - startSec`. */
  window(startSec: number, endSec: number): WindowStats {
    const r = this.frameRange(startSec, endSec);
    return this.frames(r.start, r.end, startSec, endSec);
  }

  /** Statistics of frames `[start, end)`; the window times default to the frames' centre times. */
  frames(start: number, end: number, startSec?: number, endSec?: number): WindowStats {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > this.frameCount ||
      end <= start
    ) {
      throw new ParameterError(`frame range [${start}, ${end}) is empty or outside [0, ${this.frameCount})`);
    }
    const f = this.features;
    const n = end - start;
    const t0 = startSec ?? (start * f.hopSize) / f.sampleRate;
    const t1 = endSec ?? (end * f.hopSize) / f.sampleRate;
    const dur = t1 - t0;
    if (!(dur > 0)) throw new ParameterError(`window duration must be > 0 s, got: [${t0}, ${t1})`);
    const sum = (p: Float64Array): number => p[end] - p[start];
    const meanRmsDb = sum(this.pRms) / n;
    const variance = Math.max(0, sum(this.pRms2) / n - meanRmsDb * meanRmsDb);
    let powSum = sum(this.pPow);
    let ampSum = sum(this.pAmp);
    let ampCentroidSum = sum(this.pAmpCentroid);
    if (powSum < 1e-6 * this.pPow[end]) {
      // A quiet window after loud ones: the prefix difference has lost its digits; sum directly.
      const d = directSums(f.rmsDb, f.centroidHz, start, end, this.direct);
      powSum = d[0];
      ampSum = d[1];
      ampCentroidSum = d[2];
    }
    const meanPow = powSum / n;
    const onsetCount = this.pOnsets[end] - this.pOnsets[start];
    const hitCount = this.pHits[end] - this.pHits[Math.max(0, start - this.hitLeadFrames)];
    const shape = levelShape(f.rmsDb, f.dcOffset, start, end, this.shape);
    const maxAbsDc = shape[3];
    // Least-squares slope of level over frame index, times the window's frames.
    const centre = (n - 1) / 2;
    const sxx = (n * (n * n - 1)) / 12;
    const slope = sxx > 0 ? (shape[2] - centre * sum(this.pRms)) / sxx : 0;
    return {
      startFrame: start,
      endFrame: end,
      frames: n,
      startSec: t0,
      endSec: t1,
      durationSec: dur,
      meanRmsDb,
      powerDb: 10 * Math.log10(Math.max(meanPow, 1e-12)),
      rmsDbVariance: variance,
      rmsDbStd: Math.sqrt(variance),
      levelRangeDb: shape[1] - shape[0],
      levelTrendDb: slope * n,
      meanFlatness: sum(this.pFlat) / n,
      meanCentroidHz: ampSum > 0 ? ampCentroidSum / ampSum : 0,
      meanOnsetStrength: sum(this.pOnsetStrength) / n,
      onsetCount,
      onsetRate: onsetCount / dur,
      hitCount,
      clipCount: sum(this.pClip),
      maxAbsDc,
      meanDc: sum(this.pDc) / n,
    };
  }

  /**
   * Statistics of sliding windows of `lengthSec` every `hopSec`, starting at 0, for every window
   * that fits inside the track.
   */
  sliding(lengthSec: number, hopSec: number): WindowStats[] {
    if (!(lengthSec > 0) || !(hopSec > 0) || !Number.isFinite(lengthSec) || !Number.isFinite(hopSec)) {
      throw new ParameterError(`window length and hop must be > 0 s, got: ${lengthSec}, ${hopSec}`);
    }
    const f = this.features;
    const total = f.sampleCount / f.sampleRate;
    const out: WindowStats[] = [];
    for (let k = 0; ; k++) {
      const t0 = k * hopSec;
      const t1 = t0 + lengthSec;
      if (t1 > total + 1e-9) break;
      const r = this.frameRange(t0, t1);
      if (r.end > r.start) out.push(this.frames(r.start, r.end, t0, t1));
    }
    return out;
  }
}

/**
 * Power, amplitude and amplitude-weighted centroid sums of frames [start, end) from the frames
 * themselves. Its own function: optimised code for the caller then never meets this rarely taken
 * path without type feedback (which deoptimised it on every quiet window).
 */
function directSums(
  rmsDb: Float32Array,
  centroidHz: Float32Array,
  start: number,
  end: number,
  out: Float64Array,
): Float64Array {
  let powSum = 0;
  let ampSum = 0;
  let ampCentroidSum = 0;
  for (let i = start; i < end; i++) {
    const amp = 10 ** (rmsDb[i] / 20);
    powSum += amp * amp;
    ampSum += amp;
    ampCentroidSum += amp * centroidHz[i];
  }
  out[0] = powSum;
  out[1] = ampSum;
  out[2] = ampCentroidSum;
  return out;
}

/**
 * The frames' level shape over [start, end) into `out`: [min rmsDb, max rmsDb, sum of
 * (i - start) * rmsDb[i], largest |dc|]. Its own function: a loop inside `frames` made V8 compile
 * that method on-stack mid-loop, before its return had run, and the code then bailed out at the
 * return on every later call (hundreds of deoptimisations per track).
 */
function levelShape(
  rmsDb: Float32Array,
  dc: Float32Array,
  start: number,
  end: number,
  out: Float64Array,
): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let sxy = 0;
  let m = 0;
  for (let i = start; i < end; i++) {
    const v = rmsDb[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    sxy += (i - start) * v;
    const d = Math.abs(dc[i]);
    if (d > m) m = d;
  }
  out[0] = lo;
  out[1] = hi;
  out[2] = sxy;
  out[3] = m;
  return out;
}

/** Prefix counts of ascending frame indices (`what` names them in errors). */
function countPrefix(frames: Int32Array, n: number, what: string): Int32Array {
  const p = new Int32Array(n + 1);
  let k = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    while (k < frames.length && frames[k] === i) {
      c++;
      k++;
    }
    if (k < frames.length && frames[k] < i) {
      throw new ParameterError(`${what} frames must be ascending, got ${frames[k]} after frame ${i}`);
    }
    p[i + 1] = p[i] + c;
  }
  if (k < frames.length) throw new ParameterError(`${what} frame ${frames[k]} outside [0, ${n})`);
  return p;
}
