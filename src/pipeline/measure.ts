/**
 * Measure and grade a finished texture: the numbers that go into manifest.csv. Pure: audio in,
 * numbers out.
 */

import { brightnessClass } from "../analysis/brightness.js";
import { formatCosts, type TextureScore } from "../analysis/quality/score.js";
import type { PatinaConfig } from "../config/schema.js";
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import type { Brightness, Grade } from "../core/manifest.js";
import { ampToDb } from "../core/units.js";
import { sampleStats } from "../dsp/sample-kernels.js";
import { bestSeamRotation, minSeamLoopSamples } from "../dsp/seam.js";
import { meanCentroidHz, worstSeam } from "../textures/common.js";

export interface TextureMeasures {
  readonly durationSec: number;
  readonly rmsDb: number;
  readonly peakDbfs: number;
  readonly crestDb: number;
  readonly centroidHz: number;
  readonly brightness: Brightness;
  readonly seamDb: number | null;
  readonly dipDb: number | null;
  readonly hasNaN: boolean;
}

/**
 * Measures a generator already took of exactly the audio being measured (peak normalisation
 * aside: both are ratios), so they are not computed twice. See `Texture.measured`.
 */
export interface KnownMeasures {
  readonly centroidHz?: number;
  readonly seam?: { readonly clickDb: number; readonly dipDb: number };
}

/** Peak |x| and sum of squares in one pass; the sum is non-finite iff a sample is. */
function scan(x: Float32Array): { peak: number; sumSq: number } {
  if (x.length === 0) return { peak: 0, sumSq: 0 };
  const st = sampleStats(x);
  return { peak: st.peak, sumSq: st.sumSquares };
}

export function measureTexture(
  audio: PlanarAudio,
  loop: boolean,
  config: Pick<PatinaConfig, "brightness_tags" | "curation">,
  known: KnownMeasures = {},
): TextureMeasures {
  const mono = toMono(audio);
  let hasNaN = false;
  let peak = 0;
  let monoScan: { peak: number; sumSq: number } | null = null;
  for (const ch of audio.channels) {
    const c = scan(ch);
    if (!Number.isFinite(c.sumSq)) hasNaN = true;
    if (c.peak > peak) peak = c.peak;
    if (ch === mono) monoScan = c;
  }
  const m = monoScan ?? scan(mono);
  const monoPeak = m.peak;
  const monoRms = mono.length > 0 ? Math.sqrt(m.sumSq / mono.length) : 0;
  const level = ampToDb(monoRms);
  const silent = !(level > config.curation.thresholds.silence_rms_db);
  const centroidHz = silent ? 0 : (known.centroidHz ?? meanCentroidHz(mono, audio.sampleRate));
  const b = config.brightness_tags;
  const brightness = brightnessClass(
    centroidHz,
    { lowHz: b.centroid_low_hz, highHz: b.centroid_high_hz },
    silent,
  );
  let seamDb: number | null = null;
  let dipDb: number | null = null;
  if (loop && !silent && mono.length >= minSeamLoopSamples(audio.sampleRate)) {
    // Every channel must loop cleanly, so the worst channel's seam is the loop's seam.
    const s = known.seam ?? worstSeam(audio.channels, audio.sampleRate);
    seamDb = s.clickDb;
    dipDb = s.dipDb;
  }
  return {
    durationSec: mono.length / audio.sampleRate,
    rmsDb: level,
    peakDbfs: ampToDb(peak),
    crestDb: silent || !(monoRms > 0) ? 0 : ampToDb(monoPeak / monoRms),
    centroidHz,
    brightness,
    seamDb,
    dipDb,
    hasNaN,
  };
}

/**
 * Grade by the configured curation thresholds: F = unusable (non-finite, silent, clipped, extreme
 * crest factor); otherwise the quality score decides: A from `min_score_a`, B from `min_score_b`,
 * C below. The reason lists what cost points.
 */
export function gradeTexture(
  m: TextureMeasures,
  thresholds: PatinaConfig["curation"]["thresholds"],
  quality: TextureScore,
): { grade: Grade; reason: string } {
  if (m.hasNaN) return { grade: "F", reason: "non-finite samples" };
  if (!(m.rmsDb > thresholds.silence_rms_db)) return { grade: "F", reason: "silent" };
  if (m.peakDbfs >= thresholds.clip_peak_dbfs) return { grade: "F", reason: "clipped" };
  if (m.crestDb > thresholds.max_crest_factor) return { grade: "F", reason: "extreme crest factor (spiky)" };
  if (m.crestDb < thresholds.min_crest_factor)
    return { grade: "F", reason: "extreme crest factor (squashed)" };
  const reason = formatCosts(quality.costs);
  if (quality.score >= thresholds.min_score_a) return { grade: "A", reason };
  return { grade: quality.score >= thresholds.min_score_b ? "B" : "C", reason };
}

/**
 * Rotate a seamless circular loop so its file boundary sits where the loop is typical: every
 * rotation of a circular signal is equally continuous, so this only moves the seam off a
 * transient or out of a quiet trough that the seam metric would flag. Returns the rotation too.
 */
export function placeLoopSeam(audio: PlanarAudio): { audio: PlanarAudio; rotation: number } {
  const k = bestSeamRotation(toMono(audio), audio.sampleRate);
  if (k === 0) return { audio, rotation: 0 };
  const channels = audio.channels.map((ch) => {
    const out = new Float32Array(ch.length);
    out.set(ch.subarray(k));
    out.set(ch.subarray(0, k), ch.length - k);
    return out;
  });
  return { audio: { sampleRate: audio.sampleRate, channels }, rotation: k };
}
