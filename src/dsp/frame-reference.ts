/**
 * Plain-JavaScript references of the frame helpers the STFT kernels share (assembly/lib/frame.ts),
 * over f32 memory indexed in floats; f32 products and sums rounded as the kernels' lanes are.
 */

const fr = Math.fround;

/** f[dst + i] = f[x + centre - n/2 + i] * f[win + i] for i < n, zeros outside x (xLen samples). */
export function windowedFrameReference(
  f: Float32Array,
  x: number,
  xLen: number,
  centre: number,
  win: number,
  dst: number,
  n: number,
): void {
  const start = centre - (n >> 1);
  for (let i = 0; i < n; i++) {
    const j = start + i;
    f[dst + i] = j >= 0 && j < xLen ? f[x + j] * f[win + i] : 0;
  }
}

/** f[out + start + i] += f[frame + i] * f[win + i] for the i that land inside [0, outLen). */
export function overlapAddReference(
  f: Float32Array,
  out: number,
  outLen: number,
  frame: number,
  win: number,
  n: number,
  start: number,
): void {
  const i1 = Math.min(n, outLen - start);
  for (let i = Math.max(0, -start); i < i1; i++) f[out + start + i] += fr(f[frame + i] * f[win + i]);
}

/** Squared magnitudes (n/2 + 1 bins) of an n-point spectrum in PFFFT's ordered real layout. */
export function powerOrderedReference(f: Float32Array, spec: number, pow: number, n: number): void {
  const half = n >> 1;
  const r0 = f[spec];
  const rn = f[spec + 1];
  for (let k = 1; k < half; k++) {
    const re = f[spec + 2 * k];
    const im = f[spec + 2 * k + 1];
    f[pow + k] = fr(re * re) + fr(im * im);
  }
  f[pow] = r0 * r0;
  f[pow + half] = rn * rn;
}
