/**
 * Pad miner (`make --mine-pads`): find the steadiest, most tonal stretches of a track from its
 * one-pass analysis, fetch only those regions and make each a seamless loop of the target length.
 *
 * For each target duration, windows as long as the loop maker's segment (loop + end search +
 * crossfade tail + start search) slide over the analysis every `windowHopSec`; window statistics
 * come from prefix sums, so thousands of windows cost almost nothing. A window passes when its RMS
 * level lies in [minRmsDb, maxRmsDb], its onset rate is at most maxOnsetRatePerSecond, its mean
 * spectral flatness at most spectralFlatnessThreshold, it holds no clipped sample, and it is steady
 * (steadiness.ts): no percussive hit, a short-term level within 6 dB that neither falls nor swells
 * by more than 3 dB (a release tail re-attacks at every loop point). Levels are measured without DC
 * or rumble, so an offset cannot hold a tail's level up; each pad's own mean is removed.
 * Survivors are ranked by the steadiness cost and taken best first, skipping any whose loop could
 * overlap an already chosen pad of any duration by more than `maxOverlap` of the shorter loop (a
 * 2 s pad inside a 3.5 s one is the same sound; the separation rule below guarantees it for any
 * loop points the loop maker may pick) or that sounds like one (`maxSimilarity`). A candidate
 * whose loop fails the seam bar (click <= +6 dB, dip >= -3 dB) is dropped and the next one tried,
 * at most `maxAttemptsPerPad` x the wanted count per duration.
 */

import { measurePitch } from "../analysis/pitch.js";
import type { TrackAnalysis } from "../analysis/track.js";
import type { PatinaConfig } from "../config/schema.js";
import { toMono } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import type { Rng } from "../dsp/rng.js";
import {
  brightnessOf,
  checkSourceRate,
  checkTextureName,
  index2,
  layoutChannels,
  loopChannels,
  loopSimilarity,
  normalizeJoint,
  removeMean,
  rootFields,
  seamPasses,
  worstSeam,
} from "./common.js";
import {
  fmt,
  type PadCandidate,
  type PadDurationPlan,
  type PlacedPad,
  padLoopOptions,
  planWindows,
  separated,
  whyNone,
} from "./pad-plan.js";
import { STEADINESS_LIMITS } from "./steadiness.js";
import type { GeneratorResult, SourceMaterial, Texture } from "./types.js";

export interface PadOptions {
  /** Pad lengths (s); each is mined separately (`pad_miner.target_durations_sec`). */
  targetDurationsSec: readonly number[];
  minRmsDb: number;
  maxRmsDb: number;
  maxOnsetRatePerSecond: number;
  /** Highest mean spectral flatness of a pad window (0 = tonal, 1 = white noise). */
  spectralFlatnessThreshold: number;
  /** Most pads per file and target duration. */
  maxCandidatesPerFile: number;
  loopCrossfadeMs: number;
  windowHopSec: number;
  /** Peak of every pad (`global.target_peak_dbfs`). */
  targetPeakDbfs: number;
  /** Stereo pads from stereo sources (`export.pads_stereo`). */
  stereo: boolean;
  /** Brightness tag in the name (`brightness_tags`). */
  brightnessTags: boolean;
  brightnessLowHz: number;
  brightnessHighHz: number;
  /** Largest overlap between two pads (of any durations), as a fraction of the shorter pad. */
  maxOverlap: number;
  /** Largest span of a pad window's short-term (46 ms) level (dB). */
  maxLevelRangeDb: number;
  /** Largest fitted level fall or rise across a pad window (dB). */
  maxLevelTrendDb: number;
  /**
   * Largest relative deviation of a pad's length from its target (lets the loop maker move the
   * end to line up the seam). Default 0: pads last exactly their target; the start search and the
   * correlation-matched crossfade keep them seamless.
   */
  lengthTolerance: number;
  /** How far the loop end may move to line up the seam (ms, also capped by lengthTolerance). */
  loopEndSearchMs: number;
  /** How far into the window the loop start may move (ms). */
  loopStartSearchMs: number;
  /**
   * Highest similarity (normalised circular cross-correlation, any lag) a pad may have with an
   * already chosen pad: repeats of a section would otherwise give copies.
   */
  maxSimilarity: number;
  /** Candidates tried per wanted pad before giving up on a duration (bounds the work). */
  maxAttemptsPerPad: number;
}

