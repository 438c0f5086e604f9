import { describe, expect, it } from "vitest";
import { Resampler } from "../../src/dsp/resample.js";
import { SimdKernel, simdTaps } from "../../src/dsp/resample-simd.js";
import { Rng } from "../../src/dsp/rng.js";

describe("WebAssembly SIMD resampler kernel", () => {
  it("is available on this runtime (Node 20 has WebAssembly SIMD)", () => {
    expect(SimdKernel.create(new Float32Array(8), 8)).not.toBeNull();
  });

  it("matches a double-precision dot product for every phase and step (relative error < 1e-6)", () => {
    const rng = new Rng(11);
    const taps = 24;
    const m = 7;
    const table = new Float32Array(m * taps).map(() => rng.next() - 0.5);
    const x = new Float32Array(500).map(() => rng.next() * 2 - 1);
    const k = SimdKernel.create(table, taps);
    if (!k) throw new Error("no SIMD");
    // Step 1 + 3/7 input samples per output, starting at x[5] with phase 2.
    const lq = 1;
    const lr = 3;
    const count = 300;
    const out = k.run(x, count, 5, 2, lq, lr, m);
    let q = 5;
    let r = 2;
    let worst = 0;
    for (let i = 0; i < count; i++) {
      let want = 0;
      let mag = 0;
      for (let j = 0; j < taps; j++) {
        want += x[q + j] * table[r * taps + j];
        mag += Math.abs(x[q + j] * table[r * taps + j]);
      }
      worst = Math.max(worst, Math.abs(out[i] - want) / mag);
      q += lq;
      r += lr;
      if (r >= m) {
        r -= m;
        q++;
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("taps past the input's end read as zero", () => {
    const taps = simdTaps(5);
    expect(taps).toBe(8);
    const table = new Float32Array(taps).fill(1);
    const k = SimdKernel.create(table, taps);
    const out = k?.run(new Float32Array([1, 2, 3]), 1, 0, 0, 1, 0, 1);
    expect(Array.from(out ?? [])).toEqual([6]);
  });

  it("a resampler gives the same samples through the kernel as through its JavaScript loop (< 1e-6)", () => {
    const rng = new Rng(3);
    const x = new Float32Array(20000).map(() => rng.next() - 0.5);
    const fast = new Resampler(48000, 44100);
    const slow = new Resampler(48000, 44100);
    (slow as unknown as { kernel: null }).kernel = null;
    const a = fast.process(x);
    const b = slow.process(x);
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-6);
  });
});
