import { describe, expect, it } from "vitest";
import { meanCentroidHz } from "../../src/analysis/centroid.js";
import { harmonicTone, SR, whiteNoise } from "./signals.js";

describe("mean spectral centroid of a texture", () => {
  it("puts a sine on its frequency (±1 %), white noise near the middle of the band, silence at 0", () => {
    for (const hz of [220, 1000, 5000]) {
      expect(meanCentroidHz(harmonicTone(hz, 2, [0.5]), SR) / hz).toBeCloseTo(1, 2);
    }
    // Power-weighted over bins 1..N/2 of flat noise: the middle of the band.
    expect(meanCentroidHz(whiteNoise(3 * SR, 0.3), SR) / (SR / 4)).toBeCloseTo(1, 1);
    expect(meanCentroidHz(new Float32Array(5000), SR)).toBe(0);
  });

  it("measures inputs shorter than one frame, and weighs the louder part of a two-part signal more", () => {
    expect(meanCentroidHz(harmonicTone(2000, 0.02, [0.5]), SR) / 2000).toBeCloseTo(1, 1);
    const low = harmonicTone(300, 1, [0.5]);
    const high = harmonicTone(3000, 1, [0.05]);
    const both = new Float32Array(low.length + high.length);
    both.set(low);
    both.set(high, low.length);
    // 20 dB more power at 300 Hz: the mean lands near 300 + (3000 - 300) / 101.
    expect(meanCentroidHz(both, SR)).toBeGreaterThan(300);
    expect(meanCentroidHz(both, SR)).toBeLessThan(360);
  });
});
