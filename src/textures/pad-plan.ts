/**
 * The pad miner's plan, from the analysis alone: for each target duration, the windows that pass
 * the pad rules (level, onsets, flatness, clipping, steadiness), ranked by the steadiness cost,
 * and how far apart two chosen windows must lie so their loops overlap by at most `maxOverlap` of
 * the shorter one, whatever their durations. `--dry-run` plans from here too.
 */
import type { TrackAnalysis } from "../analysis/track.js";
import type { WindowStats } from "../analysis/windows.js";
import { loopSegmentLength, type MakeLoopOptions } from "../dsp/loop.js";
import type { PadOptions } from "./pads.js";
import { steadinessCost, unsteadyReason } from "./steadiness.js";

/** One window that passed the filters, with its cost (lower is better). */
export interface PadCandidate {
  readonly stats: WindowStats;
  /** First sample of the window (= of the region fetched for it). */
  readonly startSample: number;
  readonly cost: number;
}

/** The ranked candidates for one target duration, plus why the others failed. */
export interface PadDurationPlan {
  readonly durationSec: number;
  readonly loopSamples: number;
  /** Samples fetched per candidate (loop + loop-maker margins). */
  readonly segmentSamples: number;
  /** Least distance between two chosen windows' starts (samples) that keeps loop overlap <= maxOverlap. */
  readonly minSeparation: number;
  /** Samples from a window's start within which its loop lies, wherever the loop maker puts it. */
  readonly spanSamples: number;
  /** Passing windows, best first. */
  readonly candidates: PadCandidate[];
  readonly windows: number;
  readonly rejected: PadRejections;
}

/** Windows rejected, by the first rule each broke. */
export interface PadRejections {
  level: number;
  onsets: number;
  flatness: number;
  clipping: number;
  hits: number;
  decay: number;
  swell: number;
  unsteady: number;
}

/** The loop maker's options for a pad of `lengthSamples`. */
export function padLoopOptions(
  o: PadOptions,
  sampleRate: number,
  lengthSamples: number,
): Partial<MakeLoopOptions> & Pick<MakeLoopOptions, "sampleRate" | "lengthSamples"> {
  return {
    sampleRate,
    lengthSamples,
    crossfadeMs: o.loopCrossfadeMs,
    searchMs: o.loopEndSearchMs,
    startSearchMs: o.loopStartSearchMs,
    lengthTolerance: o.lengthTolerance,
    crossfadeShape: "matched",
    levelMatch: true,
  };
}

/** Score every window of every target duration from the analysis alone (no audio): the miner's plan. */
export function planWindows(analysis: TrackAnalysis, o: PadOptions): PadDurationPlan[] {
  const sr = analysis.sampleRate;
  return o.targetDurationsSec.map((durationSec) => {
    const loopSamples = Math.round(durationSec * sr);
    const lo = padLoopOptions(o, sr, loopSamples);
    const segmentSamples = loopSegmentLength(loopSamples, sr, lo);
    // Loops start anywhere in [window start, + start range] and last up to target + end search,
    // so windows this far apart give loops that overlap by at most maxOverlap of the target.
    const crossfade = Math.round((o.loopCrossfadeMs / 1000) * sr);
    const endSearch = Math.min(
      Math.round((o.loopEndSearchMs / 1000) * sr),
      Math.floor(o.lengthTolerance * loopSamples),
    );
    const startRange = Math.max(0, segmentSamples - loopSamples - endSearch - crossfade);
    const minSeparation = Math.ceil((1 - o.maxOverlap) * loopSamples) + endSearch + startRange;
    const spanSamples = startRange + loopSamples + endSearch;
    const rejected: PadRejections = {
      level: 0,
      onsets: 0,
      flatness: 0,
      clipping: 0,
      hits: 0,
      decay: 0,
      swell: 0,
      unsteady: 0,
    };
    const limits = { maxLevelRangeDb: o.maxLevelRangeDb, maxLevelTrendDb: o.maxLevelTrendDb, maxHits: 0 };
    const candidates: PadCandidate[] = [];
    const segSec = segmentSamples / sr;
    const windows =
      segmentSamples <= analysis.sampleCount ? analysis.slidingWindows(segSec, o.windowHopSec) : [];
    for (const w of windows) {
      const startSample = Math.round(w.startSec * sr);
      if (startSample + segmentSamples > analysis.sampleCount) continue;
      const unsteady = unsteadyReason(w, limits);
      if (!(w.powerDb >= o.minRmsDb && w.powerDb <= o.maxRmsDb)) rejected.level++;
      else if (w.onsetRate > o.maxOnsetRatePerSecond) rejected.onsets++;
      else if (w.meanFlatness > o.spectralFlatnessThreshold) rejected.flatness++;
      else if (w.clipCount > 0) rejected.clipping++;
      else if (unsteady === "level") rejected.unsteady++;
      else if (unsteady !== null) rejected[unsteady]++;
      else candidates.push({ stats: w, startSample, cost: steadinessCost(w) });
    }
    candidates.sort((a, b) => a.cost - b.cost || a.startSample - b.startSample);
    return {
      durationSec,
      loopSamples,
      segmentSamples,
      minSeparation,
      spanSamples,
      candidates,
      windows: windows.length,
      rejected,
    };
  });
}

