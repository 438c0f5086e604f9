// The tape-speed resampler's interior (src/dsp/tape.ts keeps the edges, src/dsp/tape-kernel.ts
// holds the phase bank in the instance's memory): for each output m, two dot products of the input
// around m * speed with two adjacent rows of the polyphase bank, interpolated by the fractional
// phase. Positions are computed in f64 as the JavaScript edge loop does, so both pick the same taps
// and rows; the dot products run in two f32x4 accumulators per row, eight taps a step.

export function heapBase(): usize {
  return __heap_base;
}

/**
 * Outputs [m0, m0 + count) into out[0 .. count): output m reads x[floor(m * speed) - base + k]
 * for k < taps8 (`x` holds the copied input from signal index `base - reach + 1`, so `base` is
 * that index plus reach - 1), with bank rows ph and ph + 1 (`taps8` floats each, zero-padded).
 */
export function run(
  x: usize,
  bank: usize,
  out: usize,
  count: i32,
  m0: i32,
  speed: f64,
  taps8: i32,
  base: i32,
  phases: i32,
): void {
  const rowBytes = (<usize>taps8) << 2;
  const lastPhase = phases - 1;
  for (let i = 0; i < count; i++) {
    const p = <f64>(m0 + i) * speed;
    const fl = floor<f64>(p);
    const phase = (p - fl) * <f64>phases;
    const ph = min<i32>(<i32>phase, lastPhase);
    const pf = <f32>(phase - <f64>ph);
    let px = x + ((<usize>(<i32>fl - base)) << 2);
    const end = px + rowBytes;
    let pt0 = bank + <usize>ph * rowBytes;
    let pt1 = pt0 + rowBytes;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    do {
      const v0 = v128.load(px);
      const v1 = v128.load(px, 16);
      a0 = f32x4.add(a0, f32x4.mul(v0, v128.load(pt0)));
      a1 = f32x4.add(a1, f32x4.mul(v1, v128.load(pt0, 16)));
      b0 = f32x4.add(b0, f32x4.mul(v0, v128.load(pt1)));
      b1 = f32x4.add(b1, f32x4.mul(v1, v128.load(pt1, 16)));
      pt0 += 32;
      pt1 += 32;
      px += 32;
    } while (px < end);
    const s0 = laneSum(f32x4.add(a0, a1));
    const s1 = laneSum(f32x4.add(b0, b1));
    store<f32>(out + ((<usize>i) << 2), s0 + pf * (s1 - s0));
  }
}

/** (v0 + v1) + (v2 + v3) in f32. */
function laneSum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}
