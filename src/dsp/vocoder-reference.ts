/**
 * Plain-JavaScript reference of the phase vocoder's kernels (assembly/vocoder.ts): the same
 * polynomial atan2 and sine/cosine and the same f64 steps per bin, so the two agree bit for bit.
 */
import { overlapAddReference, powerOrderedReference, windowedFrameReference } from "./frame-reference.js";
import { JsKernel } from "./js-kernel.js";
import type { VocoderExports } from "./vocoder-kernel.js";

const HALF_PI = Math.PI / 2;
const QUARTER_PI = Math.PI / 4;
const TWO_PI = 2 * Math.PI;
const TAN_PI_8 = Math.SQRT2 - 1;

const ATAN = [1 / 21, -1 / 19, 1 / 17, -1 / 15, 1 / 13, -1 / 11, 1 / 9, -1 / 7, 1 / 5, -1 / 3];

/** atan(z) for |z| <= tan(pi/8): the Taylor series to z^21. */
function atanSmall(z: number): number {
  const z2 = z * z;
  let p = ATAN[0];
  for (let i = 1; i < ATAN.length; i++) p = ATAN[i] + z2 * p;
  return z * (1 + z2 * p);
}

const atanUnit = (z: number): number =>
  z <= TAN_PI_8 ? atanSmall(z) : QUARTER_PI + atanSmall((z - 1) / (z + 1));

/** atan2(y, x) in (-pi, pi] as the kernel computes it (within 1e-8 rad of Math.atan2). */
export function atan2Reference(y: number, x: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax === 0 && ay === 0) return 0;
  let a = ay <= ax ? atanUnit(ay / ax) : HALF_PI - atanUnit(ax / ay);
  if (x < 0) a = Math.PI - a;
  return y < 0 ? -a : a;
}

const SIN = [-1 / 39916800, 1 / 362880, -1 / 5040, 1 / 120, -1 / 6];
const COS = [1 / 479001600, -1 / 3628800, 1 / 40320, -1 / 720, 1 / 24, -1 / 2];

/** sin t and cos t as the kernel computes them (within 1e-9 for |t| <= 100), into `out`. */
function sinCos(t: number, out: { sinOut: number; cosOut: number }): void {
  const q = Math.floor(t / HALF_PI + 0.5);
  const r = t - q * HALF_PI;
  const r2 = r * r;
  let ps = SIN[0];
  for (let i = 1; i < SIN.length; i++) ps = SIN[i] + r2 * ps;
  const s = r * (1 + r2 * ps);
  let pc = COS[0];
  for (let i = 1; i < COS.length; i++) pc = COS[i] + r2 * pc;
  const c = 1 + r2 * pc;
  const quadrant = q & 3;
  out.sinOut = quadrant === 0 ? s : quadrant === 1 ? c : quadrant === 2 ? -s : -c;
  out.cosOut = quadrant === 0 ? c : quadrant === 1 ? -s : quadrant === 2 ? -c : s;
}

const princarg = (a: number): number => a - TWO_PI * Math.floor(a / TWO_PI + 0.5);

export class VocoderReference extends JsKernel implements VocoderExports {
  sinOut = 0;
  cosOut = 1;
  private n = 0;
  private win = 0;
  private buf = 0;
  private mag2 = 0;
  private peaks = 0;

  atan2(y: number, x: number): number {
    return atan2Reference(y, x);
  }

  sincos(t: number): void {
    sinCos(t, this);
  }

  sinResult(): number {
    return this.sinOut;
  }

  cosResult(): number {
    return this.cosOut;
  }

  setup(fftSize: number, win: number, buf: number, mag2: number, peaks: number): void {
    this.n = fftSize;
    this.win = win >> 2;
    this.buf = buf >> 2;
    this.mag2 = mag2 >> 2;
    this.peaks = peaks >> 2;
  }

  frameIn(x: number, xLen: number, centre: number): void {
    windowedFrameReference(this.f32, x >> 2, xLen, centre, this.win, this.buf, this.n);
  }

  olaAdd(out: number, outLen: number, start: number): void {
    overlapAddReference(this.f32, out >> 2, outLen, this.buf, this.win, this.n, start);
  }

  /** Peak bins (louder than two neighbours on each side) into `peaks`; returns how many. */
  private findPeaks(spec: number, locking: boolean): number {
    const bins = (this.n >> 1) + 1;
    const pk = this.i32;
    if (!locking) {
      for (let k = 0; k < bins; k++) pk[this.peaks + k] = k;
      return bins;
    }
    const f = this.f32;
    powerOrderedReference(f, spec >> 2, this.mag2, this.n);
    const m = this.mag2;
    let count = 0;
    for (let k = 2; k < bins - 2; k++) {
      const v = f[m + k];
      if (v > f[m + k - 1] && v > f[m + k + 1] && v >= f[m + k - 2] && v >= f[m + k + 2]) {
        pk[this.peaks + count++] = k;
      }
    }
    if (count === 0) pk[this.peaks + count++] = 1;
    return count;
  }

  synthFrame(
    spec: number,
    prevSpec: number,
    theta: number,
    prevTheta: number,
    synth: number,
    reset: number,
    locking: number,
    ha: number,
    hs: number,
  ): void {
    const f = this.f32;
    const pk = this.i32;
    const half = this.n >> 1;
    const bins = half + 1;
    const sp = spec >> 2;
    const pp = prevSpec >> 2;
    const th = theta >> 2;
    const pt = prevTheta >> 2;
    const sy = synth >> 2;
    // Region starts per peak (then `bins` after the last): every bin of a region turns by its
    // peak's angle theta.
    let count: number;
    if (reset) {
      f.fill(0, th, th + bins);
      pk[this.peaks] = 0;
      count = 1;
    } else {
      count = this.findPeaks(spec, locking !== 0);
      const ratio = hs / Math.max(1, ha);
      const omegaStep = (TWO_PI * ha) / this.n;
      let regionStart = 0;
      for (let p = 0; p < count; p++) {
        const k = pk[this.peaks + p];
        const re = f[sp + 2 * k];
        const im = f[sp + 2 * k + 1];
        const pr = f[pp + 2 * k];
        const pi = f[pp + 2 * k + 1];
        const omegaHa = omegaStep * k;
        const advance = omegaHa + princarg(atan2Reference(im * pr - re * pi, re * pr + im * pi) - omegaHa);
        const rot = Math.fround(princarg(f[pt + k] + advance * (ratio - 1)));
        const regionEnd = p + 1 < count ? ((k + pk[this.peaks + p + 1]) >> 1) + 1 : bins;
        f.fill(rot, th + regionStart, th + regionEnd);
        pk[this.peaks + p] = regionStart;
        regionStart = regionEnd;
      }
    }
    pk[this.peaks + count] = bins;
    for (let p = 0; p < count; p++) {
      const j0 = pk[this.peaks + p];
      const j1 = pk[this.peaks + p + 1];
      this.sincos(f[th + j0]);
      const s = this.sinOut;
      const c = this.cosOut;
      let k = j0;
      // Bins 0 and N/2 are real in this layout (slots 0 and 1): they keep only the real part.
      if (k === 0) {
        f[sy] = f[sp] * c;
        k = 1;
      }
      const end = j1 === bins ? half : j1;
      for (; k < end; k++) {
        const re = f[sp + 2 * k];
        const im = f[sp + 2 * k + 1];
        f[sy + 2 * k] = re * c - im * s;
        f[sy + 2 * k + 1] = re * s + im * c;
      }
      if (j1 === bins) f[sy + 1] = f[sp + 1] * c;
    }
  }
}
