/**
 * Plain-JavaScript reference of the HPSS kernels (assembly/hpss.ts): the same sliding sorted
 * windows for the medians and the same f64 masks, so the two agree bit for bit (for a mask power
 * other than 2, `**` may differ from the kernel's pow in the last bit).
 */
import { overlapAddReference, powerOrderedReference, windowedFrameReference } from "./frame-reference.js";
import type { HpssExports } from "./hpss-kernel.js";
import { JsKernel } from "./js-kernel.js";

/** Index i in [0, count) mirrored at both ends (…, 2, 1, 0, 1, 2, …, count-1, count-2, …). */
function reflect(i: number, count: number): number {
  if (count === 1) return 0;
  let j = i;
  while (j < 0 || j >= count) j = j < 0 ? -j : 2 * (count - 1) - j;
  return j;
}

/** A sorted window of values (a sliding median's state). */
class SortedWindow {
  private readonly w: Float32Array;
  private len = 0;
  constructor(size: number) {
    this.w = new Float32Array(size);
  }
  insert(v: number): void {
    let i = this.len++;
    while (i > 0 && !(this.w[i - 1] <= v)) {
      this.w[i] = this.w[i - 1];
      i--;
    }
    this.w[i] = v;
  }
  remove(v: number): void {
    const i = this.w.subarray(0, this.len - 1).indexOf(v);
    this.w.copyWithin(i < 0 ? this.len - 1 : i, (i < 0 ? this.len - 1 : i) + 1, this.len);
    this.len--;
  }
  at(i: number): number {
    return this.w[i];
  }
}

export class HpssReference extends JsKernel implements HpssExports {
  private n = 0;
  private win = 0;
  private buf = 0;

  setup(fftSize: number, win: number, buf: number): void {
    this.n = fftSize;
    this.win = win >> 2;
    this.buf = buf >> 2;
  }

  frameIn(x: number, xLen: number, centre: number): void {
    windowedFrameReference(this.f32, x >> 2, xLen, centre, this.win, this.buf, this.n);
  }

  olaAdd(out: number, outLen: number, start: number): void {
    overlapAddReference(this.f32, out >> 2, outLen, this.buf, this.win, this.n, start);
  }

  magnitudes(spec: number, row: number): void {
    const f = this.f32;
    powerOrderedReference(f, spec >> 2, row >> 2, this.n);
    for (let k = 0; k <= this.n >> 1; k++) f[(row >> 2) + k] = Math.sqrt(f[(row >> 2) + k]);
  }

  medianAlongTime(mag: number, frames: number, hk: number, _windows: number, _ring: number): void {
    const f = this.f32;
    const bins = (this.n >> 1) + 1;
    const hh = hk >> 1;
    const m = mag >> 2;
    const original = f.slice(m, m + frames * bins);
    for (let k = 0; k < bins; k++) {
      const w = new SortedWindow(hk);
      for (let d = -hh; d <= hh; d++) w.insert(original[reflect(d, frames) * bins + k]);
      for (let t = 0; t < frames; t++) {
        f[m + t * bins + k] = w.at(hh);
        if (t + 1 >= frames) break;
        w.remove(original[reflect(t - hh, frames) * bins + k]);
        w.insert(original[reflect(t + hh + 1, frames) * bins + k]);
      }
    }
  }

  masks(
    spec: number,
    harm: number,
    m: number,
    perc: number,
    _window: number,
    pk: number,
    p: number,
    hSpec: number,
    pSpec: number,
  ): void {
    this.magnitudes(spec, m);
    const f = this.f32;
    const half = this.n >> 1;
    const bins = half + 1;
    const mi = m >> 2;
    const ph = pk >> 1;
    const w = new SortedWindow(pk);
    for (let d = -ph; d <= ph; d++) w.insert(f[mi + reflect(d, bins)]);
    for (let k = 0; k < bins; k++) {
      f[(perc >> 2) + k] = w.at(ph);
      if (k + 1 < bins) {
        w.remove(f[mi + reflect(k - ph, bins)]);
        w.insert(f[mi + reflect(k + ph + 1, bins)]);
      }
    }
    const sp = spec >> 2;
    const hs = hSpec >> 2;
    const ps = pSpec >> 2;
    for (let k = 0; k < bins; k++) {
      const h = f[(harm >> 2) + k];
      const q = f[(perc >> 2) + k];
      const hp = p === 2 ? h * h : h ** p;
      const qp = p === 2 ? q * q : q ** p;
      const sum = hp + qp;
      const mh = sum > 1e-30 ? hp / sum : 0.5;
      // Bins 0 and N/2 are the real pair in slots 0 and 1; bin k > 0 is at 2k, 2k + 1.
      const o = k === 0 ? 0 : k === half ? 1 : 2 * k;
      for (let j = o; j < (k === 0 || k === half ? o + 1 : o + 2); j++) {
        const v = f[sp + j];
        f[hs + j] = v * mh;
        f[ps + j] = v - v * mh;
      }
    }
  }
}
