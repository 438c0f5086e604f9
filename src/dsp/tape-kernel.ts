/**
 * The tape-speed resampler's interior (assembly/tape.ts; plain-JavaScript reference in
 * tape-reference.ts) on the thread's shared instance. The last phase bank used stays loaded, so
 * grains that share a bank upload it once.
 */
import { base64 } from "../generated/tape-wasm.js";
import { TapeReference } from "./tape-reference.js";
import { align16, type KernelExports, ReusedKernel } from "./wasm-module.js";

export interface TapeExports extends KernelExports {
  run(
    x: number,
    bank: number,
    out: number,
    count: number,
    m0: number,
    speed: number,
    taps8: number,
    base: number,
    phases: number,
  ): void;
}

export const tapeKernel = new ReusedKernel<TapeExports>("tape", base64, () => new TapeReference());

/** Round a tap count up to the kernel's step (8 floats). */
export const tapeKernelTaps = (taps: number): number => Math.ceil(taps / 8) * 8;

/** Outputs per kernel call, and the input span they may cover (samples). */
const BLOCK_OUTPUTS = 1 << 16;
const BLOCK_INPUT = 1 << 18;

/** Which bank the shared instance holds. */
let loaded: { k: TapeExports; bank: Float32Array } | undefined;

/**
 * Outputs [m0, m0 + count) of the tape resampler into `y` (at the same indices): output m reads
 * x[floor(m * speed) - reach + 1 + k], k < taps8, with rows ph and ph + 1 of `paddedBank`
 * ((phases + 1) rows of taps8 floats, zero-padded), all inside `x` plus at most 7 samples past
 * its end (read as zeros).
 */
export function tapeInterior(
  x: Float32Array,
  y: Float32Array,
  m0: number,
  count: number,
  speed: number,
  paddedBank: Float32Array,
  taps8: number,
  reach: number,
  phases: number,
): void {
  if (count <= 0) return;
  const k = tapeKernel.get();
  // Blocks of outputs whose input span stays near BLOCK_INPUT samples: the instance's memory stays
  // small (and is reused) whatever the input's length.
  const block = Math.max(1, Math.min(BLOCK_OUTPUTS, Math.floor(BLOCK_INPUT / speed)));
  const maxXLen = Math.ceil(block * speed) + taps8 + 1;
  const bankPtr = align16(k.heapBase());
  const xPtr = align16(bankPtr + paddedBank.length * 4);
  const outPtr = align16(xPtr + (maxXLen + 8) * 4);
  const buffer = tapeKernel.reserve(k, outPtr + block * 4);
  if (loaded?.k !== k || loaded.bank !== paddedBank) {
    new Float32Array(buffer, bankPtr, paddedBank.length).set(paddedBank);
    loaded = { k, bank: paddedBank };
  }
  for (let m = m0; m < m0 + count; m += block) {
    const n = Math.min(block, m0 + count - m);
    const first = Math.floor(m * speed) - reach + 1;
    const last = Math.floor((m + n - 1) * speed) - reach + 1 + taps8;
    const xLen = Math.min(x.length, last) - first;
    const xs = new Float32Array(buffer, xPtr, xLen + 8);
    xs.set(x.subarray(first, first + xLen));
    xs.fill(0, xLen);
    k.run(xPtr, bankPtr, outPtr, n, m, speed, taps8, first + reach - 1, phases);
    y.set(new Float32Array(buffer, outPtr, n), m);
  }
}
