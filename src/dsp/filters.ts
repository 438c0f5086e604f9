/**
 * Butterworth filters as cascaded second-order sections (SOS), designed from the analog prototype
 * by the bilinear transform with prewarping, so the -3 dB point lands exactly on the requested
 * cutoff at any rate. Sections run in transposed direct form II with float64 state, which keeps
 * them stable from 20 Hz up to 0.45 x the sample rate at high orders.
 */
import { ParameterError } from "../core/errors.js";
import { checkAudio, checkFinite, checkInteger, checkNonNegative, checkSampleRate } from "./check.js";

export type FilterType = "lowpass" | "highpass" | "bandpass";

/** Second-order sections: per section `[b0, b1, b2, a1, a2]` (a0 = 1). */
export interface Sos {
  readonly sections: number;
  readonly coeffs: Float64Array;
}

export interface ButterworthOptions {
  type: FilterType;
  /** Prototype order (band-pass: order of each edge, i.e. `order` sections). */
  order: number;
  sampleRate: number;
  /** Cutoff of a low- or high-pass, Hz. */
  cutoffHz: number;
  /** Band edges of a band-pass, Hz (low < high). */
  lowHz: number;
  highHz: number;
}

const MAX_ORDER = 16;

/** Design a Butterworth filter. */
export function butterworth(options: Partial<ButterworthOptions> & Pick<ButterworthOptions, "type">): Sos {
  const { type } = options;
  const order = options.order ?? 4;
  const sampleRate = options.sampleRate ?? Number.NaN;
  checkSampleRate(sampleRate);
  checkInteger(order, 1, "order");
  if (order > MAX_ORDER) throw new ParameterError(`order must be at most ${MAX_ORDER}, got: ${order}`);
  const nyquist = sampleRate / 2;
  const checkEdge = (f: number | undefined, name: string): number => {
    if (f === undefined) throw new ParameterError(`${name} is required for a ${type} filter`);
    checkFinite(f, name);
    if (f <= 0 || f >= nyquist) {
      throw new ParameterError(
        `${name} must be within (0, ${nyquist}) Hz (Nyquist) at ${sampleRate} Hz, got: ${f}`,
      );
    }
    return f;
  };
  // Prewarped analog frequencies in the bilinear form z = (1 + s) / (1 - s).
  const warp = (f: number): number => Math.tan((Math.PI * f) / sampleRate);
  // Prototype poles on the unit circle's left half: exp(j pi (2k + n - 1) / (2n)), k = 1..n.
  const proto: Array<[number, number]> = [];
  for (let k = 1; k <= order; k++) {
    const a = (Math.PI * (2 * k + order - 1)) / (2 * order);
    proto.push([Math.cos(a), Math.sin(a)]);
  }
  const poles: Array<[number, number]> = [];
  let zeros: [number, number, number];
  let refOmega: number;
  if (type === "lowpass" || type === "highpass") {
    const w = warp(checkEdge(options.cutoffHz, "cutoffHz"));
    for (const [re, im] of proto) {
      if (type === "lowpass") poles.push([re * w, im * w]);
      else {
        // s = w / p
        const m = re * re + im * im;
        poles.push([(w * re) / m, (-w * im) / m]);
      }
    }
    zeros = type === "lowpass" ? [1, 2, 1] : [1, -2, 1];
    refOmega = type === "lowpass" ? 0 : Math.PI;
  } else if (type === "bandpass") {
    const lo = checkEdge(options.lowHz, "lowHz");
    const hi = checkEdge(options.highHz, "highHz");
    if (lo >= hi) throw new ParameterError(`lowHz must be below highHz, got: ${lo} >= ${hi}`);
    const w1 = warp(lo);
    const w2 = warp(hi);
    const w0sq = w1 * w2;
    const bw = w2 - w1;
    // Low-pass to band-pass: each prototype pole p gives the roots of s^2 - p bw s + w0^2 = 0.
    for (const [re, im] of proto) {
      const br = re * bw;
      const bi = im * bw;
      // discriminant (p bw)^2 - 4 w0^2
      const dr = br * br - bi * bi - 4 * w0sq;
      const di = 2 * br * bi;
      const [sr, si] = csqrt(dr, di);
      poles.push([(br + sr) / 2, (bi + si) / 2]);
      poles.push([(br - sr) / 2, (bi - si) / 2]);
    }
    zeros = [1, 0, -1];
    refOmega = 2 * Math.atan(Math.sqrt(w0sq));
  } else {
    throw new ParameterError(`filter type must be lowpass, highpass or bandpass, got: ${String(type)}`);
  }
  // Bilinear map of every pole, then pair conjugates into sections.
  const zp = poles.map(([re, im]): [number, number] => {
    // z = (1 + s) / (1 - s)
    const nr = 1 + re;
    const ni = im;
    const dr = 1 - re;
    const di = -im;
    const m = dr * dr + di * di;
    return [(nr * dr + ni * di) / m, (ni * dr - nr * di) / m];
  });
  const sections = pairPoles(zp);
  const coeffs = new Float64Array(sections.length * 5);
  sections.forEach((sec, i) => {
    let b: [number, number, number];
    let a1: number;
    let a2: number;
    if (sec.length === 2) {
      const [[r1, i1], [r2, i2]] = sec;
      a1 = -(r1 + r2);
      a2 = r1 * r2 - i1 * i2;
      b = zeros;
    } else {
      // First-order section (odd-order low/high-pass): one real pole, one zero.
      a1 = -sec[0][0];
      a2 = 0;
      b = type === "lowpass" ? [1, 1, 0] : [1, -1, 0];
    }
    // Unit gain at the reference frequency, section by section, keeps internal levels balanced.
    const g = 1 / biquadMagnitude(b[0], b[1], b[2], a1, a2, refOmega);
    coeffs.set([b[0] * g, b[1] * g, b[2] * g, a1, a2], i * 5);
  });
  return { sections: sections.length, coeffs };
}

