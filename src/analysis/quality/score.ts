/**
 * A texture's quality score, 0-100: 100 less the points each measured flaw costs (profile.ts and
 * the pipeline's seam and level measures). Every cost is named with its measure, so a manifest row
 * says why, e.g. "level range 9 dB -18; percussive hit inside -25".
 *
 * | flaw                                   | applies to                         | cost                          |
 * |----------------------------------------|------------------------------------|-------------------------------|
 * | level range over 3 dB (46 ms frames)   | pads, drone and reversed loops     | 3 per dB, at most 30          |
 * | level trend over 1.5 dB (decay, swell) | pads, drone and reversed loops     | 3 per dB, at most 30          |
 * | seam level step over the largest inner step (at least 1 dB) | loops         | 3 per dB, at most 25          |
 * | seam flux over the largest inner flux (at least 1 dB)       | loops         | 3 per dB, at most 25          |
 * | seam click over max_loop_seam_db / dip under min_loop_dip_db | loops        | 20 + 2 per dB, at most 40     |
 * | percussive hit inside                  | all but hiss and clouds (grains)   | 25 each, at most 50           |
 * | flatness over 0.25 (noisy, not tonal)  | pads, loops, reversed, swells      | 60 per unit, at most 15       |
 * | quiet (RMS under quiet_rms_db)         | all                                | 20                            |
 * | a click 10 dB over the median 5 ms     | hiss loops (they should be even)   | 2.5 per dB, at most 50        |
 * | more than one level hump               | swells (rise and fall once)        | 15 each, at most 30           |
 * | a tonal variant's filter took over 20 dB | drone loops (little left: thin)  | 1 per dB, at most 25          |
 * | duplicate of a file kept               | all                                | 40                            |
 */
import type { TextureProfile } from "./profile.js";

/** Texture types as the manifest names them. */
export type ScoredType = "pad" | "loop" | "swell" | "reversed" | "cloud" | "hiss_loop" | "hiss_flicker";

export interface ScoreInput {
  readonly type: ScoredType;
  /** Is the texture a loop (its seam is measured). */
  readonly loop: boolean;
  readonly profile: TextureProfile;
  /** RMS of the mono downmix (dB re full scale). */
  readonly rmsDb: number;
  /** Sample-level seam scores (dsp/seam.ts), loops only. */
  readonly seamClickDb: number | null;
  readonly seamDipDb: number | null;
  /** The file this one duplicates (not written), if any. */
  readonly duplicateOf?: string | null;
  /** How far (dB) a tonal variant's filter brought the loop's level down, if it is one. */
  readonly filterLossDb?: number | null;
}

export interface ScoreOptions {
  /** RMS (dB) under which a texture counts as quiet (`curation.thresholds.quiet_rms_db`). */
  quietRmsDb: number;
  /** Seam click / dip bars (`curation.thresholds.max_loop_seam_db`, `min_loop_dip_db`). */
  maxSeamClickDb: number;
  minSeamDipDb: number;
}

/** One flaw and what it cost. */
export interface ScoreCost {
  /** What was measured, e.g. "level range 9 dB". */
  readonly what: string;
  readonly points: number;
}

export interface TextureScore {
  /** 0-100, whole points. */
  readonly score: number;
  /** The flaws that cost points, largest first. */
  readonly costs: readonly ScoreCost[];
}

const TONAL_LOOPS: ReadonlySet<ScoredType> = new Set(["pad", "loop", "reversed"]);
const TONAL: ReadonlySet<ScoredType> = new Set(["pad", "loop", "reversed", "swell"]);
/** Made of hits (hiss from drums) or of overlapping grains (clouds): hits are no flaw there. */
const UNHIT: ReadonlySet<ScoredType> = new Set(["cloud", "hiss_loop", "hiss_flicker"]);

/** `per` points per unit over `from`, at most `cap` (0 at or under `from`). */
const over = (v: number, from: number, per: number, cap: number): number =>
  v > from ? Math.min(cap, per * (v - from)) : 0;

const fmt = (v: number, digits = 0): string => {
  const k = 10 ** digits;
  return String(Math.round(v * k) / k);
};

export function scoreTexture(input: ScoreInput, o: ScoreOptions): TextureScore {
  const p = input.profile;
  const costs: ScoreCost[] = [];
  const add = (what: string, points: number): void => {
    const pts = Math.round(points);
    if (pts > 0) costs.push({ what, points: pts });
  };
  if (TONAL_LOOPS.has(input.type)) {
    add(`level range ${fmt(p.levelRangeDb)} dB`, over(p.levelRangeDb, 3, 3, 30));
    const t = p.levelTrendDb;
    add(`${t < 0 ? "decays" : "swells"} ${fmt(Math.abs(t))} dB`, over(Math.abs(t), 1.5, 3, 30));
  }
  if (input.loop) {
    if (p.seamStepDb !== null) {
      const step = Math.abs(p.seamStepDb);
      add(`level step ${fmt(step)} dB at the loop point`, over(step, Math.max(1, p.interiorStepDb), 3, 25));
    }
    if (p.seamFluxDb !== null) {
      add(
        `spectral jump ${fmt(p.seamFluxDb, 1)} dB at the loop point`,
        over(p.seamFluxDb, Math.max(1, p.interiorFluxDb), 3, 25),
      );
    }
    if (input.seamClickDb !== null && input.seamClickDb > o.maxSeamClickDb) {
      add(
        `seam click ${fmt(input.seamClickDb, 1)} dB`,
        Math.min(40, 20 + 2 * (input.seamClickDb - o.maxSeamClickDb)),
      );
    }
    if (input.seamDipDb !== null && input.seamDipDb < o.minSeamDipDb) {
      add(
        `seam dip ${fmt(input.seamDipDb, 1)} dB`,
        Math.min(40, 20 + 2 * (o.minSeamDipDb - input.seamDipDb)),
      );
    }
  }
  const hits = p.hitTimesSec.length;
  if (hits > 0 && !UNHIT.has(input.type)) {
    add(hits === 1 ? "percussive hit inside" : `${hits} percussive hits inside`, Math.min(50, 25 * hits));
  }
  if (TONAL.has(input.type)) add(`flatness ${fmt(p.flatness, 2)}`, over(p.flatness, 0.25, 60, 15));
  if (input.rmsDb < o.quietRmsDb) add(`quiet (${fmt(input.rmsDb)} dB RMS)`, 20);
  if (input.type === "hiss_loop")
    add(`click ${fmt(p.clickDb)} dB over the median`, over(p.clickDb, 10, 2.5, 50));
  if (input.type === "swell") add(`${p.humps} level humps`, over(p.humps, 1, 15, 30));
  const loss = input.filterLossDb ?? 0;
  add(`thin: the filter took ${fmt(loss)} dB`, over(loss, 20, 1, 25));
  if (input.duplicateOf) add(`duplicate of ${input.duplicateOf}`, 40);
  costs.sort((a, b) => b.points - a.points);
  const total = costs.reduce((s, c) => s + c.points, 0);
  return { score: Math.max(0, 100 - total), costs };
}

/** The costs as the manifest's grade_reason: "level range 9 dB -18; percussive hit inside -25". */
export function formatCosts(costs: readonly ScoreCost[]): string {
  return costs.map((c) => `${c.what} -${c.points}`).join("; ");
}
