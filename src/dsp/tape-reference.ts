/**
 * Plain-JavaScript reference of the tape-speed kernel (assembly/tape.ts): positions in f64, the
 * two dot products lane by lane in the kernel's order with each step rounded to f32, so the two
 * agree bit for bit.
 */
import { JsKernel } from "./js-kernel.js";
import type { TapeExports } from "./tape-kernel.js";

const fr = Math.fround;

export class TapeReference extends JsKernel implements TapeExports {
  run(
    x: number,
    bank: number,
    out: number,
    count: number,
    m0: number,
    speed: number,
    taps8: number,
    base: number,
    phases: number,
  ): void {
    const f = this.f32;
    // The four f32x4 accumulators, lane by lane: [a0, a1] for row ph, [b0, b1] for row ph + 1;
    // a0 and b0 take taps 8s + l, a1 and b1 taps 8s + 4 + l.
    const acc = new Float64Array(16);
    for (let i = 0; i < count; i++) {
      const p = (m0 + i) * speed;
      const fl = Math.floor(p);
      const phase = (p - fl) * phases;
      const ph = Math.min(Math.trunc(phase), phases - 1);
      const pf = fr(phase - ph);
      const px = (x >> 2) + fl - base;
      const p0 = (bank >> 2) + ph * taps8;
      const p1 = p0 + taps8;
      acc.fill(0);
      for (let k = 0; k < taps8; k += 8) {
        for (let l = 0; l < 4; l++) {
          const v0 = f[px + k + l];
          const v1 = f[px + k + 4 + l];
          acc[l] = fr(acc[l] + fr(v0 * f[p0 + k + l]));
          acc[4 + l] = fr(acc[4 + l] + fr(v1 * f[p0 + k + 4 + l]));
          acc[8 + l] = fr(acc[8 + l] + fr(v0 * f[p1 + k + l]));
          acc[12 + l] = fr(acc[12 + l] + fr(v1 * f[p1 + k + 4 + l]));
        }
      }
      const s0 = laneSum(acc, 0);
      const s1 = laneSum(acc, 8);
      f[(out >> 2) + i] = fr(s0 + fr(pf * fr(s1 - s0)));
    }
  }
}

/** (v0 + v1) + (v2 + v3) of the lanes of the accumulators at acc[at..at+4) + acc[at+4..at+8), in f32. */
function laneSum(acc: Float64Array, at: number): number {
  const v0 = fr(acc[at] + acc[at + 4]);
  const v1 = fr(acc[at + 1] + acc[at + 5]);
  const v2 = fr(acc[at + 2] + acc[at + 6]);
  const v3 = fr(acc[at + 3] + acc[at + 7]);
  return fr(fr(v0 + v1) + fr(v2 + v3));
}
