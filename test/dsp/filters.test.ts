import { describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import {
  bandpass,
  butterworth,
  filter,
  filterLoop,
  filtfilt,
  highpass,
  lowpass,
  sosMagnitude,
} from "../../src/dsp/filters.js";
import { db, rmsOf, SR, sine, sineGain, whiteNoise } from "./helpers.js";

/**
 * Butterworth: |H(f)|^2 = 1 / (1 + (f / fc)^(2n)) for the analog prototype. After the bilinear
 * transform with prewarping the digital filter follows the same formula with f replaced by the
 * warped tan(pi f / fs) (exact), which at these cutoffs differs from the analog value by < 0.1 dB.
 */
const analogDb = (f: number, fc: number, n: number, high = false): number => {
  const r = high ? fc / f : f / fc;
  return -10 * Math.log10(1 + r ** (2 * n));
};

describe("Butterworth low/high-pass", () => {
  for (const order of [2, 3, 4, 8]) {
    it(`low-pass order ${order}: -3.01 dB at cutoff (+-0.3 dB, measured), -${(6.02 * order).toFixed(0)} dB/oct slope`, () => {
      const fc = 1000;
      const sos = lowpass(fc, SR, order);
      const atCut = db(sineGain((x) => filter(x, sos), fc));
      expect(Math.abs(atCut - -3.0103)).toBeLessThan(0.3);
      // One octave out, |H|^2 = 1 / (1 + 2^(2n)): -12.30 dB (n=2), -18.13 (3), -24.10 (4), -48.16 (8).
      const expected = analogDb(2 * fc, fc, order);
      const measured = db(sineGain((x) => filter(x, sos), 2 * fc));
      expect(Math.abs(measured - expected)).toBeLessThan(0.5);
      // The design itself (no measurement noise) against the exact warped formula.
      const warped =
        -10 *
        Math.log10(1 + (Math.tan((Math.PI * 2 * fc) / SR) / Math.tan((Math.PI * fc) / SR)) ** (2 * order));
      expect(Math.abs(db(sosMagnitude(sos, 2 * fc, SR)) - warped)).toBeLessThan(0.01);
    });
    it(`high-pass order ${order}: -3.01 dB at cutoff, exact slope one octave below`, () => {
      const fc = 2000;
      const sos = highpass(fc, SR, order);
      expect(Math.abs(db(sineGain((x) => filter(x, sos), fc)) - -3.0103)).toBeLessThan(0.3);
      const expected = analogDb(fc / 2, fc, order, true);
      expect(Math.abs(db(sineGain((x) => filter(x, sos), fc / 2)) - expected)).toBeLessThan(0.5);
    });
  }

  for (const [type, fc] of [
    ["lowpass", 20],
    ["highpass", 20],
    ["lowpass", 0.45 * SR],
    ["highpass", 0.45 * SR],
  ] as const) {
    it(`order 8 ${type} at ${fc} Hz is stable and -3 dB at cutoff`, () => {
      const sos = butterworth({ type, order: 8, cutoffHz: fc, sampleRate: SR });
      const x = new Float32Array(SR * 3);
      x[0] = 1;
      const h = filter(x, sos);
      expect(h.every(Number.isFinite)).toBe(true);
      // The impulse response has died away after 2 s (energy in the last second < -120 dB of total).
      const tail = rmsOf(h, 2 * SR) ** 2 * SR;
      const total = rmsOf(h) ** 2 * h.length;
      expect(10 * Math.log10(tail / total + 1e-30)).toBeLessThan(-120);
      expect(Math.abs(db(sosMagnitude(sos, fc, SR)) - -3.0103)).toBeLessThan(0.01);
      expect(Math.abs(db(sineGain((y) => filter(y, sos), fc)) - -3.0103)).toBeLessThan(0.3);
    });
  }
});

describe("Butterworth band-pass", () => {
  it("order 4: -3 dB at both edges, 0 dB at the geometric centre", () => {
    const sos = bandpass(5000, 14000, SR, 4);
    expect(Math.abs(db(sineGain((x) => filter(x, sos), 5000)) - -3.0103)).toBeLessThan(0.3);
    expect(Math.abs(db(sineGain((x) => filter(x, sos), 14000)) - -3.0103)).toBeLessThan(0.3);
    expect(Math.abs(db(sineGain((x) => filter(x, sos), Math.sqrt(5000 * 14000))))).toBeLessThan(0.1);
    // Far outside the band: 500 Hz is more than 3 octaves below the low edge.
    expect(db(sineGain((x) => filter(x, sos), 500))).toBeLessThan(-70);
  });
  it("a narrow band (100-150 Hz) is still -3 dB at the edges", () => {
    const sos = bandpass(100, 150, SR, 2);
    expect(Math.abs(db(sosMagnitude(sos, 100, SR)) - -3.0103)).toBeLessThan(0.01);
    expect(Math.abs(db(sosMagnitude(sos, 150, SR)) - -3.0103)).toBeLessThan(0.01);
  });
});

describe("filtfilt", () => {
  it("is zero-phase: a filtered sine is not delayed, and its gain is |H|^2", () => {
    const sos = lowpass(1000, SR, 4);
    const x = sine(700, 1, 0.5);
    const y = filtfilt(x, sos);
    const g = sosMagnitude(sos, 700, SR) ** 2;
    let err = 0;
    for (let i = 2000; i < x.length - 2000; i++) err = Math.max(err, Math.abs(y[i] - g * x[i]));
    expect(err).toBeLessThan(1e-4);
  });
  it("has no edge transient on a constant (the padding and steady-state start work)", () => {
    const x = new Float32Array(5000).fill(0.5);
    const y = filtfilt(x, lowpass(200, SR, 4));
    expect(Math.max(...y.map((v) => Math.abs(v - 0.5)))).toBeLessThan(1e-5);
  });
});

describe("filterLoop", () => {
  it("filters a loop as a circular signal: equals the steady state of the repeated loop", () => {
    const loop = whiteNoise(4410, 7);
    const sos = highpass(300, SR, 4);
    const y = filterLoop(loop, sos);
    // Independent check: filter the loop repeated 20 times and take the last repetition.
    const rep = new Float32Array(loop.length * 20);
    for (let k = 0; k < 20; k++) rep.set(loop, k * loop.length);
    const ref = filter(rep, sos).subarray(19 * loop.length);
    let err = 0;
    for (let i = 0; i < loop.length; i++) err = Math.max(err, Math.abs(y[i] - ref[i]));
    expect(err).toBeLessThan(1e-5);
  });
  it("zero-phase variant keeps a periodic sine in phase", () => {
    const n = 4410;
    const loop = new Float32Array(n);
    for (let i = 0; i < n; i++) loop[i] = Math.sin((2 * Math.PI * 10 * i) / n); // 100 Hz, 10 cycles
    const sos = lowpass(2000, SR, 4);
    const y = filterLoop(loop, sos, { zeroPhase: true });
    const g = sosMagnitude(sos, 100, SR) ** 2;
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(y[i] - g * loop[i]));
    expect(err).toBeLessThan(1e-4);
  });
});

describe("filter parameters", () => {
  it("rejects cutoffs at or above Nyquist, NaN, zero and bad orders with the bad value", () => {
    expect(() => lowpass(22050, SR)).toThrow(ParameterError);
    expect(() => lowpass(30000, SR)).toThrow(/30000/);
    expect(() => highpass(Number.NaN, SR)).toThrow(/NaN/);
    expect(() => lowpass(0, SR)).toThrow(ParameterError);
    expect(() => lowpass(1000, SR, 0)).toThrow(/order/);
    expect(() => lowpass(1000, SR, 2.5)).toThrow(/2.5/);
    expect(() => bandpass(5000, 4000, SR)).toThrow(/5000/);
    expect(() => filter(new Float32Array(0), lowpass(1000, SR))).toThrow(/empty/);
    expect(() => filter(Float32Array.of(0, Number.NaN), lowpass(1000, SR))).toThrow(/NaN/);
  });
  it("silence in, silence out", () => {
    const y = filtfilt(new Float32Array(1000), bandpass(100, 1000, SR));
    expect(y.every((v) => v === 0)).toBe(true);
    const z = filterLoop(new Float32Array(10), highpass(100, SR));
    expect(z.every((v) => v === 0)).toBe(true);
  });
});
