/**
 * The resampler's inner loop (assembly/resample.ts; plain-JavaScript reference in
 * resample-reference.ts): one resampler's coefficient table stays in a kernel instance it holds from
 * construction until `release`, and each call copies the input history in and the outputs out.
 */
import { base64 } from "../generated/resample-wasm.js";
import { ResampleReference } from "./resample-reference.js";
import { align16, type KernelExports, ReusedKernel } from "./wasm-module.js";

export interface ResampleExports extends KernelExports {
  run(
    x: number,
    table: number,
    out: number,
    count: number,
    q: number,
    r: number,
    lq: number,
    lr: number,
    m: number,
    taps: number,
  ): void;
}

export const resampleKernel = new ReusedKernel<ResampleExports>(
  "resample",
  base64,
  () => new ResampleReference(),
);

/** Outputs per kernel call, and the input span they may cover (samples). */
const BLOCK_OUTPUTS = 1 << 16;
const BLOCK_INPUT = 1 << 18;

/** Round a tap count up to the kernel's step (8 floats). */
export const kernelTaps = (taps: number): number => Math.ceil(taps / 8) * 8;

/** One resampler's table in a kernel instance of its own. */
export class ResampleKernel {
  private k: ResampleExports | null;
  private readonly tablePtr: number;
  private readonly xPtr: number;

  /** `table`: rows of `taps` floats (a multiple of 8, zero-padded), one per phase. */
  constructor(
    table: Float32Array,
    private readonly taps: number,
  ) {
    const k = resampleKernel.acquire();
    this.k = k;
    this.tablePtr = align16(k.heapBase());
    this.xPtr = align16(this.tablePtr + table.length * 4);
    const buffer = resampleKernel.reserve(k, this.xPtr);
    new Float32Array(buffer, this.tablePtr, table.length).set(table);
  }

  /**
   * Outputs for `count` instants: the first's taps start at x[q] with phase r, each next one
   * lq + lr / m samples later. `x` must hold the taps' reach; anything after its end reads as zero.
   */
  run(x: Float32Array, count: number, q: number, r: number, lq: number, lr: number, m: number): Float32Array {
    const k = this.k;
    if (k === null) throw new Error("ResampleKernel.run after release");
    const out = new Float32Array(count);
    // Blocks of outputs whose taps span about BLOCK_INPUT samples: the instance's memory stays
    // small whatever the input's length.
    const block = Math.max(1, Math.min(BLOCK_OUTPUTS, Math.floor(BLOCK_INPUT / (lq + lr / m))));
    const maxXLen = Math.ceil(block * (lq + 1)) + this.taps + 8;
    const outPtr = align16(this.xPtr + maxXLen * 4);
    const buffer = resampleKernel.reserve(k, outPtr + block * 4);
    for (let i = 0; i < count; i += block) {
      const n = Math.min(block, count - i);
      // Taps of these outputs: x[q, q + (n - 1) * step + taps), within what x holds.
      const rEnd = r + (n - 1) * lr;
      const end = Math.min(x.length, q + (n - 1) * lq + Math.floor(rEnd / m) + this.taps);
      const xs = new Float32Array(buffer, this.xPtr, end - q + 8);
      xs.set(x.subarray(q, end));
      xs.fill(0, end - q);
      k.run(this.xPtr, this.tablePtr, outPtr, n, 0, r, lq, lr, m, this.taps);
      out.set(new Float32Array(buffer, outPtr, n), i);
      const rr = r + n * lr;
      q += n * lq + Math.floor(rr / m);
      r = rr % m;
    }
    return out;
  }

  /** Hand the instance back for the next resampler. */
  release(): void {
    if (this.k) resampleKernel.release(this.k);
    this.k = null;
  }
}
