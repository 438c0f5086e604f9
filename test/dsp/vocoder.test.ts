import { describe, expect, it } from "vitest";
import { filtfilt, highpass } from "../../src/dsp/filters.js";
import { pitchShift, timeStretch } from "../../src/dsp/vocoder.js";
import { dominantFrequency, rmsOf, SR, sine } from "./helpers.js";

/** Clicks (single-sample impulses of 0.8) every `period` seconds starting at `first`. */
function clickTrain(seconds: number, period: number, first: number): { x: Float32Array; times: number[] } {
  const x = new Float32Array(Math.round(seconds * SR));
  const times: number[] = [];
  for (let t = first; t < seconds - 0.05; t += period) {
    const i = Math.round(t * SR);
    x[i] = 0.8;
    times.push(i);
  }
  return { x, times };
}

/**
 * Smear of each click in the stretched output: locate the output peak near where the click
 * should land (factor x input time, +-60 ms: the time map bends around transients), then compare
 * the energy further than 30 ms from that peak (up to half-way to the neighbouring clicks) with
 * the energy within 30 ms. Returns the worst click, in dB.
 */
function worstSmearDb(y: Float32Array, times: number[], factor: number, slot: number): number {
  let worst = Number.NEGATIVE_INFINITY;
  const w60 = Math.round(0.06 * SR);
  const w30 = Math.round(0.03 * SR);
  const halfSlot = Math.round((slot * SR * factor) / 2);
  for (const t of times) {
    const expected = Math.round(t * factor);
    let peakAt = expected;
    for (let i = Math.max(0, expected - w60); i < Math.min(y.length, expected + w60); i++) {
      if (Math.abs(y[i]) > Math.abs(y[peakAt])) peakAt = i;
    }
    let inside = 0;
    let outside = 0;
    for (let i = Math.max(0, peakAt - halfSlot); i < Math.min(y.length, peakAt + halfSlot); i++) {
      if (Math.abs(i - peakAt) <= w30) inside += y[i] * y[i];
      else outside += y[i] * y[i];
    }
    worst = Math.max(worst, 10 * Math.log10((outside + 1e-30) / inside));
  }
  return worst;
}

describe("phase vocoder", () => {
  it("pitchShift: a 440 Hz sine +7 semitones measures 659.26 Hz within +-0.3 %, same length", () => {
    const x = sine(440, 3, 0.5);
    const y = pitchShift(x, 7, SR);
    expect(y.length).toBe(x.length);
    const f = dominantFrequency(y, SR, Math.round(0.5 * SR));
    expect(Math.abs(f / 659.2551 - 1)).toBeLessThan(0.003);
    // The level is kept (within 1 dB) away from the edges.
    expect(Math.abs(20 * Math.log10(rmsOf(y, SR, 2 * SR) / rmsOf(x, SR, 2 * SR)))).toBeLessThan(1);
  });
  it("pitchShift down: 440 Hz -5 semitones measures 329.63 Hz within +-0.3 %", () => {
    const y = pitchShift(sine(440, 3, 0.5), -5, SR);
    expect(Math.abs(dominantFrequency(y, SR, Math.round(0.5 * SR)) / 329.6276 - 1)).toBeLessThan(0.003);
  });
  it("timeStretch 1.5x keeps 440 Hz within +-0.3 % and lasts 1.5x within +-1 %", () => {
    const x = sine(440, 2, 0.5);
    const y = timeStretch(x, 1.5);
    expect(Math.abs(y.length / (1.5 * x.length) - 1)).toBeLessThan(0.01);
    expect(Math.abs(dominantFrequency(y, SR, Math.round(0.5 * SR)) / 440 - 1)).toBeLessThan(0.003);
    expect(Math.abs(20 * Math.log10(rmsOf(y, SR, 2 * SR) / rmsOf(x, SR / 2, SR)))).toBeLessThan(1);
  });
  it("timeStretch 0.7x (shorter) keeps 440 Hz too", () => {
    const y = timeStretch(sine(440, 3, 0.5), 0.7);
    expect(y.length).toBe(Math.round(3 * SR * 0.7));
    expect(Math.abs(dominantFrequency(y, SR, Math.round(0.3 * SR), 32768) / 440 - 1)).toBeLessThan(0.003);
  });
  it("stretch 1.0 reproduces the input (error < -60 dB)", () => {
    const x = sine(440, 1, 0.5).map((v, i) => v + 0.3 * Math.sin(i * 0.37));
    const y = timeStretch(x, 1);
    let e = 0;
    for (let i = 2048; i < x.length - 2048; i++) e += (y[i] - x[i]) ** 2;
    expect(10 * Math.log10(e / (rmsOf(x, 2048, x.length - 2048) ** 2 * (x.length - 4096)))).toBeLessThan(-60);
  });
  it("a click train stretched 1.5x stays single clicks: energy beyond +-30 ms of each click < -30 dB", () => {
    const { x, times } = clickTrain(3, 0.25, 0.1237);
    const y = timeStretch(x, 1.5);
    expect(worstSmearDb(y, times, 1.5, 0.25)).toBeLessThan(-30);
    // The same metric catches the smear of a vocoder without phase locking or transient handling.
    const plain = timeStretch(x, 1.5, { phaseLocking: false, preserveTransients: false });
    expect(worstSmearDb(plain, times, 1.5, 0.25)).toBeGreaterThan(-30);
  });
  it("clicks over a sustained tone stay single too (phase locking on the tone, 1:1 at clicks)", () => {
    const { x: clicks, times } = clickTrain(3, 0.3, 0.2);
    const tone = sine(220, 3, 0.1);
    const y = timeStretch(
      clicks.map((v, i) => v + tone[i]),
      1.5,
    );
    // Look at the clicks only: a zero-phase 8th-order high-pass at 2 kHz removes the 220 Hz tone
    // (> 150 dB) and keeps the clicks' broadband energy, with ringing of a few ms at most.
    const clicksOut = filtfilt(y, highpass(2000, SR, 8));
    expect(worstSmearDb(clicksOut, times, 1.5, 0.3)).toBeLessThan(-30);
  });
  it("silence stays silence; bad factors and NaN are refused", () => {
    expect(timeStretch(new Float32Array(5000), 1.5).every((v) => v === 0)).toBe(true);
    expect(pitchShift(new Float32Array(5000), 3, SR).every((v) => v === 0)).toBe(true);
    expect(() => timeStretch(new Float32Array(100), 0)).toThrow(/0/);
    expect(() => timeStretch(new Float32Array(100), -1)).toThrow(/-1/);
    expect(() => timeStretch(new Float32Array(100), Number.NaN)).toThrow(/NaN/);
    expect(() => pitchShift(new Float32Array(100), Number.NaN, SR)).toThrow(/NaN/);
    expect(() => timeStretch(new Float32Array(0), 1.5)).toThrow(/empty/);
  });
});
