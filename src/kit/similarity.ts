/**
 * How alike two textures are, for keeping near-duplicates out of a kit:
 * - timbre distance between fingerprints (analysis/fingerprint.ts), each dimension standardised
 *   over the candidate pool, the four groups (band means, band spreads, flatness and centroid,
 *   chroma) weighted equally: the root mean square of the standardised differences. Two unrelated
 *   textures lie about 1.4 apart (sqrt 2); near-copies well under 0.3.
 * - audio correlation: the largest normalised cross-correlation over all lags of the two mono
 *   openings (the first seconds), by FFT. 1 for the same audio at any level or offset; it
 *   catches copies a fingerprint misses (a texture and its louder twin).
 */
import { realFft } from "../dsp/fft.js";

/** Group of a fingerprint dimension, from its name (see FINGERPRINT_DIMS). */
function groupOf(dim: string): string {
  if (/^mel\d+_mean$/.test(dim)) return "mel_mean";
  if (/^mel\d+_std$/.test(dim)) return "mel_std";
  if (dim.startsWith("chroma_")) return "chroma";
  return "shape";
}

/** Fingerprints standardised over a pool, ready for distances. */
export class TimbreSpace {
  /** Weight of each dimension (1 / (group size x groups present)); 0 for a constant dimension. */
  private readonly weight: Float64Array;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;

  constructor(
    readonly dims: readonly string[],
    pool: Iterable<readonly number[]>,
  ) {
    const d = dims.length;
    const sum = new Float64Array(d);
    const sq = new Float64Array(d);
    let n = 0;
    for (const v of pool) {
      for (let i = 0; i < d; i++) {
        sum[i] += v[i];
        sq[i] += v[i] * v[i];
      }
      n++;
    }
    this.mean = new Float64Array(d);
    this.scale = new Float64Array(d);
    const live = new Map<string, number>();
    for (let i = 0; i < d; i++) {
      const m = n > 0 ? sum[i] / n : 0;
      const sd = n > 1 ? Math.sqrt(Math.max(0, sq[i] / n - m * m)) : 0;
      this.mean[i] = m;
      // A dimension that does not vary over the pool says nothing about these textures.
      this.scale[i] = sd > 1e-9 ? 1 / sd : 0;
      if (this.scale[i] > 0) live.set(groupOf(dims[i]), (live.get(groupOf(dims[i])) ?? 0) + 1);
    }
    this.weight = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const size = live.get(groupOf(dims[i])) ?? 0;
      if (this.scale[i] > 0 && size > 0) this.weight[i] = 1 / (size * live.size);
    }
  }

  /** Standardised copy of a vector (for repeated distances). */
  standardise(v: readonly number[]): Float64Array {
    const z = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) z[i] = (v[i] - this.mean[i]) * this.scale[i];
    return z;
  }

  /** Distance between two standardised vectors (see the module comment). */
  distance(a: Float64Array, b: Float64Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      const d = a[i] - b[i];
      s += this.weight[i] * d * d;
    }
    return Math.sqrt(s);
  }
}

/**
 * Seconds of each texture's opening compared, at the file's own rate: copies line up to the
 * sample, so no decimation (whose filters would lower the score of a copy offset by a fraction of
 * the decimation step).
 */
export const CORRELATION_SECONDS = 2;

/** A texture's opening prepared for correlations: mono, its energy, and spectra by FFT size. */
export class CorrelationAudio {
  readonly x: Float32Array;
  readonly energy: number;
  private readonly spectra = new Map<number, Float32Array>();

  constructor(channels: readonly Float32Array[], sampleRate: number) {
    const n = Math.max(1, Math.min(channels[0].length, Math.round(CORRELATION_SECONDS * sampleRate)));
    const x = new Float32Array(n);
    const g = 1 / channels.length;
    for (const ch of channels) for (let i = 0; i < Math.min(n, ch.length); i++) x[i] += ch[i] * g;
    let e = 0;
    for (let i = 0; i < n; i++) e += x[i] * x[i];
    this.x = x;
    this.energy = e;
  }

  /** Its spectrum zero-padded to `size` (kept: a pick is compared with many candidates). */
  spectrum(size: number): Float32Array {
    let s = this.spectra.get(size);
    if (s === undefined) {
      const padded = new Float32Array(size);
      padded.set(this.x);
      s = realFft(size).forward(padded);
      this.spectra.set(size, s);
    }
    return s;
  }
}

/** Smallest FFT size (a multiple of 32 with factors 2, 3, 5 only) of at least n. */
function fftSizeAtLeast(n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let p2 = 32; p2 < 2 * n + 64; p2 *= 2) {
    for (let p3 = 1; p2 * p3 < 2 * n + 64; p3 *= 3) {
      for (let p5 = 1; p2 * p3 * p5 < 2 * n + 64; p5 *= 5) {
        const s = p2 * p3 * p5;
        if (s >= n && s < best) best = s;
      }
    }
  }
  return best;
}

/**
 * Largest |normalised cross-correlation| of two openings over all lags (linear, not circular):
 * 1 for the same audio at any gain or offset, near 0 for unrelated sounds; 0 when either is silent.
 */
export function audioCorrelation(a: CorrelationAudio, b: CorrelationAudio): number {
  if (a.energy <= 0 || b.energy <= 0) return 0;
  const size = fftSizeAtLeast(a.x.length + b.x.length - 1);
  const fft = realFft(size);
  const sa = a.spectrum(size);
  const sb = b.spectrum(size);
  const cross = new Float32Array(size + 2);
  for (let k = 0; k < size + 2; k += 2) {
    // conj(A) * B: its inverse is sum_i a[i] b[i + lag].
    cross[k] = sa[k] * sb[k] + sa[k + 1] * sb[k + 1];
    cross[k + 1] = sa[k] * sb[k + 1] - sa[k + 1] * sb[k];
  }
  const r = fft.inverse(cross);
  let peak = 0;
  for (let i = 0; i < size; i++) {
    const v = Math.abs(r[i]);
    if (v > peak) peak = v;
  }
  return Math.min(1, peak / Math.sqrt(a.energy * b.energy));
}