/** A chosen window and the plan (duration) it was chosen for. */
export interface PlacedPad {
  readonly startSample: number;
  readonly plan: PadDurationPlan;
}

/**
 * Whether two windows' loops can overlap by at most `maxOverlap` of the shorter loop, wherever the
 * loop maker puts them in their windows. For two windows of one duration this is
 * `|start difference| >= minSeparation`.
 */
export function separated(a: PlacedPad, b: PlacedPad, maxOverlap: number): boolean {
  const overlap =
    Math.min(a.startSample + a.plan.spanSamples, b.startSample + b.plan.spanSamples) -
    Math.max(a.startSample, b.startSample);
  return overlap <= Math.floor(maxOverlap * Math.min(a.plan.loopSamples, b.plan.loopSamples));
}

/**
 * Greedy pick of up to `max` candidates, best first, each separated from the others and from the
 * windows already `taken` (other durations; the picks are added to it).
 */
export function pickSeparated(
  plan: PadDurationPlan,
  max: number,
  maxOverlap: number,
  taken: PlacedPad[] = [],
): PadCandidate[] {
  const out: PadCandidate[] = [];
  for (const c of plan.candidates) {
    if (out.length >= max) break;
    const placed = { startSample: c.startSample, plan };
    if (taken.every((p) => separated(p, placed, maxOverlap))) {
      out.push(c);
      taken.push(placed);
    }
  }
  return out;
}

/** A duration for messages: at most 2 decimals ("3.5"). */
export function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Why no window of a duration made a pad, in a musician's words. */
export function whyNone(
  plan: PadDurationPlan,
  o: PadOptions,
  seamFailures: number,
  sampleCount: number,
  sr: number,
): string {
  const d = `${fmt(plan.durationSec)} s`;
  if (plan.windows === 0) {
    return `track (${fmt(sampleCount / sr)} s) is shorter than a ${d} pad plus loop margins (${fmt(plan.segmentSamples / sr)} s)`;
  }
  if (plan.candidates.length > 0) {
    return `no ${d} candidate made a seamless loop (${seamFailures} tried)`;
  }
  const r = plan.rejected;
  const parts = [
    r.level && `${r.level} with RMS outside [${o.minRmsDb}, ${o.maxRmsDb}] dB`,
    r.onsets && `${r.onsets} with more than ${o.maxOnsetRatePerSecond} onsets/s`,
    r.flatness && `${r.flatness} with flatness above ${o.spectralFlatnessThreshold} (too noisy)`,
    r.clipping && `${r.clipping} clipped`,
    r.hits && `${r.hits} holding a percussive hit (a drum, a struck note)`,
    r.decay && `${r.decay} decaying by more than ${o.maxLevelTrendDb} dB (a release tail)`,
    r.swell && `${r.swell} swelling by more than ${o.maxLevelTrendDb} dB`,
    r.unsteady && `${r.unsteady} with a level spanning more than ${o.maxLevelRangeDb} dB`,
  ].filter(Boolean);
  return `no ${d} window passed the pad filters (${plan.windows} windows: ${parts.join(", ")})`;
}
