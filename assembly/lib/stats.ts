// One pass of sample statistics shared by the analysis and sample kernels.

/**
 * Over n samples at p: sum and sum of squares (f64), peak |x|, the count of |x| >= clipLevel, and the
 * index of the first non-finite sample (-1 if none), written as five f64 at `out`.
 */
export function sampleSums(p: usize, n: i32, clipLevel: f32, out: usize): void {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let q0 = f64x2.splat(0);
  let q1 = f64x2.splat(0);
  let peak = f32x4.splat(0);
  let clip = i32x4.splat(0);
  // x - x is 0 for finite x and NaN otherwise; NaN lanes survive the running sum.
  let bad = f32x4.splat(0);
  const level = f32x4.splat(clipLevel);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(p + ((<usize>i) << 2));
    const lo = f64x2.promote_low_f32x4(x);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
    s0 = f64x2.add(s0, lo);
    s1 = f64x2.add(s1, hi);
    q0 = f64x2.add(q0, f64x2.mul(lo, lo));
    q1 = f64x2.add(q1, f64x2.mul(hi, hi));
    const a = f32x4.abs(x);
    peak = f32x4.pmax(peak, a);
    // A true comparison is all ones (-1), so subtracting counts it.
    clip = i32x4.sub(clip, f32x4.ge(a, level));
    bad = f32x4.add(bad, f32x4.sub(x, x));
  }
  const s = f64x2.add(s0, s1);
  const q = f64x2.add(q0, q1);
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  let sq = f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1);
  let pk = max(
    max(f32x4.extract_lane(peak, 0), f32x4.extract_lane(peak, 1)),
    max(f32x4.extract_lane(peak, 2), f32x4.extract_lane(peak, 3)),
  );
  let cl =
    i32x4.extract_lane(clip, 0) +
    i32x4.extract_lane(clip, 1) +
    i32x4.extract_lane(clip, 2) +
    i32x4.extract_lane(clip, 3);
  const anyBad =
    f32x4.extract_lane(bad, 0) +
    f32x4.extract_lane(bad, 1) +
    f32x4.extract_lane(bad, 2) +
    f32x4.extract_lane(bad, 3);
  let first = -1;
  // Rare: find the first bad index from the start.
  if (anyBad !== 0) {
    for (let j = 0; j < i; j++) {
      const v = load<f32>(p + ((<usize>j) << 2));
      if (v - v !== 0) {
        first = j;
        break;
      }
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(p + ((<usize>i) << 2));
    sum += <f64>v;
    sq += <f64>v * <f64>v;
    const a = abs(v);
    if (a > pk) pk = a;
    if (a >= clipLevel) cl++;
    if (first < 0 && v - v !== 0) first = i;
  }
  store<f64>(out, sum);
  store<f64>(out, sq, 8);
  store<f64>(out, <f64>pk, 16);
  store<f64>(out, <f64>cl, 24);
  store<f64>(out, <f64>first, 32);
}
