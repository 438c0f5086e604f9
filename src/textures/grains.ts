/**
 * Region selection for the noise-like generators (clouds and hiss), from the track's one-pass
 * analysis alone: windows are scored with the prefix-sum window statistics (O(1) each), so
 * choosing where to read costs almost nothing and only the chosen regions are ever fetched.
 *
 * - `stableRegions`: steady, non-silent, unclipped, low-onset regions (grain material for clouds).
 * - `noisyRegions`: the noisiest, onset-rich, non-silent regions (hiss material).
 * - `grainFrames`: inside a region, the frames a grain may start on (loud enough, unclipped, away
 *   from onsets), the per-frame half of the quality gate.
 */
import type { TrackAnalysis } from "../analysis/track.js";
import type { WindowStats } from "../analysis/windows.js";
import type { PlanarAudio } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import { dbToAmp } from "../core/units.js";
import type { SourceMaterial } from "./types.js";

/** A region of the source in samples `[start, end)` with the statistics it was chosen by. */
export interface Region {
  readonly start: number;
  readonly end: number;
  readonly score: number;
  readonly stats: WindowStats;
}

export interface StableGateOptions {
  /** Region length (s); a shorter track is one region. */
  regionSec: number;
  /** Hop between candidate windows (s). */
  hopSec: number;
  /** Most regions returned (they never overlap). */
  maxRegions: number;
  /** A region's RMS level (dB) must be at least this: not silent. */
  minRmsDb: number;
  /** At most this many onsets per second: stable material. */
  maxOnsetRate: number;
  /** At most this spread (standard deviation, dB) of the frames' RMS: a steady level. */
  maxRmsStdDb: number;
  /**
   * At most this fraction of clipped samples in a region (mastered tracks touch full scale now
   * and then); grains themselves never come from a clipped frame (see `grainFrames`).
   */
  maxClipFraction: number;
}

export const STABLE_GATE_DEFAULTS: Readonly<StableGateOptions> = {
  regionSec: 3,
  hopSec: 0.25,
  maxRegions: 4,
  minRmsDb: -45,
  maxOnsetRate: 2,
  maxRmsStdDb: 8,
  maxClipFraction: 1e-4,
};

/** Candidate windows of `regionSec` every `hopSec`, or the whole track when it is shorter. */
function candidateWindows(analysis: TrackAnalysis, regionSec: number, hopSec: number): WindowStats[] {
  if (!(regionSec > 0) || !(hopSec > 0)) {
    throw new ParameterError(`region length and hop must be > 0 s, got: ${regionSec}, ${hopSec}`);
  }
  if (analysis.durationSec <= regionSec) return [analysis.overall];
  return analysis.slidingWindows(regionSec, hopSec);
}

function toRegion(analysis: TrackAnalysis, w: WindowStats, score: number): Region {
  const sr = analysis.sampleRate;
  const start = Math.max(0, Math.round(w.startSec * sr));
  const end = Math.min(analysis.sampleCount, Math.max(start + 1, Math.round(w.endSec * sr)));
  return { start, end, score, stats: w };
}

/** Best-scoring regions that do not overlap each other, best first. */
function pickNonOverlapping(scored: Region[], max: number): Region[] {
  const sorted = scored.slice().sort((a, b) => b.score - a.score || a.start - b.start);
  const out: Region[] = [];
  for (const r of sorted) {
    if (out.length >= max) break;
    if (out.every((o) => r.end <= o.start || r.start >= o.end)) out.push(r);
  }
  return out;
}

/**
 * Stable, non-silent, unclipped regions with few onsets (the clouds' grain material), best first:
 * steadier level, weaker onsets and more tonal spectra score higher. Silence and clipping are hard
 * gates; onset rate and level spread are preferred: when no window meets them (busy music), the
 * steadiest non-silent, unclipped windows are used (grains still avoid onsets, see grainFrames).
 * Empty only when every window is silent or clipped.
 */
export function stableRegions(analysis: TrackAnalysis, options: Partial<StableGateOptions> = {}): Region[] {
  const o: StableGateOptions = { ...STABLE_GATE_DEFAULTS, ...options };
  const stable: Region[] = [];
  const usable: Region[] = [];
  for (const w of candidateWindows(analysis, o.regionSec, o.hopSec)) {
    const samples = w.frames * analysis.features.hopSize;
    if (w.powerDb < o.minRmsDb || w.clipCount > o.maxClipFraction * samples) continue;
    const score = -w.rmsDbStd - 2 * w.meanOnsetStrength - 4 * w.meanFlatness - 0.5 * w.onsetRate;
    const region = toRegion(analysis, w, score);
    usable.push(region);
    if (w.onsetRate <= o.maxOnsetRate && w.rmsDbStd <= o.maxRmsStdDb) stable.push(region);
  }
  return pickNonOverlapping(stable.length > 0 ? stable : usable, o.maxRegions);
}

export interface NoisyRegionOptions {
  regionSec: number;
  hopSec: number;
  maxRegions: number;
  /** Not silent: RMS level (dB) at least this. */
  minRmsDb: number;
}

