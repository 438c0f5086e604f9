// The polyphase resampler's inner loop (src/dsp/resample.ts streams the input, src/dsp/resample-kernel.ts
// holds one resampler's coefficient table in the instance's memory): for each output i,
// out[i] = sum_j x[q + j] * table[r * taps + j], then q += lq, r += lr (carrying into q at m).
// Two f32x4 accumulators over eight taps a step; the lanes are summed as (0 + 1) + (2 + 3).

export function heapBase(): usize {
  return __heap_base;
}

/**
 * `count` outputs into `out`: output 0's taps start at x[q] with phase r (row r of `table`, `taps`
 * floats, a multiple of 8, zero-padded). `x` holds the taps' whole reach.
 */
export function run(
  x: usize,
  table: usize,
  out: usize,
  count: i32,
  q: i32,
  r: i32,
  lq: i32,
  lr: i32,
  m: i32,
  taps: i32,
): void {
  const rowBytes = (<usize>taps) << 2;
  for (let i = 0; i < count; i++) {
    let px = x + ((<usize>q) << 2);
    const end = px + rowBytes;
    let pt = table + <usize>r * rowBytes;
    let a = f32x4.splat(0);
    let b = f32x4.splat(0);
    do {
      a = f32x4.add(a, f32x4.mul(v128.load(px), v128.load(pt)));
      b = f32x4.add(b, f32x4.mul(v128.load(px, 16), v128.load(pt, 16)));
      pt += 32;
      px += 32;
    } while (px < end);
    store<f32>(out + ((<usize>i) << 2), laneSum(f32x4.add(a, b)));
    q += lq;
    r += lr;
    if (r >= m) {
      r -= m;
      q++;
    }
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
