import { afterEach, describe, expect, it, vi } from "vitest";
import { analyzeFrames } from "../../src/analysis/frames.js";
import { ConfigError } from "../../src/core/errors.js";
import { hpss } from "../../src/dsp/hpss.js";
import { HpssReference } from "../../src/dsp/hpss-reference.js";
import { JsKernel } from "../../src/dsp/js-kernel.js";
import { resample } from "../../src/dsp/resample.js";
import { resampleKernel } from "../../src/dsp/resample-kernel.js";
import { sampleStats, samplesKernel } from "../../src/dsp/sample-kernels.js";
import { tapeSpeed } from "../../src/dsp/tape.js";
import { tapeKernel } from "../../src/dsp/tape-kernel.js";
import { timeStretch } from "../../src/dsp/vocoder.js";
import { vocoderKernel } from "../../src/dsp/vocoder-kernel.js";
import { type KernelExports, kernelBackend, ReusedKernel, WASM_PAGE } from "../../src/dsp/wasm-module.js";
import { base64 } from "../../src/generated/hpss-wasm.js";
import { chord, whiteNoise } from "./helpers.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

const holder = (keepBytes = 4 * WASM_PAGE): ReusedKernel<KernelExports> =>
  new ReusedKernel<KernelExports>("hpss", base64, () => new HpssReference(), keepBytes);

describe("ReusedKernel", () => {
  it("makes one instance for any number of calls that finish before the next", () => {
    const kernel = holder();
    for (let i = 0; i < 5; i++) kernel.reserve(kernel.get(), WASM_PAGE);
    expect(kernel.instancesMade).toBe(1);
  });

  it("starts afresh after a call grows the instance past the limit (that call still gets its memory)", () => {
    const kernel = holder();
    expect(kernel.reserve(kernel.get(), 8 * WASM_PAGE).byteLength).toBeGreaterThanOrEqual(8 * WASM_PAGE);
    const next = kernel.get();
    expect(kernel.instancesMade).toBe(2);
    expect(next.memory.buffer.byteLength).toBeLessThan(8 * WASM_PAGE);
  });

  it("gives holders an instance each while they hold it, and reuses released ones", () => {
    const kernel = holder();
    const a = kernel.acquire();
    const b = kernel.acquire();
    expect(kernel.instancesMade).toBe(2);
    kernel.release(a);
    kernel.release(b);
    kernel.acquire();
    kernel.acquire();
    kernel.get();
    expect(kernel.instancesMade).toBe(3);
    // A released instance that grew past the limit is dropped.
    const big = kernel.acquire();
    kernel.reserve(big, 8 * WASM_PAGE);
    kernel.release(big);
    kernel.acquire();
    expect(kernel.instancesMade).toBe(4);
  });
});

describe("PATINA_KERNELS", () => {
  it("is wasm by default and js when set so; anything else is refused by name", () => {
    vi.stubEnv("PATINA_KERNELS", "");
    expect(kernelBackend()).toBe("wasm");
    vi.stubEnv("PATINA_KERNELS", "js");
    expect(kernelBackend()).toBe("js");
    vi.stubEnv("PATINA_KERNELS", "simd");
    expect(() => kernelBackend()).toThrow(ConfigError);
    expect(() => samplesKernel.get()).toThrow(/PATINA_KERNELS must be "wasm" or "js", got: "simd"/);
  });

  it("=js runs every kernel on its JavaScript reference, with bit-identical results", () => {
    const noise = whiteNoise(44100, 3, 0.05);
    const x = chord(1).map((v, i) => v + noise[i]);
    const run = () => ({
      stats: sampleStats(x),
      resampled: resample(x, 48000, 44100),
      taped: tapeSpeed(x, 1.37),
      stretched: timeStretch(x.subarray(0, 20000), 1.5),
      parts: hpss(x.subarray(0, 20000)),
      features: analyzeFrames(x, { sampleRate: 44100 }),
    });
    vi.stubEnv("PATINA_KERNELS", "wasm");
    const wasm = run();
    for (const kernel of [samplesKernel, resampleKernel, tapeKernel, vocoderKernel]) {
      expect(kernel.get()).not.toBeInstanceOf(JsKernel);
    }
    vi.stubEnv("PATINA_KERNELS", "js");
    const made = [samplesKernel, resampleKernel, tapeKernel, vocoderKernel].map((k) => k.instancesMade);
    const js = run();
    for (const kernel of [samplesKernel, resampleKernel, tapeKernel, vocoderKernel]) {
      expect(kernel.get()).toBeInstanceOf(JsKernel);
    }
    // Each kernel made its JavaScript instance for this run.
    expect(
      [samplesKernel, resampleKernel, tapeKernel, vocoderKernel].map((k) => k.instancesMade),
    ).not.toEqual(made);
    expect(js.stats).toEqual(wasm.stats);
    expect(js.resampled).toEqual(wasm.resampled);
    expect(js.taped).toEqual(wasm.taped);
    expect(js.stretched).toEqual(wasm.stretched);
    expect(js.parts.harmonic).toEqual(wasm.parts.harmonic);
    expect(js.parts.percussive).toEqual(wasm.parts.percussive);
    for (const key of ["rmsDb", "flatness", "centroidHz", "onsetStrength", "chroma"] as const) {
      expect(js.features[key], key).toEqual(wasm.features[key]);
    }
  });
});
