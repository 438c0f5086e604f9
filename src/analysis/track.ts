/**
 * Whole-track analysis in one streaming pass: the decoder's chunks go through the frame analyser
 * (downmixed to mono by averaging), then onsets are picked from the envelope. The result holds only
 * per-frame features (about 80 bytes a frame, ~25 MB for 60 minutes at 44.1 kHz); later passes
 * fetch just the audio regions they need.
 */
import { ParameterError } from "../core/errors.js";
import type { Brightness } from "../core/manifest.js";
import type { Seconds } from "../core/units.js";
import { type BrightnessOptions, brightnessClass } from "./brightness.js";
import type { FrameFeatures } from "./features.js";
import { FrameAnalyzer, type FrameAnalyzerOptions } from "./frames.js";
import { type FrameRange, frameTime, timeRangeToFrames } from "./framing.js";
import { detectKey, type KeyEstimate } from "./key.js";
import { detectOnsets, type OnsetOptions, type Onsets } from "./onsets.js";
import { pickHits } from "./transients.js";
import { type WindowStats, WindowStatsIndex } from "./windows.js";

export interface TrackAnalysisOptions extends Omit<FrameAnalyzerOptions, "sampleRate"> {
  onsets: Partial<OnsetOptions>;
  /** Called after each chunk with the number of frames (samples per channel) analysed so far. */
  onProgress: ((samplesDone: number) => void) | undefined;
}

/** Regions whose window RMS (powerDb) is below this count as silent. */
export const SILENCE_DB = -80;

/** A percussive hit this long (s) before a window still counts in it (its decay reaches in). */
export const HIT_LEAD_SEC = 0.1;

export class TrackAnalysis {
  readonly features: FrameFeatures;
  readonly onsets: Onsets;
  /** Percussive hits (transients.ts): frames and times, ascending. */
  readonly hits: Onsets;
  readonly sampleRate: number;
  readonly sampleCount: number;
  readonly frameCount: number;
  readonly durationSec: Seconds;
  /** Chroma summed over all frames (pc 0 = C). */
  readonly chroma: Float64Array;
  /** Whole-track statistics (RMS, flatness, RMS-weighted mean centroid, onsets, clipping, DC). */
  readonly overall: WindowStats;
  private index: WindowStatsIndex;

  constructor(features: FrameFeatures, onsets: Onsets) {
    if (features.frameCount === 0) throw new ParameterError("cannot build a track analysis from 0 frames");
    this.features = features;
    this.onsets = onsets;
    const frameRate = features.sampleRate / features.hopSize;
    const hitFrames = pickHits(features.transientDb, frameRate);
    const hitTimes = new Float64Array(hitFrames.length);
    for (let k = 0; k < hitFrames.length; k++) hitTimes[k] = hitFrames[k] / frameRate;
    this.hits = { frames: hitFrames, times: hitTimes };
    this.sampleRate = features.sampleRate;
    this.sampleCount = features.sampleCount;
    this.frameCount = features.frameCount;
    this.durationSec = (features.sampleCount / features.sampleRate) as Seconds;
    this.index = new WindowStatsIndex(
      features,
      onsets.frames,
      hitFrames,
      Math.round(HIT_LEAD_SEC * frameRate),
    );
    this.chroma = this.chromaOfFrames(0, this.frameCount);
    this.overall = this.index.frames(0, this.frameCount, 0, this.durationSec);
  }

  /** Onset times (s), ascending. */
  get onsetTimes(): Float64Array {
    return this.onsets.times;
  }

  /** RMS-weighted mean spectral centroid of the whole track (Hz). */
  get meanCentroidHz(): number {
    return this.overall.meanCentroidHz;
  }

  /** Bytes held by the per-frame features and the window index. */
  get byteLength(): number {
    const f = this.features;
    const arrays = [
      f.rmsDb,
      f.crest,
      f.dcOffset,
      f.clipCount,
      f.flatness,
      f.centroidHz,
      f.onsetStrength,
      f.chroma,
      f.transientDb,
    ];
    const events = (this.onsets.frames.byteLength + this.hits.frames.byteLength) * 3;
    return arrays.reduce((s, a) => s + a.byteLength, 0) + events + this.index.byteLength;
  }

  /** Time (s) of frame i's centre. */
  frameTime(frame: number): Seconds {
    return frameTime(frame, this.features.hopSize, this.sampleRate);
  }

  /** Frames whose centres lie in `[startSec, endSec)`. */
  frameRange(startSec: number, endSec: number): FrameRange {
    return timeRangeToFrames(startSec, endSec, this.sampleRate, this.features.hopSize, this.frameCount);
  }

