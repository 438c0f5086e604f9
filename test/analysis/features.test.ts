import { describe, expect, it } from "vitest";
import { DEFAULT_SPECTRAL_OPTIONS, SpectralKernel } from "../../src/analysis/features.js";
import { realFft } from "../../src/dsp/fft.js";
import { hannPeriodic } from "../../src/dsp/window.js";
import { harmonicTone, SR, whiteNoise } from "./signals.js";

/** Power spectrum of the first Hann-windowed 2048 samples of x, and the window's sum. */
function powerOf(x: Float32Array): { power: Float32Array; windowSum: number } {
  const w = hannPeriodic(2048);
  const frame = Float32Array.from(w, (v, i) => v * x[i]);
  return { power: realFft(2048).power(frame), windowSum: w.reduce((a, v) => a + v, 0) };
}

describe("SpectralKernel.analyse (a power spectrum given by the caller)", () => {
  it("puts a 1 kHz sine's centroid on it (±2 %) with low flatness; white noise is flat", () => {
    const sine = powerOf(harmonicTone(1000, 0.1, [0.5]));
    const k = new SpectralKernel(SR, 2048, sine.windowSum, DEFAULT_SPECTRAL_OPTIONS);
    k.analyse(sine.power);
    expect(k.centroidHz / 1000).toBeCloseTo(1, 1);
    expect(Math.abs(k.centroidHz - 1000)).toBeLessThan(20);
    expect(k.flatness).toBeLessThan(0.05);
    // Chroma: 1 kHz is between B5 and C6 (MIDI 83.2), so B holds it.
    expect(k.chroma.indexOf(Math.max(...k.chroma))).toBe(11);
    const noise = powerOf(whiteNoise(4096, 0.3));
    k.analyse(noise.power);
    expect(k.flatness).toBeGreaterThan(0.4);
    expect(() => k.analyse(new Float32Array(10))).toThrow(/1025 bins/);
  });
});
