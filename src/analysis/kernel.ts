/**
 * The analysis pass's per-frame kernels (assembly/analysis.ts, WebAssembly SIMD built by
 * `npm run build`; plain-JavaScript reference in kernel-reference.ts). One instance per analyser
 * at a time: its memory holds that analyser's frame buffer, tables and scratch, laid out once by
 * `alloc` and never grown afterwards, so typed-array views on it stay valid.
 *
 * Finished analysers hand their instance back (`release`) and the next one takes it.
 * Besides saving the instantiation, this keeps the JavaScript that calls the kernel optimised: V8
 * embeds the instance's functions in that code and throws the code away when they are collected
 * (measured: the frame analyser recompiled on every track of a batch worker).
 */

import { type KernelExports, Layout, ReusedKernel } from "../dsp/wasm-module.js";
import { base64 } from "../generated/analysis-wasm.js";
import { AnalysisReference } from "./kernel-reference.js";

export interface AnalysisExports extends KernelExports {
  blockStats(p: number, n: number, clipLevel: number, out: number): void;
  windowMul(src: number, win: number, dst: number, n: number): void;
  blockMoment(p: number, n: number): number;
  windowMulLine(src: number, win: number, dst: number, n: number, a: number, b: number): void;
  bandPowers(pow: number, bins: number, edges: number, groups: number, out: number): void;
  powerOrdered(spec: number, pow: number, n: number): void;
  setup(
    half: number,
    melBands: number,
    melStart: number,
    melW0: number,
    melW1: number,
    pcTable: number,
    chromaK0: number,
    chromaK1: number,
    mag: number,
    mel: number,
    prevLevel: number,
    chroma: number,
    flatFloorRaw: number,
    magScale: number,
    floorPow: number,
    binHz: number,
  ): void;
  spectral(pow: number, out: number): void;
  centroidSums(pow: number, bins: number, out: number): void;
  spectrogramColumn(
    pow: number,
    rowLo: number,
    rowHi: number,
    rowPos: number,
    height: number,
    bins: number,
    refPower: number,
    out: number,
    stride: number,
  ): number;
}

export const analysisKernel = new ReusedKernel<AnalysisExports>(
  "analysis",
  base64,
  () => new AnalysisReference(),
);

export class AnalysisWasm {
  readonly k: AnalysisExports;
  private readonly layout: Layout;
  private sealed = false;
  private released = false;

  /** An instance for this holder alone: a released one, cleared, or a new one. */
  constructor() {
    this.k = analysisKernel.acquire();
    this.layout = new Layout(this.k.heapBase());
    // As a new instance's memory would be: kernel state (e.g. the previous mel levels) starts at 0.
    new Uint8Array(this.k.memory.buffer, this.k.heapBase()).fill(0);
  }

  static acquire(): AnalysisWasm {
    return new AnalysisWasm();
  }

  /** Hand the instance back: the caller must not use it, or views on its memory, afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    analysisKernel.release(this.k);
  }

  /** Reserve `bytes` (16-byte aligned) before the first `view`; returns the byte address. */
  alloc(bytes: number): number {
    if (this.sealed) throw new Error("AnalysisWasm.alloc after the memory was viewed");
    return this.layout.take(bytes);
  }

  private seal(): ArrayBuffer {
    this.sealed = true;
    return analysisKernel.reserve(this.k, this.layout.end);
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.seal(), ptr, length);
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.seal(), ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.seal(), ptr, length);
  }

  i8(ptr: number, length: number): Int8Array {
    return new Int8Array(this.seal(), ptr, length);
  }
}
