/**
 * Whole-block sample operations in WebAssembly SIMD (assembly/samples.ts; plain-JavaScript
 * reference in sample-reference.ts): the data goes in and out of the kernels' memory with bulk
 * copies, which cost far less than the JavaScript loops they replace. The thread's shared
 * instance; long arrays go through in chunks of CHUNK samples, so its memory stays small whatever
 * the input's length.
 */
import { base64 } from "../generated/samples-wasm.js";
import { SampleReference } from "./sample-reference.js";
import { align16, type KernelExports, ReusedKernel } from "./wasm-module.js";

export interface SampleExports extends KernelExports {
  scaleRound(p: number, n: number, up: number, down: number): void;
  mixHalf(a: number, b: number, n: number): void;
  stats(p: number, n: number, out: number): void;
  affine(p: number, n: number, gain: number, offset: number): void;
  s16le(src: number, frames: number, stride: number, offset: number, dst: number): void;
  s24le(src: number, frames: number, stride: number, offset: number, dst: number): void;
  pack24(x: number, n: number, dst: number, stride: number): void;
  f32ToS16(src: number, n: number, dst: number): void;
  columnStats(x: number, n: number, width: number, c0: number, c1: number, offset: number, out: number): void;
}

/** Samples (or frames) per kernel call. */
const CHUNK = 1 << 16;

interface Scratch {
  k: SampleExports;
  /** Two float regions of CHUNK samples (a, b), room for 3 bytes x 2 channels x CHUNK (bytes) and 16 f64 (out). */
  a: number;
  b: number;
  bytes: number;
  out: number;
  buffer: ArrayBuffer;
}

export const samplesKernel = new ReusedKernel<SampleExports>("samples", base64, () => new SampleReference());

/** The layout of the instance last used. */
let scratch: Scratch | undefined;

function kernels(): Scratch {
  const k = samplesKernel.get();
  if (scratch?.k !== k) {
    const a = align16(k.heapBase());
    const b = a + CHUNK * 4;
    const bytes = b + CHUNK * 4;
    const out = bytes + align16(6 * CHUNK + 16);
    scratch = { k, a, b, bytes, out, buffer: samplesKernel.reserve(k, out + 16 * 8) };
  }
  return scratch;
}

const f32 = (s: Scratch, at: number, n: number): Float32Array => new Float32Array(s.buffer, at, n);

/**
 * x[i] = round(x[i] * up) * down, in place, rounding half to even in double precision (what
 * `(v * up + 1.5 * 2^52 - 1.5 * 2^52) * down` gives in JavaScript).
 */
export function scaleRoundInPlace(x: Float32Array, up: number, down: number): void {
  inPlace(x, (s, n) => s.k.scaleRound(s.a, n, up, down));
}

/** Run `kernel` over x chunk by chunk in region a, in place. */
function inPlace(x: Float32Array, kernel: (s: Scratch, n: number) => void): void {
  const s = kernels();
  for (let i = 0; i < x.length; i += CHUNK) {
    const part = x.subarray(i, i + CHUNK);
    const view = f32(s, s.a, part.length);
    view.set(part);
    kernel(s, part.length);
    part.set(view);
  }
}

/** a[i] = (a[i] + b[i]) * 0.5 in place (double arithmetic, one rounding, as in JavaScript). */
export function mixHalfInPlace(a: Float32Array, b: Float32Array): void {
  const n = Math.min(a.length, b.length);
  const s = kernels();
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    const va = f32(s, s.a, m);
    va.set(a.subarray(i, i + m));
    f32(s, s.b, m).set(b.subarray(i, i + m));
    s.k.mixHalf(s.a, s.b, m);
    a.set(va, i);
  }
}

/** What `sampleStats` measures in one pass. */
export interface SampleStats {
  /** Sum and sum of squares, accumulated in double precision. */
  sum: number;
  sumSquares: number;
  /** Largest |x| (non-finite samples aside). */
  peak: number;
  /** Index of the first NaN or infinite sample, -1 when all are finite. */
  firstNonFinite: number;
}

/** Sum, sum of squares, peak and the first non-finite sample of `x`, in one SIMD pass. */
export function sampleStats(x: Float32Array): SampleStats {
  const s = kernels();
  const out = new Float64Array(s.buffer, s.out, 5);
  const st: SampleStats = { sum: 0, sumSquares: 0, peak: 0, firstNonFinite: -1 };
  for (let i = 0; i < x.length; i += CHUNK) {
    const part = x.subarray(i, i + CHUNK);
    f32(s, s.a, part.length).set(part);
    s.k.stats(s.a, part.length, s.out);
    st.sum += out[0];
    st.sumSquares += out[1];
    st.peak = Math.max(st.peak, out[2]);
    if (st.firstNonFinite < 0 && out[4] >= 0) st.firstNonFinite = i + out[4];
  }
  return st;
}

/** x[i] = x[i] * gain + offset in place (double arithmetic, one rounding, as in JavaScript). */
export function affineInPlace(x: Float32Array, gain: number, offset: number): void {
  inPlace(x, (s, n) => s.k.affine(s.a, n, gain, offset));
}

