/**
 * A fixed CPU workload that does not depend on patina's code: the host's speed at the moment, so
 * the guard can tell a slower host from slower code. A 64-tap FIR over a second of noise plus a
 * sort, in plain JavaScript; best CPU time of five (about 0.1 s each).
 */
export function calibrationMs(): number {
  const n = 1 << 16;
  const x = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = seed / 2 ** 32 - 0.5;
  }
  const h = new Float32Array(64).map((_, k) => Math.sin(k + 1) / (k + 1));
  const y = new Float32Array(n);
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let run = 0; run < 5; run++) {
    const c0 = process.cpuUsage();
    for (let rep = 0; rep < 6; rep++) {
      for (let i = 64; i < n; i++) {
        let acc = 0;
        for (let k = 0; k < 64; k++) acc += h[k] * x[i - k];
        y[i] = acc;
      }
      sink += Float32Array.from(y.subarray(0, 8192)).sort()[4096];
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  if (!Number.isFinite(sink)) throw new Error("calibration went wrong");
  return best;
}