/** Defaults equal to the config defaults (issue "foundation") plus the miner's own settings. */
export const PAD_DEFAULTS: Readonly<PadOptions> = Object.freeze({
  targetDurationsSec: [2.0, 3.5],
  minRmsDb: -40,
  maxRmsDb: -10,
  maxOnsetRatePerSecond: 3.0,
  spectralFlatnessThreshold: 0.5,
  maxCandidatesPerFile: 3,
  loopCrossfadeMs: 100,
  windowHopSec: 0.5,
  targetPeakDbfs: -1.0,
  stereo: false,
  brightnessTags: true,
  brightnessLowHz: 1500,
  brightnessHighHz: 3500,
  maxOverlap: 0.25,
  maxLevelRangeDb: STEADINESS_LIMITS.maxLevelRangeDb,
  maxLevelTrendDb: STEADINESS_LIMITS.maxLevelTrendDb,
  lengthTolerance: 0,
  loopEndSearchMs: 20,
  loopStartSearchMs: 250,
  maxSimilarity: 0.95,
  maxAttemptsPerPad: 4,
});

/** Pad options from a loaded config (`pad_miner.*`, `global.target_peak_dbfs`, `export.pads_stereo`, `brightness_tags`). */
export function padOptionsFromConfig(config: PatinaConfig): PadOptions {
  const p = config.pad_miner;
  const b = config.brightness_tags;
  return {
    ...PAD_DEFAULTS,
    targetDurationsSec: [...p.target_durations_sec],
    minRmsDb: p.min_rms_db,
    maxRmsDb: p.max_rms_db,
    maxOnsetRatePerSecond: p.max_onset_rate_per_second,
    spectralFlatnessThreshold: p.spectral_flatness_threshold,
    maxCandidatesPerFile: p.max_candidates_per_file,
    loopCrossfadeMs: p.loop_crossfade_ms,
    windowHopSec: p.window_hop_sec,
    targetPeakDbfs: config.global.target_peak_dbfs,
    stereo: config.export.pads_stereo,
    brightnessTags: b.enabled,
    brightnessLowHz: b.centroid_low_hz,
    brightnessHighHz: b.centroid_high_hz,
  };
}

function resolvePadOptions(options: Partial<PadOptions>): PadOptions {
  const o: PadOptions = { ...PAD_DEFAULTS, ...options };
  const fail = (what: string, v: unknown): never => {
    throw new ParameterError(`pad option ${what}, got: ${JSON.stringify(v)}`);
  };
  if (o.targetDurationsSec.length === 0) fail("targetDurationsSec must not be empty", o.targetDurationsSec);
  for (const d of o.targetDurationsSec)
    if (!(d > 0) || !Number.isFinite(d)) fail("targetDurationsSec must be > 0 s", d);
  if (!(o.minRmsDb <= o.maxRmsDb)) fail("minRmsDb must be <= maxRmsDb", [o.minRmsDb, o.maxRmsDb]);
  if (!(o.maxOnsetRatePerSecond >= 0)) fail("maxOnsetRatePerSecond must be >= 0", o.maxOnsetRatePerSecond);
  if (!(o.spectralFlatnessThreshold >= 0))
    fail("spectralFlatnessThreshold must be >= 0", o.spectralFlatnessThreshold);
  if (!Number.isInteger(o.maxCandidatesPerFile) || o.maxCandidatesPerFile < 0) {
    fail("maxCandidatesPerFile must be an integer >= 0", o.maxCandidatesPerFile);
  }
  if (!(o.loopCrossfadeMs >= 0)) fail("loopCrossfadeMs must be >= 0", o.loopCrossfadeMs);
  if (!(o.windowHopSec > 0)) fail("windowHopSec must be > 0", o.windowHopSec);
  if (!(o.maxOverlap >= 0 && o.maxOverlap < 1)) fail("maxOverlap must be in [0, 1)", o.maxOverlap);
  if (!(o.lengthTolerance >= 0 && o.lengthTolerance < 0.01))
    fail("lengthTolerance must be in [0, 0.01)", o.lengthTolerance);
  if (!(o.maxAttemptsPerPad >= 1)) fail("maxAttemptsPerPad must be >= 1", o.maxAttemptsPerPad);
  return o;
}

export type { PadCandidate, PadDurationPlan, PadRejections, PlacedPad } from "./pad-plan.js";
export { pickSeparated, separated } from "./pad-plan.js";

/** Score every window of every target duration from the analysis alone (no audio): the miner's plan. */
export function planPads(analysis: TrackAnalysis, options: Partial<PadOptions> = {}): PadDurationPlan[] {
  return planWindows(analysis, resolvePadOptions(options));
}

/**
 * Mine pads from one source: up to `maxCandidatesPerFile` seamless loops per target duration,
 * named `<source>_pad01_<brightness>.wav` (numbered across durations; no tag when tags are off).
 * Deterministic: the same source and options give bit-identical pads (`rng` is not drawn from).
 */
