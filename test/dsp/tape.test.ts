import { describe, expect, it } from "vitest";
import { realFft } from "../../src/dsp/fft.js";
import { tapeOutputLength, tapeShift, tapeSpeed } from "../../src/dsp/tape.js";
import { tapeInterior } from "../../src/dsp/tape-kernel.js";
import { dominantFrequency, rmsOf, SR, sine, whiteNoise } from "./helpers.js";

/** White noise keeping only bins in [loFrac, hiFrac] x fs (band-limited by FFT masking). */
function bandNoise(n: number, loFrac: number, hiFrac: number, seed: number): Float32Array {
  const fft = realFft(n);
  const spec = fft.forward(whiteNoise(n, seed));
  for (let k = 0; k <= n / 2; k++) {
    const f = k / n;
    if (f < loFrac || f > hiFrac) {
      spec[2 * k] = 0;
      spec[2 * k + 1] = 0;
    }
  }
  return fft.inverse(spec);
}

const energy = (x: Float32Array, from = 0, to = x.length): number => rmsOf(x, from, to) ** 2 * (to - from);

describe("tape speed", () => {
  /**
   * +12 semitones reads the input twice as fast: input frequency f comes out at 2f, so input
   * content above fs/4 would land above the output Nyquist (fs/2) and fold back as aliases
   * anywhere in the output band. By linearity the output of white noise is the sum of the outputs
   * of its parts: the part above fs/4 (the band that can only alias) must come out at least 60 dB
   * below the part that legitimately survives (0 .. 0.2 fs, below the kernel's transition band
   * 0.21 .. 0.25 fs). Measured away from the edges (the first and last 1000 output samples).
   */
  it("white noise +12 st: the band above fs/4 leaves <= -60 dB (no aliasing)", () => {
    const n = 65536;
    const low = bandNoise(n, 0, 0.2, 21);
    const high = bandNoise(n, 0.25, 0.5, 22);
    const yLow = tapeShift(low, 12);
    const yHigh = tapeShift(high, 12);
    const a = 1000;
    const b = yLow.length - 1000;
    const ratioDb = 10 * Math.log10(energy(yHigh, a, b) / energy(yLow, a, b));
    expect(ratioDb).toBeLessThan(-60);
    // The surviving band keeps its level (energy halves with the length, power stays).
    const gainDb = 10 * Math.log10(rmsOf(yLow, a, b) ** 2 / rmsOf(low, 2 * a, 2 * b) ** 2);
    expect(Math.abs(gainDb)).toBeLessThan(0.1);
  });
  it("a tone above the new Nyquist vanishes instead of folding (0.3 fs and 0.45 fs, +12 st)", () => {
    for (const f of [0.3 * SR, 0.45 * SR]) {
      const y = tapeShift(sine(f, 1, 0.5), 12);
      expect(20 * Math.log10(rmsOf(y, 1000, y.length - 1000) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    }
  });
  it("moves a tone by the ratio: 1 kHz +7 st -> 1498.31 Hz, -12 st -> 500 Hz (+-0.05 %)", () => {
    const x = sine(1000, 2, 0.5);
    const up = tapeShift(x, 7);
    expect(Math.abs(dominantFrequency(up, SR, 0, 32768) / (1000 * 2 ** (7 / 12)) - 1)).toBeLessThan(5e-4);
    const down = tapeShift(x, -12);
    expect(down.length).toBe(2 * x.length);
    expect(Math.abs(dominantFrequency(down) / 500 - 1)).toBeLessThan(5e-4);
  });
  it("speed 1 passes the band below 0.85 x Nyquist unchanged (error < -70 dB)", () => {
    const x = bandNoise(32768, 0, 0.42, 23);
    const y = tapeSpeed(x, 1);
    let e = 0;
    for (let i = 200; i < x.length - 200; i++) e += (y[i] - x[i]) ** 2;
    expect(10 * Math.log10(e / energy(x, 200, x.length - 200))).toBeLessThan(-70);
  });
  it("the interior kernel gives the same samples in one call as in many short ones (long inputs go in blocks)", () => {
    const x = whiteNoise(400_000, 9);
    const phases = 16;
    const t8 = 24;
    const bank = whiteNoise((phases + 1) * t8, 10);
    for (const speed of [0.37, 1.5, 3.1]) {
      // Outputs from m0 on whose taps stay inside x (first tap floor(m * speed) - 9 >= 0).
      const m0 = 40;
      const count = Math.floor((x.length - 40) / speed) - 30;
      const whole = new Float32Array(m0 + count);
      tapeInterior(x, whole, m0, count, speed, bank, t8, 10, phases);
      const parts = new Float32Array(m0 + count);
      for (let m = m0; m < m0 + count; m += 5003) {
        tapeInterior(x, parts, m, Math.min(5003, m0 + count - m), speed, bank, t8, 10, phases);
      }
      let differ = 0;
      for (let i = 0; i < whole.length; i++) if (!Object.is(whole[i], parts[i])) differ++;
      expect(differ).toBe(0);
      expect(count).toBeGreaterThan(65536);
    }
  });

  it("lengths, silence and bad parameters", () => {
    expect(tapeOutputLength(1000, 2)).toBe(500);
    expect(tapeSpeed(new Float32Array(1001), 2).length).toBe(501);
    expect(tapeSpeed(new Float32Array(100), 1.5).every((v) => v === 0)).toBe(true);
    expect(() => tapeSpeed(new Float32Array(10), 0)).toThrow(/speed/);
    expect(() => tapeSpeed(new Float32Array(10), -2)).toThrow(/-2/);
    expect(() => tapeShift(new Float32Array(10), Number.NaN)).toThrow(/NaN/);
    expect(() => tapeSpeed(new Float32Array(0), 1)).toThrow(/empty/);
  });
});