  /** Statistics of the window `[startSec, endSec)`. */
  window(startSec: number, endSec: number): WindowStats {
    return this.index.window(startSec, endSec);
  }

  /** Statistics of frames `[start, end)`. */
  windowFrames(start: number, end: number): WindowStats {
    return this.index.frames(start, end);
  }

  /** Windows of `lengthSec` every `hopSec` that fit in the track (e.g. 2 s every 0.5 s). */
  slidingWindows(lengthSec: number, hopSec: number): WindowStats[] {
    return this.index.sliding(lengthSec, hopSec);
  }

  /** Chroma summed over frames `[start, end)`. */
  chromaOfFrames(start: number, end: number): Float64Array {
    if (start < 0 || end > this.frameCount || end < start) {
      throw new ParameterError(`frame range [${start}, ${end}) outside [0, ${this.frameCount})`);
    }
    const c = this.features.chroma;
    const out = new Float64Array(12);
    for (let i = start; i < end; i++) for (let pc = 0; pc < 12; pc++) out[pc] += c[12 * i + pc];
    return out;
  }

  /** Key of the time range (default: the whole track), or null when it has no tonal content. */
  key(startSec = 0, endSec: number = this.durationSec): KeyEstimate | null {
    const r = this.frameRange(startSec, endSec);
    return detectKey(this.chromaOfFrames(r.start, r.end));
  }

  /** Brightness tag of a window's stats (silent when its RMS is below SILENCE_DB). */
  brightness(stats: WindowStats = this.overall, options: Partial<BrightnessOptions> = {}): Brightness {
    return brightnessClass(stats.meanCentroidHz, options, stats.powerDb < SILENCE_DB);
  }
}

function buildOptions(
  sampleRate: number,
  options: Partial<TrackAnalysisOptions>,
): { frame: Partial<FrameAnalyzerOptions> & { sampleRate: number }; onsets: Partial<OnsetOptions> } {
  const { onsets = {}, onProgress: _progress, ...frame } = options;
  return { frame: { ...frame, sampleRate }, onsets };
}

function complete(analyzer: FrameAnalyzer, onsetOptions: Partial<OnsetOptions>): TrackAnalysis {
  const features = analyzer.finish();
  if (features.frameCount === 0) throw new ParameterError("no samples to analyse (empty input)");
  const onsets = detectOnsets(features.onsetStrength, features.sampleRate, features.hopSize, onsetOptions);
  return new TrackAnalysis(features, onsets);
}

/**
 * Analyse a stream of planar chunks (e.g. from the decoder) in one pass; more than one channel is
 * downmixed by averaging.
 */
export async function analyzeStream(
  chunks: AsyncIterable<{ readonly channels: readonly Float32Array[] }>,
  options: Partial<TrackAnalysisOptions> & { sampleRate: number },
): Promise<TrackAnalysis> {
  const { sampleRate, ...rest } = options;
  const o = buildOptions(sampleRate, rest);
  const analyzer = new FrameAnalyzer(o.frame);
  let mono = new Float32Array(0);
  let done = 0;
  for await (const chunk of chunks) {
    const chans = chunk.channels;
    if (chans.length === 0) throw new ParameterError("audio chunk has no channels");
    const n = chans[0].length;
    for (const c of chans) {
      if (c.length !== n) throw new ParameterError(`chunk channels differ in length: ${n} vs ${c.length}`);
    }
    if (chans.length === 1) {
      analyzer.push(chans[0]);
    } else {
      if (mono.length < n) mono = new Float32Array(n);
      const m = mono.subarray(0, n);
      m.set(chans[0]);
      for (let c = 1; c < chans.length; c++) {
        const ch = chans[c];
        for (let i = 0; i < n; i++) m[i] += ch[i];
      }
      const k = 1 / chans.length;
      for (let i = 0; i < n; i++) m[i] *= k;
      analyzer.push(m);
    }
    done += n;
    options.onProgress?.(done);
  }
  return complete(analyzer, o.onsets);
}

/** Analyse a whole mono signal (identical result to streaming it in chunks). */
export function analyzeSamples(
  x: Float32Array,
  sampleRate: number,
  options: Partial<TrackAnalysisOptions> = {},
): TrackAnalysis {
  const o = buildOptions(sampleRate, { expectedSamples: x.length, ...options });
  const analyzer = new FrameAnalyzer(o.frame);
  analyzer.push(x);
  return complete(analyzer, o.onsets);
}
