// Sample-array kernels used on every decoded block (src/dsp/sample-kernels.ts copies the data in
// and out): the FLAC rescale and the stereo downmix, in WebAssembly SIMD with the same f64
// arithmetic as the JavaScript they replace, so results are bit-identical.

import { sampleSums } from "./lib/stats";

export function heapBase(): usize {
  return __heap_base;
}

/**
 * p[i] = round(p[i] * up) * down for n samples (round half to even, as the 1.5 * 2^52 trick in
 * JavaScript), in f64. Adding +0 after the rounding turns -0 into 0, as that trick does.
 */
export function scaleRound(p: usize, n: i32, up: f64, down: f64): void {
  const u = f64x2.splat(up);
  const d = f64x2.splat(down);
  const z = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = p + ((<usize>i) << 2);
    const x = v128.load(at);
    const lo = f64x2.mul(f64x2.add(f64x2.nearest(f64x2.mul(f64x2.promote_low_f32x4(x), u)), z), d);
    const hi = f64x2.mul(
      f64x2.add(f64x2.nearest(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)), u)), z),
      d,
    );
    v128.store(at, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const at = p + ((<usize>i) << 2);
    store<f32>(at, <f32>((nearest<f64>(<f64>load<f32>(at) * up) + 0.0) * down));
  }
}

/** a[i] = (a[i] + b[i]) * 0.5 for n samples, computed in f64 and rounded once. */
export function mixHalf(a: usize, b: usize, n: i32): void {
  const h = f64x2.splat(0.5);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const x = v128.load(a + o);
    const y = v128.load(b + o);
    const lo = f64x2.mul(f64x2.add(f64x2.promote_low_f32x4(x), f64x2.promote_low_f32x4(y)), h);
    const hi = f64x2.mul(
      f64x2.add(
        f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)),
        f64x2.promote_low_f32x4(v128.shuffle<f32>(y, y, 2, 3, 0, 1)),
      ),
      h,
    );
    v128.store(
      a + o,
      v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5),
    );
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(a + o, <f32>((<f64>load<f32>(a + o) + <f64>load<f32>(b + o)) * 0.5));
  }
}

/**
 * One pass over n samples: sum and sum of squares (f64), peak |x|, (unused) clip count and the index
 * of the first non-finite sample (-1 if none), written as five f64 at `out`.
 */
export function stats(p: usize, n: i32, out: usize): void {
  sampleSums(p, n, Infinity, out);
}

/** p[i] = p[i] * gain + offset for n samples, in f64 with one rounding (as in JavaScript). */
export function affine(p: usize, n: i32, gain: f64, offset: f64): void {
  const g = f64x2.splat(gain);
  const o = f64x2.splat(offset);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = p + ((<usize>i) << 2);
    const x = v128.load(at);
    const lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(x), g), o);
    const hi = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)), g), o);
    v128.store(at, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const at = p + ((<usize>i) << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) * gain + offset));
  }
}

/**
 * Little-endian 16-bit PCM to float (x / 32768, exact): channel at byte `offset` of each
 * `stride`-byte frame, `frames` frames into dst. Mono and stereo take SIMD paths.
 */
export function s16le(src: usize, frames: i32, stride: i32, offset: i32, dst: usize): void {
  const k = f32x4.splat(1.0 / 32768);
  let i = 0;
  if (stride === 2) {
    for (; i + 8 <= frames; i += 8) {
      const v = v128.load(src + ((<usize>i) << 1));
      const o = dst + ((<usize>i) << 2);
      v128.store(o, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), k));
      v128.store(o, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), k), 16);
    }
  } else if (stride === 4) {
    // Eight stereo frames per step: gather this channel's eight samples from two vectors.
    const a0 = offset;
    for (; i + 8 <= frames; i += 8) {
      const p = src + ((<usize>i) << 2);
      const a = v128.load(p);
      const b = v128.load(p, 16);
      const v =
        a0 === 0
          ? i8x16.shuffle(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29)
          : i8x16.shuffle(a, b, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
      const o = dst + ((<usize>i) << 2);
      v128.store(o, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), k));
      v128.store(o, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), k), 16);
    }
  }
  for (; i < frames; i++) {
    const s = load<i16>(src + <usize>(i * stride + offset));
    store<f32>(dst + ((<usize>i) << 2), <f32>s * (1.0 / 32768));
  }
}

/** Little-endian 24-bit PCM to float (x / 2^23, exact), as `s16le`. */
export function s24le(src: usize, frames: i32, stride: i32, offset: i32, dst: usize): void {
  for (let i = 0; i < frames; i++) {
    const p = src + <usize>(i * stride + offset);
    const v =
      (((<i32>load<u8>(p, 2)) << 24) | ((<i32>load<u8>(p, 1)) << 16) | ((<i32>load<u8>(p)) << 8)) >> 8;
    store<f32>(dst + ((<usize>i) << 2), <f32>v * (1.0 / 8388608));
  }
}

