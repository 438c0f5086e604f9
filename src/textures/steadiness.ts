/**
 * What makes a stretch of a track steady enough to loop, shared by the pad miner and the drone
 * region search: the rules a pad window must pass, and one cost that ranks windows (lower is
 * steadier), both read from the analysis's window statistics (levels measured without DC or
 * rumble, see analysis/frames.ts).
 *
 * A loop re-attacks at its loop point when its level falls across it (a release tail), and holds a
 * thump when a drum hit sits inside it, so a pad window must:
 * - keep its short-term (46 ms) level within `maxLevelRangeDb` (6 dB),
 * - not fall or swell by more than `maxLevelTrendDb` (3 dB) along a straight-line fit,
 * - hold no percussive hit (analysis/transients.ts), nor one just before it.
 */
import type { WindowStats } from "../analysis/windows.js";

export interface SteadinessLimits {
  /** Largest span of the short-term level in a window (dB). */
  maxLevelRangeDb: number;
  /** Largest fitted level change across a window, falling or rising (dB). */
  maxLevelTrendDb: number;
  /** Most percussive hits a window may hold. */
  maxHits: number;
}

export const STEADINESS_LIMITS: Readonly<SteadinessLimits> = Object.freeze({
  maxLevelRangeDb: 6,
  maxLevelTrendDb: 3,
  maxHits: 0,
});

export type UnsteadyReason = "hits" | "decay" | "swell" | "level";

/** Why a window is not steady enough for a loop (the first rule it breaks), or null. */
export function unsteadyReason(
  w: WindowStats,
  limits: SteadinessLimits = STEADINESS_LIMITS,
): UnsteadyReason | null {
  if (w.hitCount > limits.maxHits) return "hits";
  if (w.levelTrendDb < -limits.maxLevelTrendDb) return "decay";
  if (w.levelTrendDb > limits.maxLevelTrendDb) return "swell";
  if (w.levelRangeDb > limits.maxLevelRangeDb) return "level";
  return null;
}

/**
 * Rank of a window for looping, lower is better:
 *
 *   std of the frames' RMS dB + 10 x mean flatness + onsets/s
 *   + 0.25 x level range (dB) + 0.5 x |level trend| (dB) + 5 per percussive hit
 *
 * Steady level first, then tonal spectra and few onsets; the range, trend and hit terms separate
 * windows that all pass the rules and let a search that cannot reject (the drone region) avoid them.
 */
export function steadinessCost(w: WindowStats): number {
  return (
    w.rmsDbStd +
    10 * w.meanFlatness +
    w.onsetRate +
    0.25 * w.levelRangeDb +
    0.5 * Math.abs(w.levelTrendDb) +
    5 * w.hitCount
  );
}
