import { describe, expect, it } from "vitest";
import { hannEdges } from "../../src/dsp/envelopes.js";
import {
  crestFactor,
  crestFactorDb,
  dcOffset,
  normalizePeak,
  normalizeTruePeak,
  peak,
  peakDb,
  removeDc,
  rms,
  rmsDb,
  truePeak,
  truePeakDb,
} from "../../src/dsp/level.js";
import { SR, sine, whiteNoise } from "./helpers.js";

describe("level measurements", () => {
  it("peak, RMS and crest factor of a sine: 1, 1/sqrt 2, 3.01 dB", () => {
    const x = sine(1000, 1, 0.5); // 1000 whole cycles
    expect(peak(x)).toBeCloseTo(0.5, 4);
    expect(rms(x)).toBeCloseTo(0.5 / Math.SQRT2, 5);
    expect(crestFactor(x)).toBeCloseTo(Math.SQRT2, 3);
    expect(crestFactorDb(x)).toBeCloseTo(3.0103, 2);
    expect(peakDb(x)).toBeCloseTo(-6.0206, 3);
    expect(rmsDb(x)).toBeCloseTo(-9.0309, 3);
  });
  it("DC offset is the mean", () => {
    const x = sine(1000, 1, 0.5).map((v) => v + 0.1);
    expect(dcOffset(x)).toBeCloseTo(0.1, 5);
  });
  it("silence is well defined: 0, -Infinity dB, crest 0 dB, no NaN after normalising", () => {
    const z = new Float32Array(100);
    expect(peak(z)).toBe(0);
    expect(peakDb(z)).toBe(Number.NEGATIVE_INFINITY);
    expect(crestFactorDb(z)).toBe(0);
    expect(normalizePeak(z, -1).every((v) => v === 0)).toBe(true);
    expect(normalizeTruePeak(z, -1).every((v) => v === 0)).toBe(true);
  });
  it("rejects empty input and NaN targets", () => {
    expect(() => peak(new Float32Array(0))).toThrow(/empty/);
    expect(() => normalizePeak(Float32Array.of(0.5), Number.NaN)).toThrow(/NaN/);
  });
});

describe("normalisation", () => {
  for (const target of [-1, -0.1, -12, -30]) {
    it(`normalizePeak to ${target} dBFS within +-0.05 dB`, () => {
      const y = normalizePeak(whiteNoise(10000, 3, 0.3), target);
      expect(Math.abs(peakDb(y) - target)).toBeLessThan(0.05);
    });
  }
  it("true peak sees the inter-sample peak of a quarter-rate sine sampled at +-45 degrees (+3.01 dB over sample peak)", () => {
    // sin(pi/2 n + pi/4): samples +-0.7071, the waveform between them reaches 1.
    // 10 ms Hann edges: an abrupt start would really overshoot (Gibbs), which is not what we test.
    const x = hannEdges(sine(SR / 4, 0.2, 1, SR, Math.PI / 4), 441);
    expect(peakDb(x)).toBeCloseTo(-3.0103, 3);
    expect(Math.abs(truePeakDb(x))).toBeLessThan(0.05);
    // Up to 18 kHz the interpolator stays within 0.05 dB too.
    expect(Math.abs(truePeakDb(hannEdges(sine(18000, 0.2, 1, SR, Math.PI / 4), 441)))).toBeLessThan(0.05);
  });
  it("true peak of ordinary material is within 0.05 dB of the analytic peak", () => {
    // 997 Hz, phase chosen so no sample lands on a crest: analytic peak 0.8 exactly.
    const x = sine(997, 0.5, 0.8, SR, 0.3);
    expect(Math.abs(20 * Math.log10(truePeak(x) / 0.8))).toBeLessThan(0.05);
    expect(truePeak(x)).toBeGreaterThanOrEqual(peak(x));
  });
  it("normalizeTruePeak to -1 dBTP within +-0.05 dB", () => {
    const y = normalizeTruePeak(hannEdges(sine(SR / 4, 0.2, 0.3, SR, Math.PI / 4), 441), -1);
    expect(peakDb(y)).toBeCloseTo(-4.0103, 2);
    expect(Math.abs(truePeakDb(y) - -1)).toBeLessThan(0.05);
  });
});

describe("removeDc", () => {
  it("mean removal leaves zero mean and the signal otherwise unchanged", () => {
    const s = sine(1000, 1, 0.5);
    const y = removeDc(s.map((v) => v + 0.2));
    expect(Math.abs(dcOffset(y))).toBeLessThan(1e-6);
    let err = 0;
    for (let i = 0; i < s.length; i++) err = Math.max(err, Math.abs(y[i] - s[i]));
    expect(err).toBeLessThan(1e-5);
  });
  it("high-pass removal removes a drifting offset and keeps a 1 kHz tone", () => {
    const s = sine(1000, 2, 0.5);
    const x = s.map((v, i) => v + 0.2 * Math.sin((2 * Math.PI * 0.25 * i) / SR));
    const y = removeDc(x, { method: "highpass", sampleRate: SR, cutoffHz: 10 });
    let err = 0;
    for (let i = SR / 2; i < s.length - SR / 2; i++) err = Math.max(err, Math.abs(y[i] - s[i]));
    expect(err).toBeLessThan(0.005); // the 0.2-amplitude 0.25 Hz drift is attenuated > 30 dB
  });
});
