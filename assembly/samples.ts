// Sample-array kernels used on every decoded block (src/dsp/sample-kernels.ts copies the data in
// and out): the FLAC rescale and the stereo downmix, in WebAssembly SIMD with the same f64
// arithmetic as the JavaScript they replace, so results are bit-identical.

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
