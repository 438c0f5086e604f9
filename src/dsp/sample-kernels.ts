/**
 * Whole-block sample operations in WebAssembly SIMD (assembly/samples.ts): the data is copied in
 * and out with two bulk copies, which cost far less than the JavaScript loop they replace.
 * One instance per thread, its memory grown to the largest block seen.
 */
import { base64 } from "../generated/samples-wasm.js";
import { align16, ensureMemory, type KernelExports, kernelInstance } from "./wasm-module.js";

interface SampleExports extends KernelExports {
  scaleRound(p: number, n: number, up: number, down: number): void;
  mixHalf(a: number, b: number, n: number): void;
  stats(p: number, n: number, out: number): void;
  affine(p: number, n: number, gain: number, offset: number): void;
  s16le(src: number, frames: number, stride: number, offset: number, dst: number): void;
  s24le(src: number, frames: number, stride: number, offset: number, dst: number): void;
  pack24(x: number, n: number, dst: number, stride: number): void;
  f32ToS16(src: number, n: number, dst: number): void;
  columnStats(x: number, n: number, width: number, out: number): void;
}

let instance: SampleExports | undefined;
let base = 0;

function kernels(): SampleExports {
  if (!instance) {
    instance = kernelInstance<SampleExports>("samples", base64);
    base = align16(instance.heapBase());
  }
  return instance;
}

/**
 * x[i] = round(x[i] * up) * down, in place, rounding half to even in double precision (what
 * `(v * up + 1.5 * 2^52 - 1.5 * 2^52) * down` gives in JavaScript).
 */
export function scaleRoundInPlace(x: Float32Array, up: number, down: number): void {
  const k = kernels();
  const view = new Float32Array(ensureMemory(k.memory, base + x.length * 4), base, x.length);
  view.set(x);
  k.scaleRound(base, x.length, up, down);
  x.set(view);
}

/** a[i] = (a[i] + b[i]) * 0.5 in place (double arithmetic, one rounding, as in JavaScript). */
export function mixHalfInPlace(a: Float32Array, b: Float32Array): void {
  const n = Math.min(a.length, b.length);
  const k = kernels();
  const bAt = base + align16(n * 4);
  const buffer = ensureMemory(k.memory, bAt + n * 4);
  const va = new Float32Array(buffer, base, n);
  va.set(a.subarray(0, n));
  new Float32Array(buffer, bAt, n).set(b.subarray(0, n));
  k.mixHalf(base, bAt, n);
  a.set(va);
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
  const k = kernels();
  const at = base + 32;
  const buffer = ensureMemory(k.memory, at + x.length * 4);
  new Float32Array(buffer, at, x.length).set(x);
  k.stats(at, x.length, base);
  const out = new Float64Array(buffer, base, 4);
  return { sum: out[0], sumSquares: out[1], peak: out[2], firstNonFinite: out[3] };
}

/** x[i] = x[i] * gain + offset in place (double arithmetic, one rounding, as in JavaScript). */
export function affineInPlace(x: Float32Array, gain: number, offset: number): void {
  const k = kernels();
  const view = new Float32Array(ensureMemory(k.memory, base + x.length * 4), base, x.length);
  view.set(x);
  k.affine(base, x.length, gain, offset);
  x.set(view);
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
  const k = kernels();
  const nc = out.length;
  const stride = bytesPerSample * nc;
  const bytes = frames * stride;
  const dst = base + align16(bytes);
  const buffer = ensureMemory(k.memory, dst + frames * 4);
  new Uint8Array(buffer, base, bytes).set(src.subarray(0, bytes));
  const view = new Float32Array(buffer, dst, frames);
  for (let c = 0; c < nc; c++) {
    if (bytesPerSample === 2) k.s16le(base, frames, stride, c * 2, dst);
    else k.s24le(base, frames, stride, c * 3, dst);
    out[c].set(view, outOffset);
  }
}

/**
 * Mono or stereo float channels (same length) as interleaved 24-bit little-endian integers
 * round(clip(x * 2^23)) into `out` from byte `at` (3 bytes per sample, channels interleaved).
 */
export function pack24Into(channels: readonly Float32Array[], out: Uint8Array, at: number): void {
  const nc = channels.length;
  const n = nc > 0 ? channels[0].length : 0;
  const k = kernels();
  const bytes = 3 * nc * n;
  const dst = base + align16(n * 4);
  const buffer = ensureMemory(k.memory, dst + bytes + 16);
  const src = new Float32Array(buffer, base, n);
  for (let c = 0; c < nc; c++) {
    src.set(channels[c]);
    k.pack24(base, n, dst + 3 * c, 3 * nc);
  }
  out.set(new Uint8Array(buffer, dst, bytes), at);
}

/** x as 16-bit integers round(x * 32768), saturated, into `out` from index `at` (exact for k / 32768). */
export function floatToInt16(x: Float32Array, out: Int16Array, at: number): void {
  const k = kernels();
  const dst = base + align16(x.length * 4);
  const buffer = ensureMemory(k.memory, dst + x.length * 2);
  new Float32Array(buffer, base, x.length).set(x);
  k.f32ToS16(base, x.length, dst);
  out.set(new Int16Array(buffer, dst, x.length), at);
}

/** Samples [start, end) of 16-bit integers as floats x / 32768 (exact). */
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
  const k = kernels();
  const out = base + align16(x.length * 4);
  const buffer = ensureMemory(k.memory, out + width * 24);
  new Float32Array(buffer, base, x.length).set(x);
  k.columnStats(base, x.length, width, out);
  return new Float64Array(buffer, out, width * 3).slice();
}
