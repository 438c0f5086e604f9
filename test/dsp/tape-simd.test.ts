import { describe, expect, it } from "vitest";
import { Rng } from "../../src/dsp/rng.js";
import { TapeSimdKernel, tapeSimdTaps } from "../../src/dsp/tape-simd.js";

describe("WebAssembly SIMD tape kernel", () => {
  it("is available on this runtime (Node 20 has WebAssembly SIMD)", () => {
    expect(TapeSimdKernel.create()).not.toBeNull();
  });

  it("matches a double-precision evaluation of the same taps, rows and phase (relative error < 1e-5)", () => {
    const rng = new Rng(12);
    const phases = 16;
    const taps = 20; // padded to 24: the pad taps must contribute nothing
    const t8 = tapeSimdTaps(taps);
    const reach = taps >> 1;
    const bank = new Float32Array((phases + 1) * t8);
    for (let r = 0; r <= phases; r++) for (let k = 0; k < taps; k++) bank[r * t8 + k] = rng.uniform(-1, 1);
    const x = new Float32Array(3000).map(() => rng.uniform(-1, 1));
    const k = TapeSimdKernel.create();
    if (!k) throw new Error("no SIMD");
    for (const speed of [0.613, 1, 1.4983070768766815, 2.37]) {
      // Interior outputs only: taps from x[floor(m * speed) - reach + 1] must stay inside x.
      const m0 = 20;
      const count = Math.floor((x.length - taps) / speed) - m0 - 1;
      const y = new Float32Array(m0 + count + 10).fill(Number.NaN);
      k.run(x, y, m0, count, speed, bank, t8, reach, phases);
      let worst = 0;
      for (let m = m0; m < m0 + count; m++) {
        const p = m * speed;
        const i0 = Math.floor(p);
        const phase = (p - i0) * phases;
        const ph = Math.min(phases - 1, phase | 0);
        const pf = phase - ph;
        let s0 = 0;
        let s1 = 0;
        let mag = 0;
        for (let j = 0; j < taps; j++) {
          const v = x[i0 - reach + 1 + j];
          s0 += v * bank[ph * t8 + j];
          s1 += v * bank[(ph + 1) * t8 + j];
          mag += Math.abs(v);
        }
        worst = Math.max(worst, Math.abs(y[m] - (s0 + pf * (s1 - s0))) / mag);
      }
      expect(worst).toBeLessThan(1e-5);
      expect(Number.isNaN(y[m0 - 1]) && Number.isNaN(y[m0 + count])).toBe(true);
    }
  });
});
