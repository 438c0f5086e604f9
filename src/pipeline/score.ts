/**
 * Score, grade and de-duplicate the textures of one source as `make` writes them: each texture is
 * profiled from its own samples (analysis/quality/profile.ts), checked against the textures of the
 * same source already kept, scored (analysis/quality/score.ts) and graded by the configured
 * thresholds. Pure: audio in, numbers out; `make` owns the files.
 *
 * A duplicate is a texture of the same kind and length (within 1 %) as one kept whose 24-band
 * spectrum lies within `duplicate_spectral_db` of it, or, made from the same stretch of the source
 * (`source_start_sec`/`source_end_sec`: the tonal variants of one loop), whose spectrum lies within
 * 1.5 dB and that correlates with it above `duplicate_correlation` within +-2.9 ms (read round the
 * loop, on the 4x box-decimated samples as the pad miner's `loopSimilarity`: the warm and dark
 * filters delay a loop by different fractions of a millisecond): warm and dark loops of dark
 * material are the same sound (around the difference of their rotations when `make` moved a loop's
 * seam). It is not written; the manifest names the file kept. Only siblings are correlated:
 * textures from other stretches of the source differ in their waveform anyway, and repeats of a
 * section are the miner's to catch.
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
/** Lags searched between siblings, in decimated samples (32 x 4 = 128 samples, 2.9 ms at 44.1 kHz). */
const NEAR_LAGS = 32;

interface Decimated {
  readonly x: Float32Array;
  readonly energy: number;
}

/** Sums of 4 consecutive samples, as `loopSimilarity` decimates. */
function decimate(mono: Float32Array): Decimated {
  const m = Math.floor(mono.length / 4);
  const x = new Float32Array(m);
  let energy = 0;
  for (let i = 0; i < m; i++) {
    const v = mono[4 * i] + mono[4 * i + 1] + mono[4 * i + 2] + mono[4 * i + 3];
    x[i] = v;
    energy += v * v;
  }
  return { x, energy };
}

/**
 * Highest normalised circular cross-correlation sum_i a[i] b[i + lag] of two decimated loops of one
 * length over lags centre - maxLag .. centre + maxLag (0 when either is silent).
 */
export function nearLagSimilarity(a: Decimated, b: Decimated, maxLag: number, centre = 0): number {
  const n = a.x.length;
  if (b.x.length !== n || n === 0 || !(a.energy > 0 && b.energy > 0)) return 0;
  let best = 0;
  for (let lag = centre - maxLag; lag <= centre + maxLag; lag++) {
    const c = circularDot(a.x, b.x, ((lag % n) + n) % n);
    if (c > best) best = c;
  }
  return best / Math.sqrt(a.energy * b.energy);
}

/** sum_i a[i] b[(i + lag) mod n], in two runs without the modulo. */
function circularDot(a: Float32Array, b: Float32Array, lag: number): number {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n - lag; i++) s += a[i] * b[i + lag];
  for (let i = n - lag; i < n; i++) s += a[i] * b[i + lag - n];
  return s;
}

interface Seen {
  /** The kept file this texture stands for: its own name, or the one it duplicates. */
  readonly file: string;
  readonly type: ScoredType;
  readonly length: number;
  readonly spectrumDb: Float32Array;
  readonly mono: Float32Array;
  /** The stretch of the source it was made from ("start-end" s), when the generator says. */
  readonly span: string | null;
  /** Samples the pipeline rotated the loop by (its file starts that far into the loop). */
  readonly rotation: number;
  /** Its 4x box-decimated samples and their energy, made when first needed. */
  decimated?: Decimated;
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

/** "start-end" of the source stretch a texture was made from, from its parameters (else null). */
function sourceSpan(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const a = params?.source_start_sec;
  const b = params?.source_end_sec;
  return typeof a === "number" && typeof b === "number" ? `${a}-${b}` : null;
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
    rotation = 0,
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
    const span = sourceSpan(texture.params);
    const duplicateOf = this.duplicateOf(texture.type, span, rotation, mono, profile.spectrumDb);
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
        span,
        rotation,
      });
    }
    return { ...g, score: quality.score, duplicateOf };
  }

  private duplicateOf(
    type: ScoredType,
    span: string | null,
    rotation: number,
    mono: Float32Array,
    spectrumDb: Float32Array,
  ): string | null {
    const th = this.config.curation.thresholds;
    let dec: Decimated | undefined;
    for (const k of this.seen) {
      if (k.type !== type || Math.abs(k.length - mono.length) > 0.01 * Math.max(k.length, mono.length))
        continue;
      const d = spectralDistanceDb(k.spectrumDb, spectrumDb);
      if (d <= th.duplicate_spectral_db) return k.file;
      if (d > CORRELATE_WITHIN_DB || k.length !== mono.length || span === null || k.span !== span) continue;
      k.decimated ??= decimate(k.mono);
      dec ??= decimate(mono);
      const centre = Math.round((k.rotation - rotation) / 4);
      if (nearLagSimilarity(k.decimated, dec, NEAR_LAGS, centre) > th.duplicate_correlation) return k.file;
    }
    return null;
  }
}
