/**
 * Score, grade and de-duplicate the textures of one source as `make` writes them: each texture is
 * profiled from its own samples (analysis/quality/profile.ts), checked against the textures of the
 * same source already kept, scored (analysis/quality/score.ts) and graded by the configured
 * thresholds. Pure: audio in, numbers out; `make` owns the files.
 *
 * A duplicate is a texture of the same kind and length (within 1 %) as one kept whose 24-band
 * spectrum lies within `duplicate_spectral_db` of it, or of the same length whose spectrum lies
 * within 1.5 dB and that correlates with it above `duplicate_correlation` at some lag (the pad
 * miner's `loopSimilarity`, read round the loop: the warm and dark filters delay a loop
 * differently): warm and dark loops of dark material are the same sound. It is not written; the
 * manifest names the file kept. Each texture is transformed for the correlation at most once.
 */
import { profileTexture } from "../analysis/quality/profile.js";
import { type ScoredType, scoreTexture } from "../analysis/quality/score.js";
import type { PatinaConfig } from "../config/schema.js";
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import type { Grade } from "../core/manifest.js";
import { type LoopPrint, loopPrint, printSimilarity } from "../textures/common.js";
import { gradeTexture, type TextureMeasures } from "./measure.js";

export interface Assessment {
  readonly grade: Grade;
  readonly reason: string;
  /** 0-100. */
  readonly score: number;
  /** Manifest file name of the kept texture this one duplicates, else null. */
  readonly duplicateOf: string | null;
}

/** Spectra further apart than this (dB) cannot belong to signals correlated above 0.98. */
const CORRELATE_WITHIN_DB = 1.5;

interface Seen {
  /** The kept file this texture stands for: its own name, or the one it duplicates. */
  readonly file: string;
  readonly type: ScoredType;
  readonly length: number;
  readonly spectrumDb: Float32Array;
  readonly mono: Float32Array;
  /** Its correlation print, made when first needed (null: too short or silent). */
  print?: LoopPrint | null;
}

/**
 * Energy-weighted mean absolute difference (dB, each band's difference capped at 20 dB) of two
 * spectra in dB re their totals: 0 for the same spectrum shape.
 */
export function spectralDistanceDb(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const w = 10 ** (Math.max(a[i], b[i]) / 10);
    num += w * Math.min(20, Math.abs(a[i] - b[i]));
    den += w;
  }
  return den > 0 ? num / den : 0;
}

/**
 * Assesses the textures of one source in order. Every texture seen is remembered for the duplicate
 * check, a duplicate as the file it duplicates, so a texture like a duplicate is one of the kept file.
 */
export class TextureAssessor {
  private readonly seen: Seen[] = [];
  constructor(private readonly config: Pick<PatinaConfig, "curation">) {}

  assess(
    texture: {
      readonly type: ScoredType;
      readonly loop?: unknown;
      readonly params?: Readonly<Record<string, unknown>>;
    },
    file: string,
    audio: PlanarAudio,
    m: TextureMeasures,
  ): Assessment {
    const th = this.config.curation.thresholds;
    const loop = texture.loop !== undefined;
    if (m.hasNaN || !(m.rmsDb > th.silence_rms_db)) {
      // Grade F whatever the score: nothing here to profile or to compare.
      const g = gradeTexture(m, th, { score: 0, costs: [] });
      return { ...g, score: 0, duplicateOf: null };
    }
    const mono = toMono(audio);
    const profile = profileTexture(mono, audio.sampleRate, loop);
    const duplicateOf = this.duplicateOf(texture.type, mono, profile.spectrumDb);
    const quality = scoreTexture(
      {
        type: texture.type,
        loop,
        profile,
        rmsDb: m.rmsDb,
        seamClickDb: m.seamDb,
        seamDipDb: m.dipDb,
        duplicateOf,
        filterLossDb:
          typeof texture.params?.variant_loss_db === "number" ? texture.params.variant_loss_db : null,
      },
      { quietRmsDb: th.quiet_rms_db, maxSeamClickDb: th.max_loop_seam_db, minSeamDipDb: th.min_loop_dip_db },
    );
    const g = gradeTexture(m, th, quality);
    if (g.grade !== "F") {
      const as = duplicateOf ?? file;
      this.seen.push({
        file: as,
        type: texture.type,
        length: mono.length,
        spectrumDb: profile.spectrumDb,
        mono,
      });
    }
    return { ...g, score: quality.score, duplicateOf };
  }

  private duplicateOf(type: ScoredType, mono: Float32Array, spectrumDb: Float32Array): string | null {
    const th = this.config.curation.thresholds;
    let print: LoopPrint | null | undefined;
    for (const k of this.seen) {
      if (k.type !== type || Math.abs(k.length - mono.length) > 0.01 * Math.max(k.length, mono.length))
        continue;
      const d = spectralDistanceDb(k.spectrumDb, spectrumDb);
      if (d <= th.duplicate_spectral_db) return k.file;
      if (d > CORRELATE_WITHIN_DB || k.length !== mono.length) continue;
      if (k.print === undefined) k.print = loopPrint(k.mono);
      if (print === undefined) print = loopPrint(mono);
      if (k.print && print && printSimilarity(k.print, print) > th.duplicate_correlation) return k.file;
    }
    return null;
  }
}
