/**
 * Plain-JavaScript reference of the analysis kernels (assembly/analysis.ts): the same sums in the
 * kernel's lane order, each f32 step rounded as the kernel's lanes are. Bit-identical to the kernel
 * except where it takes a logarithm or exponential (flatness, onset strength, spectrogram dB):
 * Math.log / exp / log10 here and AssemblyScript's own there may differ in the last bit.
 */
import { powerOrderedReference } from "../dsp/frame-reference.js";
import { JsKernel } from "../dsp/js-kernel.js";
import { sampleSumsReference } from "../dsp/sample-stats-reference.js";
import type { AnalysisExports } from "./kernel.js";

const fr = Math.fround;
const GROUP = 32;
const PC_RES = 16;
const DB_PER_NEPER_POWER = 10 / Math.LN10;

/** Sum of four f32 lanes in f64, left to right (the kernel's `sumLanes`). */
const sumLanes = (v: Float64Array): number => v[0] + v[1] + v[2] + v[3];

export class AnalysisReference extends JsKernel implements AnalysisExports {
  private half = 0;
  private nMel = 0;
  private melStart = 0;
  private melW0 = 0;
  private melW1 = 0;
  private pcTable = 0;
  private chromaK0 = 0;
  private chromaK1 = 0;
  private mag = 0;
  private mel = 0;
  private prevLevel = 0;
  private chromaAcc = 0;
  private flatFloor = 0;
  private magScale = 0;
  private powScale = 0;
  private floorPow = 0;
  private binHz = 0;
  private first = true;
  // f32 lanes of the kernel's accumulators, the lanes' bin numbers and the f64 products.
  private readonly lanes = Array.from({ length: 7 }, () => new Float64Array(4));

  blockStats(p: number, n: number, clipLevel: number, out: number): void {
    sampleSumsReference(this.f32, p >> 2, n, clipLevel, this.f64, out >> 3);
  }

  windowMul(src: number, win: number, dst: number, n: number): void {
    const f = this.f32;
    for (let i = 0; i < n; i++) f[(dst >> 2) + i] = f[(src >> 2) + i] * f[(win >> 2) + i];
  }

