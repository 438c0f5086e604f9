import { describe, expect, it } from "vitest";
import { FINGERPRINT_DIMS, timbreFingerprint } from "../../src/analysis/fingerprint.js";
import type { PlanarAudio } from "../../src/core/audio.js";
import { harmonicTone, SR, whiteNoise } from "./signals.js";

const mono = (x: Float32Array): PlanarAudio => ({ sampleRate: SR, channels: [x] });
const dim = (v: readonly number[], name: string): number => v[FINGERPRINT_DIMS.indexOf(name)];
const melMeans = (v: readonly number[]): number[] => v.slice(0, 20);
const melStds = (v: readonly number[]): number[] => v.slice(20, 40);
const chroma = (v: readonly number[]): number[] => v.slice(42, 54);

describe("timbreFingerprint", () => {
  it("has 54 named dimensions, all finite", () => {
    expect(FINGERPRINT_DIMS).toHaveLength(54);
    expect(new Set(FINGERPRINT_DIMS).size).toBe(54);
    const v = timbreFingerprint(mono(whiteNoise(SR, 0.3)));
    expect(v).toHaveLength(54);
    expect(v.every(Number.isFinite)).toBe(true);
  });

  it("tells a tone (flatness below -30 dB) from white noise (within 3 dB of 0 dB)", () => {
    const tone = timbreFingerprint(mono(harmonicTone(440, 2, [0.5])));
    const noise = timbreFingerprint(mono(whiteNoise(2 * SR, 0.3)));
    expect(dim(tone, "flatness_db")).toBeLessThan(-30);
    expect(dim(noise, "flatness_db")).toBeGreaterThan(-3);
  });

  it("puts a 1 kHz sine's centroid at 0 octaves re 1 kHz (±0.03 oct) and an A440 in chroma_A (> 0.9)", () => {
    const k1 = timbreFingerprint(mono(harmonicTone(1000, 2, [0.5])));
    expect(Math.abs(dim(k1, "centroid_oct"))).toBeLessThan(0.03);
    const a = chroma(timbreFingerprint(mono(harmonicTone(440, 2, [0.5]))));
    expect(a[9]).toBeGreaterThan(0.9);
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 6);
  });

  it("shifts every mel mean by the gain (-20 dB ±0.05 dB), keeps flatness (±0.1 dB), spreads and chroma (±0.01)", () => {
    // A faint noise floor, as any recording has (a bare synthetic tone's flatness would depend
    // on the analysis floor instead).
    const x = harmonicTone(220, 2, [0.5, 0.3, 0.2, 0.1]);
    const floor = whiteNoise(x.length, 0.003);
    for (let i = 0; i < x.length; i++) x[i] += floor[i];
    const quiet = x.map((s) => s * 0.1);
    const a = timbreFingerprint(mono(x));
    const b = timbreFingerprint(mono(quiet));
    melMeans(a).forEach((m, i) => {
      // Bands at the floor stay at the floor; the others move by the gain.
      if (m > -70) expect(melMeans(b)[i] - m).toBeCloseTo(-20, 1);
    });
    for (let i = 20; i < 54; i++) {
      // Flatness moves a little: the quietest bins meet the analysis floor and float rounding.
      const tolerance = FINGERPRINT_DIMS[i] === "flatness_db" ? 0.1 : 0.01;
      expect(Math.abs(b[i] - a[i])).toBeLessThan(tolerance);
    }
  });

  it("measures movement: a steady tone's band spread stays under 0.1 dB, a 10 dB tremolo's over 2 dB", () => {
    const steady = harmonicTone(440, 3, [0.5]);
    const moving = steady.map((s, i) => s * 10 ** ((-5 + 5 * Math.sin((2 * Math.PI * 2 * i) / SR)) / 20));
    const peakBand = (v: readonly number[]): number => melMeans(v).indexOf(Math.max(...melMeans(v)));
    const a = timbreFingerprint(mono(steady));
    const b = timbreFingerprint(mono(moving));
    expect(melStds(a)[peakBand(a)]).toBeLessThan(0.1);
    expect(melStds(b)[peakBand(b)]).toBeGreaterThan(2);
  });

  it("gives a stereo file with equal channels the mono file's vector, and the same vector twice", () => {
    const x = harmonicTone(330, 1.5, [0.4, 0.2]);
    const m = timbreFingerprint(mono(x));
    const s = timbreFingerprint({ sampleRate: SR, channels: [x, x] });
    expect(s).toEqual(m);
    expect(timbreFingerprint(mono(x))).toEqual(m);
  });

  it("handles a texture shorter than one frame and silence (floor levels, flat chroma)", () => {
    const short = timbreFingerprint(mono(harmonicTone(440, 0.01, [0.5])));
    expect(short.every(Number.isFinite)).toBe(true);
    const silent = timbreFingerprint(mono(new Float32Array(SR)));
    expect(melMeans(silent).every((m) => m === -100)).toBe(true);
    expect(chroma(silent).every((c) => Math.abs(c - 1 / 12) < 1e-12)).toBe(true);
    expect(() => timbreFingerprint({ sampleRate: SR, channels: [new Float32Array(0)] })).toThrow(/empty/);
  });
});