/** Butterworth low-pass (default order 4). */
export function lowpass(cutoffHz: number, sampleRate: number, order = 4): Sos {
  return butterworth({ type: "lowpass", cutoffHz, sampleRate, order });
}

/** Butterworth high-pass (default order 4). */
export function highpass(cutoffHz: number, sampleRate: number, order = 4): Sos {
  return butterworth({ type: "highpass", cutoffHz, sampleRate, order });
}

/** Butterworth band-pass with -3 dB at both edges (default order 4 per edge). */
export function bandpass(lowHz: number, highHz: number, sampleRate: number, order = 4): Sos {
  return butterworth({ type: "bandpass", lowHz, highHz, sampleRate, order });
}

function csqrt(re: number, im: number): [number, number] {
  const m = Math.sqrt(re * re + im * im);
  const r = Math.sqrt(Math.max(0, (m + re) / 2));
  const i = Math.sqrt(Math.max(0, (m - re) / 2));
  return [r, im < 0 ? -i : i];
}

function pairPoles(zp: Array<[number, number]>): Array<Array<[number, number]>> {
  const eps = 1e-12;
  const complex = zp.filter(([, im]) => im > eps);
  const real = zp.filter(([, im]) => Math.abs(im) <= eps).sort((a, b) => a[0] - b[0]);
  const out: Array<Array<[number, number]>> = complex.map(([re, im]) => [
    [re, im],
    [re, -im],
  ]);
  for (let i = 0; i < real.length; i += 2) {
    out.push(i + 1 < real.length ? [real[i], real[i + 1]] : [real[i]]);
  }
  return out;
}

function biquadMagnitude(b0: number, b1: number, b2: number, a1: number, a2: number, w: number): number {
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const nr = b0 + b1 * c1 + b2 * c2;
  const ni = -(b1 * s1 + b2 * s2);
  const dr = 1 + a1 * c1 + a2 * c2;
  const di = -(a1 * s1 + a2 * s2);
  return Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

/** Magnitude response |H| (linear) of `sos` at `freqHz`. */
export function sosMagnitude(sos: Sos, freqHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * freqHz) / sampleRate;
  let m = 1;
  const c = sos.coeffs;
  for (let s = 0; s < sos.sections; s++) {
    const k = s * 5;
    m *= biquadMagnitude(c[k], c[k + 1], c[k + 2], c[k + 3], c[k + 4], w);
  }
  return m;
}

/**
 * Samples for the filter's slowest pole to decay by `decades` decades (120 dB for 6): how much
 * warm-up or edge padding makes start-up transients negligible.
 */
export function sosDecayLength(sos: Sos, decades = 6): number {
  let maxR = 0;
  const c = sos.coeffs;
  for (let s = 0; s < sos.sections; s++) {
    const a1 = c[s * 5 + 3];
    const a2 = c[s * 5 + 4];
    const disc = a1 * a1 - 4 * a2;
    let r: number;
    if (disc < 0) r = Math.sqrt(a2);
    else {
      const q = Math.sqrt(disc);
      r = Math.max(Math.abs((-a1 + q) / 2), Math.abs((-a1 - q) / 2));
    }
    maxR = Math.max(maxR, r);
  }
  if (maxR <= 0) return 8;
  if (maxR >= 1) throw new ParameterError(`filter is unstable (pole radius ${maxR})`);
  return Math.ceil((decades * Math.LN10) / -Math.log(maxR)) + 8;
}

/**
 * Run the sections over `src[from..to)` (or backwards when `backward`), writing `dst` at the same
 * indices. `init` sets each section's state to its steady state for a constant input of that
 * value (what a filter settled on the first sample would hold); otherwise state starts at zero.
 */
