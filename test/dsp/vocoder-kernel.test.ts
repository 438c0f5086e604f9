import { describe, expect, it } from "vitest";
import { vocoderAtan2, vocoderSinCos } from "../../src/dsp/vocoder-kernel.js";

describe("the vocoder kernels' polynomial atan2 and sine/cosine", () => {
  it("atan2 agrees with Math.atan2 within 1e-8 rad over every quadrant and scale", () => {
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const a = (i / 20000) * 2 * Math.PI - Math.PI;
      const r = 10 ** ((i % 13) - 6);
      const y = r * Math.sin(a);
      const x = r * Math.cos(a);
      worst = Math.max(worst, Math.abs(vocoderAtan2(y, x) - Math.atan2(y, x)));
    }
    expect(worst).toBeLessThan(1e-8);
    // Axes and the origin as Math.atan2 gives them.
    expect(vocoderAtan2(0, 0)).toBe(0);
    expect(vocoderAtan2(0, 1)).toBe(0);
    expect(vocoderAtan2(1, 0)).toBeCloseTo(Math.PI / 2, 12);
    expect(vocoderAtan2(0, -1)).toBeCloseTo(Math.PI, 12);
    expect(vocoderAtan2(-1, 0)).toBeCloseTo(-Math.PI / 2, 12);
  });

  it("sine/cosine agree with Math.sin / Math.cos within 1e-9 for |t| <= 100", () => {
    let worst = 0;
    for (let i = 0; i <= 40000; i++) {
      const t = (i / 40000) * 200 - 100;
      const [s, c] = vocoderSinCos(t);
      worst = Math.max(worst, Math.abs(s - Math.sin(t)), Math.abs(c - Math.cos(t)));
    }
    expect(worst).toBeLessThan(1e-9);
  });
});