  /** sum of i * p[i] in f64: lanes i = 0, 1 mod 4 in one pair, 2, 3 in the other, then the tail. */
  blockMoment(p: number, n: number): number {
    const f = this.f32;
    const base = p >> 2;
    let m00 = 0;
    let m01 = 0;
    let m10 = 0;
    let m11 = 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      m00 += i * f[base + i];
      m01 += (i + 1) * f[base + i + 1];
      m10 += (i + 2) * f[base + i + 2];
      m11 += (i + 3) * f[base + i + 3];
    }
    let s = m00 + m10 + (m01 + m11);
    for (; i < n; i++) s += i * f[base + i];
    return s;
  }

  windowMulLine(src: number, win: number, dst: number, n: number, a: number, b: number): void {
    const f = this.f32;
    const af = fr(a);
    const bf = fr(b);
    for (let i = 0; i < n; i++) {
      const line = fr(af + fr(bf * i));
      f[(dst >> 2) + i] = fr(fr(f[(src >> 2) + i] - line) * f[(win >> 2) + i]);
    }
  }

  bandPowers(pow: number, bins: number, edges: number, groups: number, out: number): void {
    const o = out >> 3;
    this.f64[o] = this.rangeSum(pow >> 2, 1, bins);
    for (let g = 0; g < groups; g++) {
      const lo = this.i32[(edges >> 2) + g];
      const hi = this.i32[(edges >> 2) + g + 1];
      this.f64[o + g + 1] = this.rangeSum(pow >> 2, lo, hi);
    }
  }

  /** Sum of f32 values [lo, hi) in four f32 lanes, the lanes summed in f64, then the tail in f64. */
  private rangeSum(p: number, lo: number, hi: number): number {
    const f = this.f32;
    const acc = this.lanes[0];
    acc.fill(0);
    let k = lo;
    for (; k + 4 <= hi; k += 4) for (let j = 0; j < 4; j++) acc[j] = fr(acc[j] + f[p + k + j]);
    let s = sumLanes(acc);
    for (; k < hi; k++) s += f[p + k];
    return s;
  }

  powerOrdered(spec: number, pow: number, n: number): void {
    powerOrderedReference(this.f32, spec >> 2, pow >> 2, n);
  }

  setup(
    half: number,
    melBands: number,
    melStart: number,
    melW0: number,
    melW1: number,
    pcTable: number,
    chromaK0: number,
    chromaK1: number,
    mag: number,
    mel: number,
    prevLevel: number,
    chroma: number,
    flatFloorRaw: number,
    magScale: number,
    floorPow: number,
    binHz: number,
  ): void {
    this.half = half;
    this.nMel = melBands;
    this.melStart = melStart >> 2;
    this.melW0 = melW0 >> 2;
    this.melW1 = melW1 >> 2;
    this.pcTable = pcTable;
    this.chromaK0 = chromaK0;
    this.chromaK1 = chromaK1;
    this.mag = mag >> 2;
    this.mel = mel >> 3;
    this.prevLevel = prevLevel >> 3;
    this.chromaAcc = chroma >> 3;
    this.flatFloor = fr(flatFloorRaw);
    this.magScale = magScale;
    this.powScale = magScale * magScale;
    this.floorPow = floorPow;
    this.binHz = binHz;
    this.first = true;
  }

  spectral(pow: number, out: number): void {
    const f = this.f32;
    const d = this.f64;
    const i32 = this.i32;
    const pw = pow >> 2;
    const o = out >> 3;
    const { half, nMel, mag, mel } = this;
    d.fill(0, mel, mel + nMel + 2);
    d.fill(0, this.chromaAcc, this.chromaAcc + 13);
    let arith = 0;
    let num = 0;
    let den = 0;
    let logGeo = 0;
    const [a, nm, dn, kv, prod, lo4, hi4] = this.lanes;
    kv.set([1, 2, 3, 4]);
    for (let g = 0; g < half; g += GROUP) {
      a.fill(0);
      nm.fill(0);
      dn.fill(0);
      prod.fill(1);
      const len = Math.min(GROUP, half - g);
      for (let j = 0; j < len; j += 4) {
        for (let l = 0; l < 4; l++) {
          const k = g + 1 + j + l;
          const p = f[pw + k];
          a[l] = fr(a[l] + p);
          prod[l] *= Math.max(p, this.flatFloor);
          const m = fr(Math.sqrt(p));
          f[mag + k] = m;
          nm[l] = fr(nm[l] + fr(kv[l] * m));
          dn[l] = fr(dn[l] + m);
          kv[l] += 4;
        }
      }
      arith += sumLanes(a);
      num += sumLanes(nm);
      den += sumLanes(dn);
      logGeo += Math.log(prod[0] * prod[2] * (prod[1] * prod[3]));
    }
    // Mel bands: bins between mel points q and q+1 feed slots q and q+1.
    for (let q = 0; q <= nMel; q++) {
      const end = i32[this.melStart + q + 1];
      let k = i32[this.melStart + q];
      lo4.fill(0);
      hi4.fill(0);
      for (; k + 4 <= end; k += 4) {
        for (let l = 0; l < 4; l++) {
          const p = f[pw + k + l];
          lo4[l] = fr(lo4[l] + fr(p * f[this.melW0 + k + l]));
          hi4[l] = fr(hi4[l] + fr(p * f[this.melW1 + k + l]));
        }
      }
      let lo = sumLanes(lo4);
      let hi = sumLanes(hi4);
      for (; k < end; k++) {
        lo += f[pw + k] * f[this.melW0 + k];
        hi += f[pw + k] * f[this.melW1 + k];
      }
      d[mel + q] += lo;
      d[mel + q + 1] += hi;
    }
    const arithMean = arith / half;
    d[o] = arithMean > this.flatFloor ? Math.min(1, Math.exp(logGeo / half) / arithMean) : 1;
    d[o + 1] = den > 0 ? (num / den) * this.binHz : 0;
    // Chroma from spectral peaks at their interpolated frequency, weighted by magnitude.
    const bytes = this.bytes;
    for (let k = this.chromaK0; k <= this.chromaK1; k++) {
      const m = f[mag + k];
      const ml = f[mag + k - 1];
      const mr = f[mag + k + 1];
      if (m > ml && m >= mr) {
        const d2 = ml - 2 * m + mr;
        const delta = d2 < 0 ? (0.5 * (ml - mr)) / d2 : 0;
        const pc = bytes.getInt8(this.pcTable + Math.trunc(Math.round((k + delta) * PC_RES)));
        d[this.chromaAcc + pc] += m;
      }
    }
    for (let pc = 0; pc < 12; pc++) d[o + 3 + pc] = d[this.chromaAcc + pc] * this.magScale;
    // Onset strength: mean rectified rise of the band levels (dB) since the previous frame.
    let flux = 0;
    for (let s = 1; s <= nMel; s++) {
      const e = d[mel + s] * this.powScale;
      const level = DB_PER_NEPER_POWER * Math.log(Math.max(e, this.floorPow));
      const dl = level - d[this.prevLevel + s];
      if (dl > 0) flux += dl;
      d[this.prevLevel + s] = level;
    }
    d[o + 2] = this.first ? 0 : flux / nMel;
    this.first = false;
  }

  centroidSums(pow: number, bins: number, out: number): void {
    const f = this.f32;
    const d = this.f64;
    const pw = pow >> 2;
    let num = 0;
    let den = 0;
    const [nm, dn, kv] = this.lanes;
    kv.set([1, 2, 3, 4]);
    let k = 1;
    for (; k + 16 <= bins; k += 16) {
      nm.fill(0);
      dn.fill(0);
      for (let j = 0; j < 16; j += 4) {
        for (let l = 0; l < 4; l++) {
          const p = f[pw + k + j + l];
          nm[l] = fr(nm[l] + fr(kv[l] * p));
          dn[l] = fr(dn[l] + p);
          kv[l] += 4;
        }
      }
      num += sumLanes(nm);
      den += sumLanes(dn);
    }
    for (; k < bins; k++) {
      num += k * f[pw + k];
      den += f[pw + k];
    }
    d[out >> 3] += num;
    d[(out >> 3) + 1] += den;
  }

  spectrogramColumn(
    pow: number,
    rowLo: number,
    rowHi: number,
    rowPos: number,
    height: number,
    bins: number,
    refPower: number,
    out: number,
    stride: number,
  ): number {
    const f = this.f32;
    const i32 = this.i32;
    let maxDb = Number.NEGATIVE_INFINITY;
    for (let y = 0; y < height; y++) {
      const lo = i32[(rowLo >> 2) + y];
      const hi = i32[(rowHi >> 2) + y];
      let p = 0;
      if (hi >= lo) {
        for (let k = lo; k <= hi; k++) if (f[(pow >> 2) + k] > p) p = f[(pow >> 2) + k];
      } else {
        const pos = f[(rowPos >> 2) + y];
        const k0 = Math.floor(pos);
        const k1 = Math.min(bins - 1, k0 + 1);
        const t = pos - k0;
        p = f[(pow >> 2) + k0] * (1 - t) + f[(pow >> 2) + k1] * t;
      }
      const db = 10 * Math.log10(p / refPower + 1e-30);
      f[(out >> 2) + y * stride] = db;
      if (db > maxDb) maxDb = db;
    }
    return maxDb;
  }
}