function runSos(
  src: Float32Array,
  dst: Float32Array,
  sos: Sos,
  backward: boolean,
  init: number | undefined,
): void {
  const c = sos.coeffs;
  const n = src.length;
  let level = init ?? 0;
  for (let s = 0; s < sos.sections; s++) {
    const k = s * 5;
    const b0 = c[k];
    const b1 = c[k + 1];
    const b2 = c[k + 2];
    const a1 = c[k + 3];
    const a2 = c[k + 4];
    let z1 = 0;
    let z2 = 0;
    if (init !== undefined) {
      const y = (level * (b0 + b1 + b2)) / (1 + a1 + a2);
      z2 = b2 * level - a2 * y;
      z1 = b1 * level - a1 * y + z2;
      level = y;
    }
    biquadPass(s === 0 ? src : dst, dst, n, b0, b1, b2, a1, a2, z1, z2, backward);
  }
}

// The per-sample loops live in functions of their own: compiled mid-loop inside a larger function,
// V8 bails out of the code after the loop on later calls (see dsp/loop.ts).

/** One biquad section (transposed direct form II) over input[0 .. n) into dst, from state z1, z2. */
function biquadPass(
  input: Float32Array,
  dst: Float32Array,
  n: number,
  b0: number,
  b1: number,
  b2: number,
  a1: number,
  a2: number,
  z1: number,
  z2: number,
  backward: boolean,
): void {
  if (!backward) {
    for (let i = 0; i < n; i++) {
      const x = input[i];
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      dst[i] = y;
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const x = input[i];
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      dst[i] = y;
    }
  }
}

function checkSos(sos: Sos): void {
  if (!sos || !(sos.coeffs instanceof Float64Array) || sos.coeffs.length !== sos.sections * 5) {
    throw new ParameterError("sos must be a filter from butterworth()/lowpass()/highpass()/bandpass()");
  }
}

/** Single-pass (causal) filtering. `out` may be `x` itself for in-place filtering. */
export function filter(
  x: Float32Array,
  sos: Sos,
  out: Float32Array = new Float32Array(x.length),
): Float32Array {
  checkAudio(x);
  checkSos(sos);
  if (out.length !== x.length) {
    throw new ParameterError(`out must have ${x.length} samples, got: ${out.length}`);
  }
  runSos(x, out, sos, false, undefined);
  return out;
}

export interface FiltfiltOptions {
  /** Edge padding (odd reflection) in samples; default: the filter's decay length, capped by the input. */
  padLength: number;
}

/**
 * Zero-phase forward-backward filtering (magnitude squared, no delay). The ends are padded by odd
 * reflection and each pass starts from the steady state of its first sample, so edges do not
 * ring.
 */
export function filtfilt(x: Float32Array, sos: Sos, options: Partial<FiltfiltOptions> = {}): Float32Array {
  checkAudio(x);
  checkSos(sos);
  const n = x.length;
  const want = options.padLength ?? sosDecayLength(sos, 5);
  checkNonNegative(want, "padLength");
  const pad = Math.min(Math.floor(want), n - 1);
  const ext = new Float32Array(n + 2 * pad);
  ext.set(x, pad);
  const first = x[0];
  const last = x[n - 1];
  for (let i = 1; i <= pad; i++) {
    ext[pad - i] = 2 * first - x[i];
    ext[pad + n - 1 + i] = 2 * last - x[n - 1 - i];
  }
  runSos(ext, ext, sos, false, ext[0]);
  runSos(ext, ext, sos, true, ext[ext.length - 1]);
  return ext.slice(pad, pad + n);
}

export interface FilterLoopOptions {
  /** Forward-backward (zero-phase) instead of a single causal pass. */
  zeroPhase: boolean;
  /** Warm-up in samples (the loop is run round this far before output starts); default: decay length. */
  warmup: number;
}

/**
 * Filter a loop as if it played forever: the filter first runs round the loop (repeated as often
 * as the warm-up needs) so its state at the loop start is the state it has when the loop comes
 * round again. The output is then itself a seamless loop, with no start-up transient at the seam.
 */
export function filterLoop(
  x: Float32Array,
  sos: Sos,
  options: Partial<FilterLoopOptions> = {},
): Float32Array {
  checkAudio(x);
  checkSos(sos);
  const warmup = Math.floor(options.warmup ?? sosDecayLength(sos, 6));
  checkNonNegative(warmup, "warmup");
  const y = circularPass(x, sos, warmup);
  if (!options.zeroPhase) return y;
  y.reverse();
  const z = circularPass(y, sos, warmup);
  return z.reverse();
}

function circularPass(x: Float32Array, sos: Sos, warmup: number): Float32Array {
  const n = x.length;
  const ext = new Float32Array(warmup + n);
  wrapCopy(x, ext, warmup);
  runSos(ext, ext, sos, false, undefined);
  return ext.slice(warmup);
}

/** ext[i] = x[(i - warmup) mod n]: the loop's tail (wrapping as often as needed), then the loop. */
function wrapCopy(x: Float32Array, ext: Float32Array, warmup: number): void {
  const n = x.length;
  let j = ((-warmup % n) + n) % n;
  for (let i = 0; i < ext.length; i++) {
    ext[i] = x[j];
    j = j + 1 === n ? 0 : j + 1;
  }
}
