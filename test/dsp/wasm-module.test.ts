import { describe, expect, it } from "vitest";
import { type KernelExports, ReusedKernel, WASM_PAGE } from "../../src/dsp/wasm-module.js";
import { base64 } from "../../src/generated/hpss-wasm.js";

describe("ReusedKernel", () => {
  it("reuses one instance until a call grows its memory past the limit, then starts afresh", () => {
    const kernel = new ReusedKernel<KernelExports>("hpss", base64, 4 * WASM_PAGE);
    const a = kernel.get();
    expect(kernel.get()).toBe(a);
    const small = kernel.reserve(a, 2 * WASM_PAGE);
    expect(small.byteLength).toBeGreaterThanOrEqual(2 * WASM_PAGE);
    expect(kernel.get()).toBe(a);
    // The call that grows it past the limit still gets the memory; the next call a new instance.
    expect(kernel.reserve(a, 8 * WASM_PAGE).byteLength).toBeGreaterThanOrEqual(8 * WASM_PAGE);
    const b = kernel.get();
    expect(b).not.toBe(a);
    expect(b.memory.buffer.byteLength).toBeLessThan(8 * WASM_PAGE);
  });
});
