/**
 * Measure and grade a finished texture: the numbers that go into manifest.csv. Pure: audio in,
 * numbers out.
 */

import { brightnessClass } from "../analysis/brightness.js";
import type { PatinaConfig } from "../config/schema.js";
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import type { Brightness, Grade } from "../core/manifest.js";
import { crestFactorDb, peakDb, rmsDb } from "../dsp/level.js";
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

export function measureTexture(
  audio: PlanarAudio,
  loop: boolean,
  config: Pick<PatinaConfig, "brightness_tags" | "curation">,
): TextureMeasures {
  const mono = toMono(audio);
  let hasNaN = false;
  for (const ch of audio.channels) {
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i])) {
        hasNaN = true;
        break;
      }
    }
  }
  let peak = Number.NEGATIVE_INFINITY;
  for (const ch of audio.channels) peak = Math.max(peak, peakDb(ch));
  const level = rmsDb(mono);
  const silent = !(level > config.curation.thresholds.silence_rms_db);
  const centroidHz = silent ? 0 : meanCentroidHz(mono, audio.sampleRate);
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
    const s = worstSeam(audio.channels, audio.sampleRate);
    seamDb = s.clickDb;
    dipDb = s.dipDb;
  }
  return {
    durationSec: mono.length / audio.sampleRate,
    rmsDb: level,
    peakDbfs: peak,
    crestDb: silent ? 0 : crestFactorDb(mono),
    centroidHz,
    brightness,
    seamDb,
    dipDb,
    hasNaN,
  };
}

/** Grade by the configured curation thresholds: F = unusable, B = usable with a flaw, A = clean. */
export function gradeTexture(
  m: TextureMeasures,
  thresholds: PatinaConfig["curation"]["thresholds"],
): { grade: Grade; reason: string } {
  if (m.hasNaN) return { grade: "F", reason: "non-finite samples" };
  if (!(m.rmsDb > thresholds.silence_rms_db)) return { grade: "F", reason: "silent" };
  if (m.peakDbfs >= thresholds.clip_peak_dbfs) return { grade: "F", reason: "clipped" };
  if (m.crestDb > thresholds.max_crest_factor) return { grade: "F", reason: "extreme crest factor (spiky)" };
  if (m.crestDb < thresholds.min_crest_factor)
    return { grade: "F", reason: "extreme crest factor (squashed)" };
  const flaws: string[] = [];
  if (m.rmsDb < thresholds.quiet_rms_db) flaws.push("quiet");
  if (m.seamDb !== null && m.seamDb > thresholds.max_loop_seam_db) flaws.push("loop seam clicks");
  if (m.dipDb !== null && m.dipDb < thresholds.min_loop_dip_db) flaws.push("loop seam dips");
  return flaws.length > 0 ? { grade: "B", reason: flaws.join(", ") } : { grade: "A", reason: "" };
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
