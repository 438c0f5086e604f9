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
 * - waveforms: spectra within 1.5 dB and a correlation (its size: a turned polarity is the same
 *   sound) above `duplicate_correlation` at full rate: a loop read round the circle at any rotation
 *   (a stretched or reversed loop of a steady sound lands anywhere on it), a one-shot within
 *   +-2.9 ms. Both are screened on 8x box-decimated copies first; the verdict is taken at full rate
 *   because decimation folds the band where warm and dark filters differ into the rest and reads
 *   alike variants as less alike than they are (0.977 against 0.982 on a rendered choir).
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
/** Lags searched between one-shots, in samples (2.9 ms at 44.1 kHz): they are not circular. */
const NEAR_LAG_SAMPLES = 128;
/**
 * Loops whose decimated similarity falls this far under the threshold are not measured at full rate
 * (on rendered music every pair above 0.98 at full rate read above 0.95 decimated).
 */
const SCREEN_MARGIN = 0.05;
const SCREEN_DECIMATION = 8;

/** Sums of SCREEN_DECIMATION consecutive samples (a cheap low-pass and decimation for the screen). */
function decimate(mono: Float32Array): Float32Array {
  const m = Math.floor(mono.length / SCREEN_DECIMATION);
  const x = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let v = 0;
    for (let j = i * SCREEN_DECIMATION; j < (i + 1) * SCREEN_DECIMATION; j++) v += mono[j];
    x[i] = v;
  }
  return x;
}

interface Seen {
  /** The kept file this texture stands for: its own name, or the one it duplicates. */
  readonly file: string;
  readonly type: ScoredType;
  readonly loop: boolean;
  readonly length: number;
  readonly spectrumDb: Float32Array;
  readonly mono: Float32Array;
  /** Its box-decimated samples' transform for the loop screen, made when first needed. */
  screen?: CorrelationProbe;
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
    let dec: CorrelationProbe | undefined;
    for (const k of this.seen) {
      if (!sameFamily(k.type, type) || k.loop !== loop) continue;
      if (Math.abs(k.length - mono.length) > 0.01 * Math.max(k.length, mono.length)) continue;
      const d = spectralDistanceDb(k.spectrumDb, spectrumDb);
      if (d <= th.duplicate_spectral_db) return k.file;
      if (d > CORRELATE_WITHIN_DB || k.length !== mono.length) continue;
      // Screened on the decimated copies (decimation lowers alike textures' similarity by well under
      // SCREEN_MARGIN; the kept one's transform is kept for the next), then measured at full rate:
      // a loop round the whole circle, a one-shot within +-NEAR_LAG_SAMPLES.
      const reach = loop ? null : NEAR_LAG_SAMPLES;
      k.screen ??= new CorrelationProbe(decimate(k.mono), reach && Math.ceil(reach / SCREEN_DECIMATION));
      dec ??= new CorrelationProbe(decimate(mono), reach && Math.ceil(reach / SCREEN_DECIMATION));
      if (k.screen.similarity(dec) < th.duplicate_correlation - SCREEN_MARGIN) continue;
      if (
        new CorrelationProbe(k.mono, reach).similarity(new CorrelationProbe(mono, reach)) >
        th.duplicate_correlation
      )
        return k.file;
    }
    return null;
  }
}

/** Pads, drone loops and reversed loops are one family of tonal loops; other kinds stand alone. */
const TONAL_LOOPS: ReadonlySet<ScoredType> = new Set(["pad", "loop", "reversed"]);
const sameFamily = (a: ScoredType, b: ScoredType): boolean =>
  a === b || (TONAL_LOOPS.has(a) && TONAL_LOOPS.has(b));

/**
 * A texture ready for cross-correlation by FFT: `a.similarity(b)` is the largest |normalised
 * cross-correlation| of a and b (one length; a turned polarity is the same sound) over every
 * circular lag (`maxLag` null: loops) or over lags within +-maxLag in place (one-shots). For the
 * circular case a is transformed zero-padded and b repeated twice (its linear correlation with a
 * over lags [0, n) is then the circular one); each transform is made once per probe.
 */
class CorrelationProbe {
  private readonly size: number;
  private readonly energy: number;
  private asFirst: Float32Array | null = null;
  private asSecond: Float32Array | null = null;

  constructor(
    private readonly x: Float32Array,
    private readonly maxLag: number | null,
  ) {
    this.size = fftSizeAtLeast(maxLag === null ? 2 * x.length : x.length + maxLag + 1);
    this.energy = energy(x);
  }

  similarity(other: CorrelationProbe): number {
    const n = this.x.length;
    if (other.x.length !== n || other.maxLag !== this.maxLag || !(this.energy > 0 && other.energy > 0))
      return 0;
    const fft = realFft(this.size);
    this.asFirst ??= fft.forward(padded(this.x, this.size, false));
    other.asSecond ??= fft.forward(padded(other.x, this.size, this.maxLag === null));
    const corr = fft.inverse(crossSpectrumInto(this.asFirst, Float32Array.from(other.asSecond)));
    const best =
      this.maxLag === null
        ? maxAbs(corr, 0, n)
        : Math.max(maxAbs(corr, 0, this.maxLag + 1), maxAbs(corr, this.size - this.maxLag, this.size));
    return best / Math.sqrt(this.energy * other.energy);
  }
}

/** x in a zeroed buffer of `size`, once or twice in a row. */
function padded(x: Float32Array, size: number, twice: boolean): Float32Array {
  const out = new Float32Array(size);
  out.set(x);
  if (twice) out.set(x.subarray(0, Math.min(x.length, size - x.length)), x.length);
  return out;
}

/** max |x[from .. to)|. Its own function so V8 optimises the loop alone. */
function maxAbs(x: Float32Array, from: number, to: number): number {
  let best = 0;
  for (let k = from; k < to; k++) {
    const v = Math.abs(x[k]);
    if (v > best) best = v;
  }
  return best;
}

function energy(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i] * x[i];
  return e;
}
