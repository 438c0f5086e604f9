/**
 * Score, grade and de-duplicate the textures of one source as `make` writes them: each texture is
 * profiled from its own samples (analysis/quality/profile.ts), checked against the textures of the
 * same source already kept, scored (analysis/quality/score.ts) and graded by the configured
 * thresholds. Pure: audio in, numbers out; `make` owns the files.
 *
 * A duplicate is a texture of the same kind and length (within 1 %) as one kept whose 24-band
 * spectrum lies within `duplicate_spectral_db` of it, or within 1.5 dB and correlated with it above
 * `duplicate_correlation` sample by sample (the tonal variants of one loop line up): warm and dark
 * loops of dark material are the same sound. It is not written; the manifest names the file kept.
 * (Pads cut from repeats of a section, which line up at some other lag, are caught by the miner.)
 */
import { profileTexture } from "../analysis/quality/profile.js";
import { type ScoredType, scoreTexture } from "../analysis/quality/score.js";
import type { PatinaConfig } from "../config/schema.js";
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import type { Grade } from "../core/manifest.js";
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

/** Normalised correlation at lag 0 over the shorter length (0 when either is silent). */
export function correlation(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Assesses the textures of one source in order. Every texture seen is remembered for the duplicate
 * check, a duplicate as the file it duplicates, so a texture like a duplicate is one of the kept file.
 */
export class TextureAssessor {
  private readonly seen: Seen[] = [];
  constructor(private readonly config: Pick<PatinaConfig, "curation">) {}

  assess(
    texture: { readonly type: ScoredType; readonly loop?: unknown },
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
    for (const k of this.seen) {
      if (k.type !== type || Math.abs(k.length - mono.length) > 0.01 * Math.max(k.length, mono.length))
        continue;
      const d = spectralDistanceDb(k.spectrumDb, spectrumDb);
      if (d <= th.duplicate_spectral_db) return k.file;
      if (d <= CORRELATE_WITHIN_DB && correlation(k.mono, mono) > th.duplicate_correlation) return k.file;
    }
    return null;
  }
}