export async function minePads(
  source: SourceMaterial<TrackAnalysis>,
  options: Partial<PadOptions>,
  _rng: Rng,
): Promise<GeneratorResult> {
  const o = resolvePadOptions(options);
  const analysis = source.analysis;
  const sr = source.sampleRate;
  checkSourceRate(source);
  const textures: Texture[] = [];
  const reasons: string[] = [];
  // Pads of every duration so far: a longer pad must not hold a shorter one, nor sound like one.
  const taken: PlacedPad[] = [];
  const chosenMono: Float32Array[] = [];
  for (const plan of planPads(analysis, o)) {
    const want = o.maxCandidatesPerFile;
    const chosen: PadCandidate[] = [];
    let attempts = 0;
    let seamFailures = 0;
    let duplicates = 0;
    let overlapping = 0;
    for (const cand of plan.candidates) {
      if (chosen.length >= want || attempts >= want * o.maxAttemptsPerPad) break;
      const placed = { startSample: cand.startSample, plan };
      const clash = taken.find((p) => !separated(p, placed, o.maxOverlap));
      if (clash !== undefined) {
        if (clash.plan !== plan) overlapping++;
        continue;
      }
      attempts++;
      const region = await source.readRegion(cand.startSample, cand.startSample + plan.segmentSamples);
      const segments = layoutChannels(region, o.stereo);
      if (segments[0].length <= plan.loopSamples) {
        throw new ParameterError(
          `readRegion returned ${segments[0].length} frames for [${cand.startSample}, ${cand.startSample + plan.segmentSamples})`,
        );
      }
      const loop = loopChannels(segments, padLoopOptions(o, sr, plan.loopSamples));
      const channels = loop.channels;
      removeMean(channels);
      const seam = worstSeam(channels, sr);
      if (!seamPasses(seam)) {
        seamFailures++;
        continue;
      }
      const audio = { sampleRate: sr, channels };
      const mono = toMono(audio);
      if (chosenMono.some((prev) => loopSimilarity(prev, mono) > o.maxSimilarity)) {
        duplicates++;
        continue;
      }
      chosen.push(cand);
      taken.push(placed);
      chosenMono.push(mono);
      normalizeJoint(channels, o.targetPeakDbfs);
      const { brightness, centroidHz } = brightnessOf(mono, sr, {
        enabled: o.brightnessTags,
        lowHz: o.brightnessLowHz,
        highHz: o.brightnessHighHz,
      });
      const pitch = measurePitch(mono, sr);
      const loopStartSample = cand.startSample + loop.choice.loopStart;
      const loopEndSample = cand.startSample + loop.choice.loopEnd;
      const key = analysis.key(loopStartSample / sr, loopEndSample / sr);
      const n = textures.length + 1;
      const name = checkTextureName(
        `${source.name}_pad${index2(n)}${brightness ? `_${brightness}` : ""}.wav`,
      );
      textures.push({
        name,
        category: "pads",
        type: "pad",
        audio,
        loop: { start: 0, end: channels[0].length },
        ...rootFields(pitch),
        key: key?.name ?? null,
        params: {
          target_duration_sec: plan.durationSec,
          source_start_sec: round(loopStartSample / sr, 4),
          source_end_sec: round(loopEndSample / sr, 4),
          window_rms_db: round(cand.stats.powerDb, 2),
          window_rms_std_db: round(cand.stats.rmsDbStd, 3),
          window_level_range_db: round(cand.stats.levelRangeDb, 2),
          window_level_trend_db: round(cand.stats.levelTrendDb, 2),
          window_hits: cand.stats.hitCount,
          window_flatness: round(cand.stats.meanFlatness, 4),
          window_onset_rate: round(cand.stats.onsetRate, 3),
          window_cost: round(cand.cost, 4),
          loop_crossfade_ms: round((loop.choice.crossfadeSamples * 1000) / sr, 2),
          loop_correlation: round(loop.choice.correlation, 4),
          seam_click_db: round(seam.clickDb, 2),
          seam_dip_db: round(seam.dipDb, 2),
        },
        // The seam was measured before the peak normalisation, which does not change it.
        measured: { centroidHz, seam },
      });
    }
    if (chosen.length === 0 && attempts === 0 && overlapping > 0) {
      reasons.push(`every ${fmt(plan.durationSec)} s window that passed lies inside a pad already made`);
    } else if (chosen.length === 0) reasons.push(whyNone(plan, o, seamFailures, analysis.sampleCount, sr));
    else if (duplicates > 0 && chosen.length < want) {
      reasons.push(
        `${chosen.length} of ${want} ${fmt(plan.durationSec)} s pads: ${duplicates} more would repeat a chosen one`,
      );
    }
  }
  return reasons.length > 0 && o.maxCandidatesPerFile > 0
    ? { textures, skipped: reasons.join("; ") }
    : { textures };
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
