import { describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import {
  applyFades,
  fadeIn,
  fadeOut,
  hannEdges,
  snapRateToLength,
  tremolo,
} from "../../src/dsp/envelopes.js";
import { SR } from "./helpers.js";

const ones = (n: number): Float32Array => new Float32Array(n).fill(1);

describe("fades", () => {
  it("linear fade in/out: 0 at the outer sample, straight line, untouched elsewhere", () => {
    const y = fadeOut(fadeIn(ones(1000), 100), 200);
    expect(y[0]).toBe(0);
    expect(y[50]).toBeCloseTo(0.5, 6);
    expect(y[100]).toBe(1);
    expect(y[799]).toBe(1);
    expect(y[999]).toBe(0);
    expect(y[899]).toBeCloseTo(100 / 200, 6);
  });
  it("equal-power fades in and out sum to constant power", () => {
    const n = 256;
    const a = fadeIn(ones(n), n, "equal-power");
    const b = fadeOut(ones(n), n, "equal-power");
    // The fade-out mirrors the fade-in; gains t and 1 - t of the curve are power-complementary.
    let mirror = 0;
    let power = 0;
    for (let i = 0; i < n; i++) mirror = Math.max(mirror, Math.abs(b[n - 1 - i] - a[i]));
    for (let i = 1; i < n; i++) power = Math.max(power, Math.abs(a[i] ** 2 + a[n - i] ** 2 - 1));
    expect(mirror).toBe(0);
    expect(power).toBeLessThan(1e-6);
    expect(a[n / 2]).toBeCloseTo(Math.SQRT1_2, 6);
  });
  it("Hann edges are raised cosines that start and end at 0", () => {
    const y = hannEdges(ones(1000), 100);
    expect(y[0]).toBe(0);
    expect(y[999]).toBe(0);
    expect(y[50]).toBeCloseTo(0.5, 6);
    expect(y[25]).toBeCloseTo(0.5 - 0.5 * Math.cos(Math.PI / 4), 6);
  });
  it("works in place and leaves the input alone otherwise", () => {
    const x = ones(10);
    fadeIn(x, 5);
    expect(x[0]).toBe(1);
    fadeIn(x, 5, "linear", x);
    expect(x[0]).toBe(0);
  });
  it("rejects fades longer than the audio, negative lengths, unknown shapes", () => {
    expect(() => fadeIn(ones(10), 20)).toThrow(/20/);
    expect(() => fadeOut(ones(10), -1)).toThrow(/-1/);
    expect(() => applyFades(ones(10), { fadeInSamples: 6, fadeOutSamples: 6 })).toThrow(ParameterError);
    expect(() => fadeIn(ones(10), 5, "cubic" as "linear")).toThrow(/cubic/);
    expect(() => fadeIn(new Float32Array(0), 0)).toThrow(/empty/);
  });
});

describe("tremolo", () => {
  it("gain swings between 1 - depth and 1 at the given rate", () => {
    const { audio, rateHz } = tremolo(ones(SR), { rateHz: 4, depth: 0.6, sampleRate: SR });
    expect(rateHz).toBe(4);
    expect(Math.max(...audio)).toBeCloseTo(1, 6);
    expect(Math.min(...audio)).toBeCloseTo(0.4, 4);
    expect(audio[Math.round(SR / 8)]).toBeCloseTo(0.4, 4); // half a cycle at 4 Hz
  });
  it("snapping fits a whole number of cycles into the loop (3 Hz in 1.5 s -> 4.5 -> 5 cycles)", () => {
    const n = Math.round(1.5 * SR);
    expect(snapRateToLength(3, n, SR)).toBeCloseTo(5 / 1.5, 9);
    expect(snapRateToLength(0.1, n, SR)).toBeCloseTo(1 / 1.5, 9); // never fewer than one cycle
  });
  it("a snapped tremolo loop continues across the loop point in value and phase", () => {
    const n = Math.round(1.5 * SR);
    const loop = ones(n);
    const { audio, rateHz } = tremolo(loop, {
      rateHz: 3,
      depth: 0.6,
      sampleRate: SR,
      snapToLength: true,
      phase: 1,
    });
    // The LFO at the sample after the loop's end must equal the loop's first gain (phase wraps to
    // exactly the start), and the step across the seam must equal the step the LFO would take.
    const lfo = (i: number): number => 1 - 0.3 + 0.3 * Math.cos((2 * Math.PI * rateHz * i) / SR + 1);
    expect(Math.abs(lfo(n) - audio[0])).toBeLessThan(1e-6);
    const seamStep = audio[0] - audio[n - 1];
    expect(Math.abs(seamStep - (lfo(n) - lfo(n - 1)))).toBeLessThan(1e-6);
    // Without snapping, 3 Hz over 1.5 s stops half-way through a cycle: the seam jumps.
    const raw = tremolo(loop, { rateHz: 3, depth: 0.6, sampleRate: SR, phase: 1 }).audio;
    expect(Math.abs(raw[0] - raw[n - 1])).toBeGreaterThan(0.1);
  });
  it("rejects depth outside [0, 1], NaN rate", () => {
    expect(() => tremolo(ones(10), { rateHz: 3, depth: 1.5, sampleRate: SR })).toThrow(/1.5/);
    expect(() => tremolo(ones(10), { rateHz: Number.NaN, depth: 0.5, sampleRate: SR })).toThrow(/NaN/);
  });
});
