import { describe, expect, it } from "vitest";
import { crossSpectrumInto, RealFft, realFft } from "../../src/dsp/fft.js";
import { Rng } from "../../src/dsp/rng.js";

function naiveDft(x: Float32Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n + 2);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      re += x[t] * Math.cos(a);
      im += x[t] * Math.sin(a);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

describe("RealFft", () => {
  const rng = new Rng(1);
  for (const n of [64, 96, 2048]) {
    it(`matches a naive DFT (n=${n}) to 1e-4 relative`, () => {
      const x = new Float32Array(n).map(() => rng.uniform(-1, 1));
      const fast = new RealFft(n).forward(x);
      const ref = naiveDft(x);
      let maxErr = 0;
      for (let i = 0; i < n + 2; i++) maxErr = Math.max(maxErr, Math.abs(fast[i] - ref[i]));
      expect(maxErr / Math.sqrt(n)).toBeLessThan(1e-4);
    });
  }
  it("inverts exactly enough (error < -120 dB)", () => {
    const n = 1024;
    const f = new RealFft(n);
    const x = new Float32Array(n).map(() => rng.uniform(-1, 1));
    const y = f.inverse(f.forward(x));
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(x[i] - y[i]));
    expect(20 * Math.log10(err)).toBeLessThan(-120);
  });
  it("power equals |forward|^2", () => {
    const f = new RealFft(256);
    const x = new Float32Array(256).map(() => rng.uniform(-1, 1));
    const s = f.forward(x);
    const p = f.power(x);
    for (let k = 0; k <= 128; k++) expect(p[k]).toBeCloseTo(s[2 * k] ** 2 + s[2 * k + 1] ** 2, 2);
  });
  it("rejects sizes PFFFT cannot do", () => {
    expect(() => new RealFft(100)).toThrow(/multiple of 32/);
  });
});

describe("Rng", () => {
  it("is bit-identical for one seed and differs between seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });
  it("is uniform enough: mean 0.5 +- 0.01 over 1e5 draws", () => {
    const r = new Rng(7);
    let s = 0;
    for (let i = 0; i < 100000; i++) s += r.next();
    expect(Math.abs(s / 100000 - 0.5)).toBeLessThan(0.01);
  });
});

describe("cross spectrum", () => {
  it("inverts to the circular cross-correlation sum_i a[i] b[i + lag] (peak at the shift, value = energy)", () => {
    const n = 64;
    const fft = realFft(n);
    const a = new Float32Array(n);
    a[3] = 1;
    a[10] = -0.5;
    const b = new Float32Array(n);
    for (let i = 0; i < n; i++) b[(i + 7) % n] = a[i];
    const corr = fft.inverse(crossSpectrumInto(fft.forward(a), fft.forward(b)));
    for (let lag = 0; lag < n; lag++) {
      let want = 0;
      for (let i = 0; i < n; i++) want += a[i] * b[(i + lag) % n];
      expect(corr[lag]).toBeCloseTo(want, 5);
    }
    expect(corr[7]).toBeCloseTo(1.25, 5);
    expect(() => crossSpectrumInto(new Float32Array(4), new Float32Array(6))).toThrow(/differ/);
  });
});
