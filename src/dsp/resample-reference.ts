/**
 * Plain-JavaScript reference of the resampler kernel (assembly/resample.ts): the same sums in the
 * same order, each step rounded to f32 as the kernel's lanes are, so the two agree bit for bit.
 */
import { JsKernel } from "./js-kernel.js";
import type { ResampleExports } from "./resample-kernel.js";

const fr = Math.fround;

export class ResampleReference extends JsKernel implements ResampleExports {
  run(
    x: number,
    table: number,
    out: number,
    count: number,
    q: number,
    r: number,
    lq: number,
    lr: number,
    m: number,
    taps: number,
  ): void {
    const f = this.f32;
    for (let i = 0; i < count; i++) {
      const px = (x >> 2) + q;
      const pt = (table >> 2) + r * taps;
      // Lanes 0-3 of the two accumulators: a takes taps 8s + 0..3, b taps 8s + 4..7.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let j = 0; j < taps; j += 8) {
        a0 = fr(a0 + fr(f[px + j] * f[pt + j]));
        a1 = fr(a1 + fr(f[px + j + 1] * f[pt + j + 1]));
        a2 = fr(a2 + fr(f[px + j + 2] * f[pt + j + 2]));
        a3 = fr(a3 + fr(f[px + j + 3] * f[pt + j + 3]));
        b0 = fr(b0 + fr(f[px + j + 4] * f[pt + j + 4]));
        b1 = fr(b1 + fr(f[px + j + 5] * f[pt + j + 5]));
        b2 = fr(b2 + fr(f[px + j + 6] * f[pt + j + 6]));
        b3 = fr(b3 + fr(f[px + j + 7] * f[pt + j + 7]));
      }
      f[(out >> 2) + i] = fr(fr(fr(a0 + b0) + fr(a1 + b1)) + fr(fr(a2 + b2) + fr(a3 + b3)));
      q += lq;
      r += lr;
      if (r >= m) {
        r -= m;
        q++;
      }
    }
  }
}