export const NOISY_REGION_DEFAULTS: Readonly<NoisyRegionOptions> = {
  regionSec: 2,
  hopSec: 0.25,
  maxRegions: 2,
  minRmsDb: -60,
};

/**
 * The noisiest regions (spectral flatness, then onset density and brightness), not silent,
 * preferring unclipped ones; best first. Regions overlap only when the track is too short to give
 * `maxRegions` separate ones. Empty when every window is silent.
 */
export function noisyRegions(analysis: TrackAnalysis, options: Partial<NoisyRegionOptions> = {}): Region[] {
  const o: NoisyRegionOptions = { ...NOISY_REGION_DEFAULTS, ...options };
  const passed: Region[] = [];
  for (const w of candidateWindows(analysis, o.regionSec, o.hopSec)) {
    if (w.powerDb < o.minRmsDb) continue;
    const score =
      w.meanFlatness +
      0.2 * Math.min(1, w.onsetRate / 8) +
      0.1 * Math.min(1, w.meanCentroidHz / 8000) -
      (w.clipCount > 0 ? 1 : 0);
    passed.push(toRegion(analysis, w, score));
  }
  const picked = pickNonOverlapping(passed, o.maxRegions);
  // Too short for separate regions: reuse the best windows at other offsets.
  const sorted = passed.slice().sort((a, b) => b.score - a.score || a.start - b.start);
  for (const r of sorted) {
    if (picked.length >= o.maxRegions) break;
    if (!picked.some((p) => p.start === r.start)) picked.push(r);
  }
  return picked;
}

export interface GrainFrameOptions {
  /** A grain's frame must be at least this loud (dB). */
  minRmsDb: number;
  /** Frames closer than this to a detected onset are skipped (s). */
  onsetGuardSec: number;
}

export const GRAIN_FRAME_DEFAULTS: Readonly<GrainFrameOptions> = { minRmsDb: -50, onsetGuardSec: 0.05 };

/**
 * Frames of `region` a grain may be taken from: RMS above the floor, no clipped samples in the
 * frame or its neighbours, not within `onsetGuardSec` of an onset. Returned as frame indices.
 */
export function grainFrames(
  analysis: TrackAnalysis,
  region: Region,
  options: Partial<GrainFrameOptions> = {},
): Int32Array {
  const o: GrainFrameOptions = { ...GRAIN_FRAME_DEFAULTS, ...options };
  const f = analysis.features;
  const hop = f.hopSize;
  const first = Math.min(f.frameCount, Math.ceil(region.start / hop));
  const last = Math.min(f.frameCount, Math.ceil(region.end / hop));
  const guard = Math.round((o.onsetGuardSec * analysis.sampleRate) / hop);
  const onsets = analysis.onsets.frames;
  const out: number[] = [];
  let k = 0;
  for (let i = first; i < last; i++) {
    if (f.rmsDb[i] < o.minRmsDb) continue;
    if (
      f.clipCount[i] > 0 ||
      (i > 0 && f.clipCount[i - 1] > 0) ||
      (i + 1 < f.frameCount && f.clipCount[i + 1] > 0)
    ) {
      continue;
    }
    while (k < onsets.length && onsets[k] < i - guard) k++;
    if (k < onsets.length && onsets[k] <= i + guard) continue;
    out.push(i);
  }
  return Int32Array.from(out);
}

/** A fetched region: the audio of `[start, end)` with its channels. */
export interface FetchedRegion {
  readonly region: Region;
  readonly start: number;
  readonly audio: PlanarAudio;
}

/** Fetch each region (plus `marginSamples` each side, clamped to the file) with one read each. */
export async function fetchRegions(
  source: SourceMaterial,
  regions: readonly Region[],
  marginSamples = 0,
): Promise<FetchedRegion[]> {
  const out: FetchedRegion[] = [];
  for (const r of regions) {
    const start = Math.max(0, r.start - marginSamples);
    const end = Math.min(source.frames, r.end + marginSamples);
    const audio = await source.readRegion(start, end);
    out.push({ region: r, start, audio });
  }
  return out;
}

/** Scale every channel by one gain so the largest sample peak is `targetDbfs`; returns the gain. */
export function normalizeChannels(channels: readonly Float32Array[], targetDbfs: number): number {
  let p = 0;
  for (const ch of channels) {
    const q = peakAbs(ch);
    if (q > p) p = q;
  }
  const g = p > 0 ? dbToAmp(targetDbfs) / p : 0;
  for (const ch of channels) scaleBy(ch, g);
  return g;
}

// Loops in functions of their own, so V8 optimises each alone (see dsp/loop.ts).
function peakAbs(x: Float32Array): number {
  let p = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > p) p = a;
  }
  return p;
}

function scaleBy(x: Float32Array, g: number): void {
  for (let i = 0; i < x.length; i++) x[i] *= g;
}

/** Two-digit (or longer) 1-based index for output names: 1 -> "01". */
export function indexLabel(i: number): string {
  return String(i + 1).padStart(2, "0");
}
