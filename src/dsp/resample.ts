import { ParameterError } from "../core/errors.js";
import { besselI0 } from "./kaiser.js";
import { kernelTaps, ResampleKernel } from "./resample-kernel.js";

/**
 * Streaming band-limited resampler: polyphase Kaiser-windowed sinc, evaluated exactly at each output
 * instant t_k = k * from / to (in input samples), so there is no group delay to compensate: output k
 * is centred on input time k / to. Samples before the start and after the end count as zero, so a
 * stream that starts mid-file (region reads) gives the same samples as a whole-file pass.
 */
export interface ResamplerOptions {
  /** Stopband attenuation (dB) of the anti-aliasing filter. */
  attenuationDb: number;
  /** Passband edge as a fraction of the lower Nyquist frequency. Aliases fall only above it. */
  passband: number;
  /**
   * Absolute index of the first output sample produced (region reads start mid-file). The caller then
   * feeds input from index `inputStart` (a property of the resampler) on.
   */
  outputStart: number;
}

export const RESAMPLER_DEFAULTS: ResamplerOptions = {
  attenuationDb: 120,
  passband: 0.91,
  outputStart: 0,
};

/** Largest polyphase table kept in memory (coefficients); beyond it coefficients are interpolated. */
const MAX_TABLE = 1 << 21;
/** Resolution of the interpolated prototype filter (points per input sample). */
const DENSE = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Frames out for `n` frames in: round(n * to / from). */
export function resampledLength(n: number, fromRate: number, toRate: number): number {
  const g = gcd(fromRate, toRate);
  const l = fromRate / g;
  const m = toRate / g;
  // Exact integer rounding of n * m / l (half up).
  return Math.floor((2 * n * m + l) / (2 * l));
}

