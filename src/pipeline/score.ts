/**
 * Score, grade and de-duplicate the textures of one source as `make` writes them: each texture is
 * profiled from its own samples (analysis/quality/profile.ts), checked against the textures of the
 * same source already kept, scored (analysis/quality/score.ts) and graded by the configured
 * thresholds. Pure: audio in, numbers out; `make` owns the files.
 *
 * A duplicate is a texture that sounds like one already kept from the same source (in any phase:
 * a drone loop cut from the stretch a pad came from is that pad again). Compared are textures of one
 * family (pads, drone loops and reversed loops are all tonal loops; anything else only with its own
 * kind) and about one length (within 1 %):
 * - spectra: the 24-band spectra within `duplicate_spectral_db`, or
 * - waveforms: spectra within 1.5 dB and a correlation above `duplicate_correlation` at full rate
 *   (a loop read round the circle at any rotation: a stretched or reversed loop of a steady sound
 *   lands anywhere on it; a one-shot within +-2.9 ms). The lag is found on 4x box-decimated copies
 *   (round the whole circle by FFT for loops) and the correlation then measured at full rate around
 *   it: decimation folds the band where warm and dark filters differ into the rest and reads alike
 *   variants as less alike than they are.
 * It is not written; the manifest names the file kept.
 */
import { profileTexture } from "../analysis/quality/profile.js";
import { type ScoredType, scoreTexture } from "../analysis/quality/score.js";
import type { PatinaConfig } from "../config/schema.js";
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import type { Grade } from "../core/manifest.js";
import { crossSpectrumInto, fftSizeAtLeast, realFft } from "../dsp/fft.js";
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
/** Lags searched between one-shots, in decimated samples (32 x 4 = 128 samples, 2.9 ms at 44.1 kHz). */
const NEAR_LAGS = 32;
/**
 * Loops whose decimated similarity falls this far under the threshold are not measured at full rate
 * (warm and dark variants read 0.976 decimated against 0.982 at full rate on a rendered choir).
 */
const SCREEN_MARGIN = 0.05;
/** Full-rate lags searched around 4x the decimated one (its peak is within a decimated sample or two). */
const REFINE_RADIUS = 8;

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
  readonly loop: boolean;
  readonly length: number;
  readonly spectrumDb: Float32Array;
  readonly mono: Float32Array;
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
    const duplicateOf = this.duplicateOf(texture.type, loop, mono, profile.spectrumDb);
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
        loop,
        length: mono.length,
        spectrumDb: profile.spectrumDb,
        mono,
      });
    }
    return { ...g, score: quality.score, duplicateOf };
  }

  private duplicateOf(
    type: ScoredType,
    loop: boolean,
    mono: Float32Array,
    spectrumDb: Float32Array,
  ): string | null {
    const th = this.config.curation.thresholds;
    let dec: Decimated | undefined;
    for (const k of this.seen) {
      if (!sameFamily(k.type, type) || k.loop !== loop) continue;
      if (Math.abs(k.length - mono.length) > 0.01 * Math.max(k.length, mono.length)) continue;
      const d = spectralDistanceDb(k.spectrumDb, spectrumDb);
      if (d <= th.duplicate_spectral_db) return k.file;
      if (d > CORRELATE_WITHIN_DB || k.length !== mono.length) continue;
      k.decimated ??= decimate(k.mono);
      dec ??= decimate(mono);
      // The decimated lag (b read that far ahead of a), then the full-rate correlation around it.
      let lag: number;
      if (loop) {
        const found = circularLag(k.decimated, dec);
        // Not even near: decimation lowers alike variants' similarity by well under SCREEN_MARGIN.
        if (found.similarity < th.duplicate_correlation - SCREEN_MARGIN) continue;
        lag = found.lag;
      } else lag = nearLag(k.decimated, dec, NEAR_LAGS);
      if (fullRateSimilarity(k.mono, mono, 4 * lag, REFINE_RADIUS, loop) > th.duplicate_correlation)
        return k.file;
    }
    return null;
  }
}

/** Pads, drone loops and reversed loops are one family of tonal loops; other kinds stand alone. */
const TONAL_LOOPS: ReadonlySet<ScoredType> = new Set(["pad", "loop", "reversed"]);
const sameFamily = (a: ScoredType, b: ScoredType): boolean =>
  a === b || (TONAL_LOOPS.has(a) && TONAL_LOOPS.has(b));

/** The lag in -maxLag .. maxLag with the highest sum a[i] b[i + lag] (a one-shot's neighbourhood). */
function nearLag(a: Decimated, b: Decimated, maxLag: number): number {
  let best = Number.NEGATIVE_INFINITY;
  let bestLag = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const c = shiftedDot(a.x, b.x, lag);
    if (c > best) {
      best = c;
      bestLag = lag;
    }
  }
  return bestLag;
}

/**
 * The circular lag with the highest sum a[i] b[(i + lag) mod n], over the whole circle, by FFT, and
 * the normalised correlation there.
 */
function circularLag(a: Decimated, b: Decimated): { lag: number; similarity: number } {
  const n = a.x.length;
  if (!(a.energy > 0 && b.energy > 0)) return { lag: 0, similarity: 0 };
  const size = fftSizeAtLeast(2 * n);
  const fa = new Float32Array(size);
  const fb = new Float32Array(size);
  fa.set(a.x);
  // b twice in a row: its linear correlation with a over lags [0, n) is the circular one.
  fb.set(b.x);
  fb.set(b.x.subarray(0, Math.min(n, size - n)), n);
  const fft = realFft(size);
  const corr = fft.inverse(crossSpectrumInto(fft.forward(fa), fft.forward(fb)));
  const lag = argMax(corr, n);
  return { lag, similarity: corr[lag] / Math.sqrt(a.energy * b.energy) };
}

/** Index of the largest of x[0 .. n). Its own function so V8 optimises the loop alone. */
function argMax(x: Float32Array, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (x[k] > x[best]) best = k;
  return best;
}

/** sum_i a[i] b[i + lag] over the overlap (a one-shot's neighbouring lags). */
function shiftedDot(a: Float32Array, b: Float32Array, lag: number): number {
  let s = 0;
  const lo = Math.max(0, -lag);
  const hi = Math.min(a.length, b.length - lag);
  for (let i = lo; i < hi; i++) s += a[i] * b[i + lag];
  return s;
}

/** Normalised correlation of two full-rate signals at the best lag within centre +- radius. */
function fullRateSimilarity(
  a: Float32Array,
  b: Float32Array,
  centre: number,
  radius: number,
  circular: boolean,
): number {
  const ea = energy(a);
  const eb = energy(b);
  if (!(ea > 0 && eb > 0)) return 0;
  const n = a.length;
  let best = 0;
  for (let lag = centre - radius; lag <= centre + radius; lag++) {
    const c = circular ? circularDot(a, b, ((lag % n) + n) % n) : shiftedDot(a, b, lag);
    if (c > best) best = c;
  }
  return best / Math.sqrt(ea * eb);
}

function energy(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i] * x[i];
  return e;
}
