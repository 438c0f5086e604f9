/**
 * Plain-JavaScript reference of the sample kernels (assembly/samples.ts): the same arithmetic
 * (f64 with one rounding, or exact integer conversions), so the two agree bit for bit.
 */
import { JsKernel } from "./js-kernel.js";
import type { SampleExports } from "./sample-kernels.js";
import { sampleSumsReference } from "./sample-stats-reference.js";

const fr = Math.fround;

/** Round half to even (what WebAssembly's `nearest` does). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export class SampleReference extends JsKernel implements SampleExports {
  scaleRound(p: number, n: number, up: number, down: number): void {
    const f = this.f32;
    for (let i = p >> 2; i < (p >> 2) + n; i++) f[i] = (roundHalfEven(f[i] * up) + 0) * down;
  }

  mixHalf(a: number, b: number, n: number): void {
    const f = this.f32;
    for (let i = 0; i < n; i++) f[(a >> 2) + i] = (f[(a >> 2) + i] + f[(b >> 2) + i]) * 0.5;
  }

  stats(p: number, n: number, out: number): void {
    sampleSumsReference(this.f32, p >> 2, n, Number.POSITIVE_INFINITY, this.f64, out >> 3);
  }

  affine(p: number, n: number, gain: number, offset: number): void {
    const f = this.f32;
    for (let i = p >> 2; i < (p >> 2) + n; i++) f[i] = f[i] * gain + offset;
  }

  s16le(src: number, frames: number, stride: number, offset: number, dst: number): void {
    const b = this.bytes;
    const f = this.f32;
    for (let i = 0; i < frames; i++) f[(dst >> 2) + i] = b.getInt16(src + i * stride + offset, true) / 32768;
  }

  s24le(src: number, frames: number, stride: number, offset: number, dst: number): void {
    const b = this.bytes;
    const f = this.f32;
    for (let i = 0; i < frames; i++) {
      const at = src + i * stride + offset;
      const v = ((b.getUint8(at + 2) << 24) | (b.getUint8(at + 1) << 16) | (b.getUint8(at) << 8)) >> 8;
      f[(dst >> 2) + i] = v / 8388608;
    }
  }

  pack24(x: number, n: number, dst: number, stride: number): void {
    const b = this.bytes;
    const f = this.f32;
    for (let i = 0; i < n; i++) {
      const v = Math.min(8388607, Math.max(-8388608, f[(x >> 2) + i] * 8388608));
      const q = Math.floor(v + 0.5) | 0;
      const at = dst + i * stride;
      b.setUint8(at, q & 255);
      b.setUint8(at + 1, (q >> 8) & 255);
      b.setUint8(at + 2, (q >> 16) & 255);
    }
  }

  f32ToS16(src: number, n: number, dst: number): void {
    const b = this.bytes;
    const f = this.f32;
    for (let i = 0; i < n; i++) {
      const v = roundHalfEven(fr(f[(src >> 2) + i] * 32768));
      b.setInt16(dst + 2 * i, Number.isNaN(v) ? 0 : Math.min(32767, Math.max(-32768, v)), true);
    }
  }

  columnStats(
    x: number,
    n: number,
    width: number,
    c0: number,
    c1: number,
    offset: number,
    out: number,
  ): void {
    const f = this.f32;
    const d = this.f64;
    for (let c = c0; c < c1; c++) {
      const start = Math.min(n - 1, Math.floor((c * n) / width));
      const end = Math.max(start + 1, Math.min(n, Math.floor(((c + 1) * n) / width)));
      const p = (x >> 2) - offset;
      // Lanes of four from `start`: min and max as f32x4.pmin / pmax, squares as two f64x2.
      const lo = [Infinity, Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity, -Infinity];
      const q = [0, 0, 0, 0];
      let i = start;
      for (; i + 4 <= end; i += 4) {
        for (let l = 0; l < 4; l++) {
          const v = f[p + i + l];
          if (v < lo[l]) lo[l] = v;
          if (hi[l] < v) hi[l] = v;
          q[l] += v * v;
        }
      }
      let mn = Math.min(Math.min(lo[0], lo[1]), Math.min(lo[2], lo[3]));
      let mx = Math.max(Math.max(hi[0], hi[1]), Math.max(hi[2], hi[3]));
      let sq = q[0] + q[2] + (q[1] + q[3]);
      for (; i < end; i++) {
        const v = f[p + i];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        sq += v * v;
      }
      const o = (out >> 3) + 3 * (c - c0);
      d[o] = mn;
      d[o + 1] = mx;
      d[o + 2] = sq;
    }
  }
}