export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Taps on each side of the output instant (input samples). */
  readonly halfTaps: number;
  private readonly l: number;
  private readonly m: number;
  private readonly lq: number;
  private readonly lr: number;
  private readonly taps: number;
  /** The polyphase table (rows padded to the kernel's step) in a kernel instance held until flush. */
  private kernel: ResampleKernel | null;
  private readonly dense: Float32Array | null;
  private readonly proto: (d: number) => number;
  private buf: Float32Array;
  /** Absolute input index of buf[0]. */
  private bufStart: number;
  private bufLen = 0;
  /** Absolute index of the first input sample the caller must feed. */
  readonly inputStart: number;
  private fed = 0;
  /** Next output index and its input position q + r/m. */
  private k: number;
  private q: number;
  private r: number;
  private flushed = false;

  constructor(fromRate: number, toRate: number, options: Partial<ResamplerOptions> = {}) {
    const o = { ...RESAMPLER_DEFAULTS, ...options };
    for (const [name, v] of [
      ["fromRate", fromRate],
      ["toRate", toRate],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0)
        throw new ParameterError(`${name} must be a positive integer, got: ${v}`);
    }
    if (!(o.passband > 0 && o.passband < 1))
      throw new ParameterError(`passband must be in (0, 1), got: ${o.passband}`);
    if (!(o.attenuationDb >= 40 && o.attenuationDb <= 200))
      throw new ParameterError(`attenuationDb must be in [40, 200], got: ${o.attenuationDb}`);
    this.fromRate = fromRate;
    this.toRate = toRate;
    const g = gcd(fromRate, toRate);
    this.l = fromRate / g;
    this.m = toRate / g;
    this.lq = Math.floor(this.l / this.m);
    this.lr = this.l % this.m;

    const low = Math.min(fromRate, toRate);
    const passHz = o.passband * (low / 2);
    const stopHz = low - passHz;
    const fc = low / 2 / fromRate; // cutoff, cycles per input sample
    const df = (stopHz - passHz) / fromRate;
    const a = o.attenuationDb;
    const beta = a > 50 ? 0.1102 * (a - 8.7) : 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
    const n = Math.ceil((a - 7.95) / (2.285 * 2 * Math.PI * df)) + 1;
    const half = Math.max(2, Math.ceil(n / 2));
    this.halfTaps = half;
    this.taps = 2 * half;
    const i0b = besselI0(beta);
    this.proto = (d: number): number => {
      const u = d / half;
      if (u <= -1 || u >= 1) return 0;
      const x = 2 * fc * d;
      const s = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      return 2 * fc * s * (besselI0(beta * Math.sqrt(1 - u * u)) / i0b);
    };
    this.kernel = null;
    this.dense = null;
    if (fromRate !== toRate && this.m * this.taps <= MAX_TABLE) {
      // One normalised row of taps per phase r/m (unity DC gain at every phase), zero-padded to
      // the kernel's step.
      const t8 = kernelTaps(this.taps);
      const t = new Float32Array(this.m * t8);
      const row = new Float64Array(this.taps);
      for (let r = 0; r < this.m; r++) {
        let sum = 0;
        for (let j = 0; j < this.taps; j++) {
          row[j] = this.proto(r / this.m + half - 1 - j);
          sum += row[j];
        }
        for (let j = 0; j < this.taps; j++) t[r * t8 + j] = row[j] / sum;
      }
      this.kernel = new ResampleKernel(t, t8);
    } else if (fromRate !== toRate) {
      const d = new Float32Array(2 * half * DENSE + 2);
      for (let i = 0; i < d.length; i++) d[i] = this.proto(i / DENSE - half);
      this.dense = d;
    }

    if (!Number.isInteger(o.outputStart) || o.outputStart < 0)
      throw new ParameterError(`outputStart must be a non-negative integer, got: ${o.outputStart}`);
    this.k = o.outputStart;
    const pos = this.k * this.l;
    this.q = Math.floor(pos / this.m);
    this.r = pos - this.q * this.m;
    this.inputStart = fromRate === toRate ? o.outputStart : Math.max(0, this.q - half + 1);
    // Before the file's start the signal is zero: pre-fill the history with zeros.
    const pre = this.inputStart === 0 ? half : 0;
    this.bufStart = this.inputStart - pre;
    this.buf = new Float32Array(Math.max(4096, 4 * this.taps));
    this.bufLen = pre;
  }

  private append(x: Float32Array): void {
    // Drop history no output will need again, then grow if needed.
    const keepFrom = this.q - this.halfTaps + 1 - this.bufStart;
    if (keepFrom > 0 && keepFrom <= this.bufLen) {
      this.buf.copyWithin(0, keepFrom, this.bufLen);
      this.bufLen -= keepFrom;
      this.bufStart += keepFrom;
    }
    if (this.bufLen + x.length > this.buf.length) {
      const nb = new Float32Array(Math.max(this.bufLen + x.length, this.buf.length * 2));
      nb.set(this.buf.subarray(0, this.bufLen));
      this.buf = nb;
    }
    this.buf.set(x, this.bufLen);
    this.bufLen += x.length;
  }

  /** Produce every output whose taps lie inside the buffer, but not beyond output index `limit`. */
  private run(limit: number): Float32Array {
    const half = this.halfTaps;
    const T = this.taps;
    const bufEnd = this.bufStart + this.bufLen;
    let count = 0;
    {
      // Count outputs available: q(k) + half <= bufEnd - 1.
      let k = this.k;
      let q = this.q;
      let r = this.r;
      while (q + half <= bufEnd - 1 && k < limit) {
        count++;
        k++;
        q += this.lq;
        r += this.lr;
        if (r >= this.m) {
          r -= this.m;
          q++;
        }
      }
    }
    const shift = 1 - half - this.bufStart;
    if (this.kernel) {
      const out =
        count > 0
          ? this.kernel.run(
              this.buf.subarray(0, this.bufLen),
              count,
              this.q + shift,
              this.r,
              this.lq,
              this.lr,
              this.m,
            )
          : new Float32Array(0);
      this.k += count;
      // Advance the position as the kernel did: count steps of lq + lr/m.
      const rr = this.r + count * this.lr;
      this.q += count * this.lq + Math.floor(rr / this.m);
      this.r = rr % this.m;
      return out;
    }
    const out = new Float32Array(count);
    const buf = this.buf;
    const dense = this.dense;
    const lq = this.lq;
    const lr = this.lr;
    const m = this.m;
    let q = this.q;
    let r = this.r;
    if (dense) {
      for (let i = 0; i < count; i++) {
        const base = q + shift;
        // Offset of tap j from the output instant is frac + half - 1 - j; table index (d + half) * DENSE.
        const frac = r / m;
        let acc = 0;
        let sum = 0;
        for (let j = 0; j < T; j++) {
          const x = (frac + 2 * half - 1 - j) * DENSE;
          const xi = Math.floor(x);
          const c = dense[xi] + (dense[xi + 1] - dense[xi]) * (x - xi);
          acc += buf[base + j] * c;
          sum += c;
        }
        out[i] = acc / sum;
        q += lq;
        r += lr;
        if (r >= m) {
          r -= m;
          q++;
        }
      }
    }
    this.k += count;
    this.q = q;
    this.r = r;
    return out;
  }

  /** Feed input; returns the outputs that are now complete (possibly none). */
  process(input: Float32Array): Float32Array {
    if (this.flushed) throw new ParameterError("Resampler.process called after flush");
    this.fed += input.length;
    if (this.kernel === null && this.dense === null) {
      this.k += input.length;
      return input.slice();
    }
    this.append(input);
    return this.run(Number.POSITIVE_INFINITY);
  }

  /** End of input: emit the remaining outputs, up to round(inputEnd * to / from) in total. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    const total = resampledLength(this.inputStart + this.fed, this.fromRate, this.toRate);
    if (this.kernel === null && this.dense === null) return new Float32Array(0);
    this.append(new Float32Array(this.taps + this.lq + 2));
    const tail = this.run(total);
    this.kernel?.release();
    return tail;
  }
}

/** Resample a whole signal (length round(n * to / from)). */
export function resample(
  x: Float32Array,
  fromRate: number,
  toRate: number,
  options: Partial<Omit<ResamplerOptions, "outputStart">> = {},
): Float32Array {
  if (fromRate === toRate) return x.slice();
  const rs = new Resampler(fromRate, toRate, options);
  const a = rs.process(x);
  const b = rs.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
