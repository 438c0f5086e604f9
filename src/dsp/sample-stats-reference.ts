/**
 * Plain-JavaScript reference of the shared sample statistics (assembly/lib/stats.ts), used by the
 * sample and analysis kernels' references: the same f64 sums in the kernel's lane order.
 */

/**
 * Over n samples of `f` from index `p`: sum, sum of squares, peak |x|, the count of |x| >=
 * clipLevel and the first non-finite sample's index (-1 if none), as five f64 from index `out` of `d`.
 */
export function sampleSumsReference(
  f: Float32Array,
  p: number,
  n: number,
  clipLevel: number,
  d: Float64Array,
  out: number,
): void {
  // Lanes by i mod 4 over whole groups of four (the kernel's two f64x2 and one f32x4 accumulators).
  const s = [0, 0, 0, 0];
  const q = [0, 0, 0, 0];
  const pk = [0, 0, 0, 0];
  // The kernel takes the level as f32.
  const level = Math.fround(clipLevel);
  let clip = 0;
  let first = -1;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    for (let l = 0; l < 4; l++) {
      const v = f[p + i + l];
      s[l] += v;
      q[l] += v * v;
      const a = Math.abs(v);
      if (pk[l] < a) pk[l] = a;
      if (a >= level) clip++;
      if (first < 0 && !Number.isFinite(v)) first = i + l;
    }
  }
  let sum = s[0] + s[2] + (s[1] + s[3]);
  let sq = q[0] + q[2] + (q[1] + q[3]);
  let peak = Math.max(Math.max(pk[0], pk[1]), Math.max(pk[2], pk[3]));
  for (; i < n; i++) {
    const v = f[p + i];
    sum += v;
    sq += v * v;
    const a = Math.abs(v);
    if (a > peak) peak = a;
    if (a >= level) clip++;
    if (first < 0 && !Number.isFinite(v)) first = i;
  }
  d[out] = sum;
  d[out + 1] = sq;
  d[out + 2] = peak;
  d[out + 3] = clip;
  d[out + 4] = first;
}