/**
 * n samples of x to 24-bit little-endian integers round(clip(x * 2^23)), every `stride` bytes
 * from `dst` (3 for mono, 6 for one channel of stereo); computed in f64 as in JavaScript. The
 * mono path writes 16 bytes per four samples, so `dst` needs 4 bytes of room after the end.
 */
export function pack24(x: usize, n: i32, dst: usize, stride: i32): void {
  const scale = f64x2.splat(8388608);
  const lo = f64x2.splat(-8388608);
  const hi = f64x2.splat(8388607);
  const half = f64x2.splat(0.5);
  let i = 0;
  if (stride === 3) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + ((<usize>i) << 2));
      const a = f64x2.mul(f64x2.promote_low_f32x4(v), scale);
      const b = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), scale);
      const qa = i32x4.trunc_sat_f64x2_s_zero(
        f64x2.floor(f64x2.add(f64x2.pmin(f64x2.pmax(a, lo), hi), half)),
      );
      const qb = i32x4.trunc_sat_f64x2_s_zero(
        f64x2.floor(f64x2.add(f64x2.pmin(f64x2.pmax(b, lo), hi), half)),
      );
      const q = v128.shuffle<i32>(qa, qb, 0, 1, 4, 5);
      v128.store(
        dst + <usize>(i * 3),
        i8x16.shuffle(q, q, 0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0),
      );
    }
  }
  for (; i < n; i++) {
    let v = <f64>load<f32>(x + ((<usize>i) << 2)) * 8388608;
    v = v > 8388607 ? 8388607 : v < -8388608 ? -8388608 : v;
    const q = <i32>Math.floor(v + 0.5);
    const p = dst + <usize>(i * stride);
    store<u8>(p, <u8>q);
    store<u8>(p, <u8>(q >> 8), 1);
    store<u8>(p, <u8>(q >> 16), 2);
  }
}

/** n floats to 16-bit integers round(x * 32768), saturated (exact for k / 32768 inputs). */
export function f32ToS16(src: usize, n: i32, dst: usize): void {
  const k = f32x4.splat(32768);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = src + ((<usize>i) << 2);
    const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(p), k)));
    const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(p, 16), k)));
    v128.store(dst + ((<usize>i) << 1), i16x8.narrow_i32x4_s(a, b));
  }
  for (; i < n; i++) {
    const v = nearest<f32>(load<f32>(src + ((<usize>i) << 2)) * 32768);
    store<i16>(dst + ((<usize>i) << 1), <i16>(v > 32767 ? 32767 : v < -32768 ? -32768 : v));
  }
}

/**
 * Per pixel column of a waveform thumbnail over an n-sample signal: min, max and sum of squares
 * (f64) of the samples it covers, columns [floor(c n / width), floor((c + 1) n / width)) at least
 * one sample wide. Columns [c0, c1) only, whose samples start at signal index `offset` in `x`;
 * three f64 per column at `out`.
 */
export function columnStats(x: usize, n: i32, width: i32, c0: i32, c1: i32, offset: i32, out: usize): void {
  for (let c = c0; c < c1; c++) {
    const start = min(n - 1, <i32>((<i64>c * <i64>n) / <i64>width));
    const end = max(start + 1, min(n, <i32>((<i64>(c + 1) * <i64>n) / <i64>width)));
    const p = x - ((<usize>offset) << 2);
    let lo = f32x4.splat(Infinity);
    let hi = f32x4.splat(-Infinity);
    let q0 = f64x2.splat(0);
    let q1 = f64x2.splat(0);
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const v = v128.load(p + ((<usize>i) << 2));
      lo = f32x4.pmin(lo, v);
      hi = f32x4.pmax(hi, v);
      const a = f64x2.promote_low_f32x4(v);
      const b = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
      q0 = f64x2.add(q0, f64x2.mul(a, a));
      q1 = f64x2.add(q1, f64x2.mul(b, b));
    }
    let mn = min(
      min(f32x4.extract_lane(lo, 0), f32x4.extract_lane(lo, 1)),
      min(f32x4.extract_lane(lo, 2), f32x4.extract_lane(lo, 3)),
    );
    let mx = max(
      max(f32x4.extract_lane(hi, 0), f32x4.extract_lane(hi, 1)),
      max(f32x4.extract_lane(hi, 2), f32x4.extract_lane(hi, 3)),
    );
    const q = f64x2.add(q0, q1);
    let sq = f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1);
    for (; i < end; i++) {
      const v = load<f32>(p + ((<usize>i) << 2));
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      sq += <f64>v * <f64>v;
    }
    const o = out + <usize>((c - c0) * 24);
    store<f64>(o, <f64>mn);
    store<f64>(o, <f64>mx, 8);
    store<f64>(o, sq, 16);
  }
}