/**
 * Interleaved little-endian 16- or 24-bit PCM (`bytesPerSample` 2 or 3) to planar float, exactly
 * x / 2^(bits - 1): `frames` frames of `src` into `out[c][outOffset ..]`.
 */
export function pcmIntLeToFloat(
  src: Uint8Array,
  bytesPerSample: 2 | 3,
  frames: number,
  out: readonly Float32Array[],
  outOffset: number,
): void {
  const s = kernels();
  const nc = out.length;
  const stride = bytesPerSample * nc;
  // Frames per call: a channel's floats fit region a, the interleaved bytes the byte region.
  const step = Math.min(CHUNK, Math.floor((6 * CHUNK) / stride));
  for (let f = 0; f < frames; f += step) {
    const m = Math.min(step, frames - f);
    new Uint8Array(s.buffer, s.bytes, m * stride).set(src.subarray(f * stride, (f + m) * stride));
    const view = f32(s, s.a, m);
    for (let c = 0; c < nc; c++) {
      if (bytesPerSample === 2) s.k.s16le(s.bytes, m, stride, c * 2, s.a);
      else s.k.s24le(s.bytes, m, stride, c * 3, s.a);
      out[c].set(view, outOffset + f);
    }
  }
}

/**
 * Mono or stereo float channels (same length) as interleaved 24-bit little-endian integers
 * round(clip(x * 2^23)) into `out` from byte `at` (3 bytes per sample, channels interleaved).
 */
export function pack24Into(channels: readonly Float32Array[], out: Uint8Array, at: number): void {
  const nc = channels.length;
  const n = nc > 0 ? channels[0].length : 0;
  const s = kernels();
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    const src = f32(s, s.a, m);
    for (let c = 0; c < nc; c++) {
      src.set(channels[c].subarray(i, i + m));
      s.k.pack24(s.a, m, s.bytes + 3 * c, 3 * nc);
    }
    out.set(new Uint8Array(s.buffer, s.bytes, 3 * nc * m), at + 3 * nc * i);
  }
}

/** x as 16-bit integers round(x * 32768), saturated, into `out` from index `at` (exact for k / 32768). */
export function floatToInt16(x: Float32Array, out: Int16Array, at: number): void {
  const s = kernels();
  for (let i = 0; i < x.length; i += CHUNK) {
    const part = x.subarray(i, i + CHUNK);
    f32(s, s.a, part.length).set(part);
    s.k.f32ToS16(s.a, part.length, s.bytes);
    out.set(new Int16Array(s.buffer, s.bytes, part.length), at + i);
  }
}

/** Samples [start, end) of 16-bit integers (platform order: little-endian) as floats x / 32768, exactly. */
export function int16ToFloat(x: Int16Array, start: number, end: number): Float32Array {
  const out = new Float32Array(end - start);
  const bytes = new Uint8Array(x.buffer, x.byteOffset + 2 * start, 2 * (end - start));
  pcmIntLeToFloat(bytes, 2, end - start, [out], 0);
  return out;
}

/**
 * For each of `width` equal column spans of `x` (at least one sample each): min, max and sum of
 * squares, as `[min0, max0, sumSq0, min1, ...]` (a waveform thumbnail's columns). `x` non-empty, finite.
 */
export function columnStats(x: Float32Array, width: number): Float64Array {
  const s = kernels();
  const n = x.length;
  const result = new Float64Array(width * 3);
  const startOf = (c: number): number => Math.min(n - 1, Math.floor((c * n) / width));
  const endOf = (c: number): number =>
    Math.max(startOf(c) + 1, Math.min(n, Math.floor(((c + 1) * n) / width)));
  // Runs of whole columns whose samples fit one chunk (a column wider than a chunk goes alone, in parts).
  const out = new Float64Array(s.buffer, s.out, 3);
  for (let c0 = 0; c0 < width; ) {
    const from = startOf(c0);
    let c1 = c0 + 1;
    while (c1 < width && endOf(c1) - from <= CHUNK) c1++;
    const to = endOf(c1 - 1);
    if (to - from <= CHUNK) {
      const stats = new Float64Array(s.buffer, s.bytes, 3 * (c1 - c0));
      f32(s, s.a, to - from).set(x.subarray(from, to));
      s.k.columnStats(s.a, n, width, c0, c1, from, s.bytes);
      result.set(stats, 3 * c0);
    } else {
      // One very wide column: its min, max and energy from chunk-sized pieces.
      const st = { lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY, sq: 0 };
      for (let i = from; i < to; i += CHUNK) {
        const m = Math.min(CHUNK, to - i);
        f32(s, s.a, m).set(x.subarray(i, i + m));
        s.k.columnStats(s.a, m, 1, 0, 1, 0, s.out);
        st.lo = Math.min(st.lo, out[0]);
        st.hi = Math.max(st.hi, out[1]);
        st.sq += out[2];
      }
      result.set([st.lo, st.hi, st.sq], 3 * c0);
    }
    c0 = c1;
  }
  return result;
}
