/**
 * The analysis pass's per-frame kernels (assembly/analysis.ts, WebAssembly SIMD built by
 * `npm run build`). One instance per analyser at a time: its memory holds that analyser's frame
 * buffer, tables and scratch, laid out once by `alloc` and never grown afterwards, so typed-array
 * views on it stay valid.
 *
 * Finished analysers hand their instance back (`release`) and the next one takes it (`acquire`).
 * Besides saving the instantiation, this keeps the JavaScript that calls the kernel optimised: V8
 * embeds the instance's functions in that code and throws the code away when they are collected
 * (measured: the frame analyser recompiled on every track of a batch worker).
 */

import { ensureMemory, type KernelExports, kernelInstance, Layout } from "../dsp/wasm-module.js";
import { base64 } from "../generated/analysis-wasm.js";

interface AnalysisExports extends KernelExports {
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

/** Released instances, most recent last (so one instance keeps being reused). */
const idle: AnalysisWasm[] = [];
const MAX_IDLE = 4;

export class AnalysisWasm {
  readonly k: AnalysisExports;
  private layout: Layout;
  private sealed = false;

  constructor() {
    this.k = kernelInstance<AnalysisExports>("analysis", base64);
    this.layout = new Layout(this.k.heapBase());
  }

  /** A released instance with its layout cleared, or a new one. */
  static acquire(): AnalysisWasm {
    const w = idle.pop();
    if (w === undefined) return new AnalysisWasm();
    w.layout = new Layout(w.k.heapBase());
    w.sealed = false;
    // As a new instance's memory would be: kernel state (e.g. the previous mel levels) starts at 0.
    new Uint8Array(w.k.memory.buffer, w.k.heapBase()).fill(0);
    return w;
  }

  /** Hand the instance back: the caller must not use it, or views on its memory, afterwards. */
  release(): void {
    if (idle.length < MAX_IDLE && !idle.includes(this)) idle.push(this);
  }

  /** Reserve `bytes` (16-byte aligned) before the first `view`; returns the byte address. */
  alloc(bytes: number): number {
    if (this.sealed) throw new Error("AnalysisWasm.alloc after the memory was viewed");
    return this.layout.take(bytes);
  }

  private seal(): ArrayBuffer {
    this.sealed = true;
    return ensureMemory(this.k.memory, this.layout.end);
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
