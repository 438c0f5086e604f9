/**
 * The tape-speed resampler's inner loop as a small WebAssembly SIMD function (four f32 lanes):
 * for each output m, two dot products of the input around m * speed with two adjacent rows of the
 * polyphase bank, interpolated by the fractional phase. Plain JavaScript does a few hundred
 * million multiply-adds a second here; this several times more. Positions are computed in f64
 * exactly as the JavaScript loop does, so both pick the same taps and rows. The module is
 * assembled from opcodes below (no build step); without WebAssembly SIMD, `null` is returned and
 * the caller keeps its JavaScript loop.
 */
import {
  compileKernel,
  F32,
  F32X4_ADD,
  F32X4_MUL,
  F64,
  I32,
  type KernelFn,
  kernelModule,
  lane,
  roundTaps8,
  sleb,
  uleb,
  V128,
  V128_LOAD,
  V128_ZERO,
  vec,
  WASM_PAGE,
  type WasmApi,
  type WasmMemory,
  wasmApi,
} from "./wasm-asm.js";

const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32c = (n: number): number[] => [0x41, ...sleb(n)];
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const I32_LT_S = 0x48;
const I32_LT_U = 0x49;
const I32_EQZ = 0x45;
const F32_ADD = 0x92;
const F32_SUB = 0x93;
const F32_MUL = 0x94;
const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_FLOOR = 0x9c;
const I32_TRUNC_F64_S = 0xaa;
const F64_CONVERT_I32_S = 0xb7;
const F32_DEMOTE_F64 = 0xb6;
const SELECT = 0x1b;
const F32_STORE = 0x38;
const load = (ptr: number, offset: number): number[] => [...get(ptr), ...V128_LOAD, 0, ...uleb(offset)];

// Parameters.
const P_X = 0; // byte address of the copied input
const P_BANK = 1; // byte address of the padded bank: (phases + 1) rows of `taps8` floats
const P_OUT = 2;
const P_COUNT = 3;
const P_M0 = 4; // output index of the first output
const P_SPEED = 5; // f64
const P_TAPS8 = 6;
const P_BASE = 7; // input index (in the original signal) of the copy's first sample, plus reach - 1
const P_PHASES = 8;
// Locals.
const L_I = 9;
const L_PX = 10;
const L_PT0 = 11;
const L_PT1 = 12;
const L_END = 13;
const L_PH = 14;
const L_P = 15; // f64
const L_PHASE = 16; // f64
const L_FL = 17; // f64
const L_A0 = 18; // v128 x4
const L_A1 = 19;
const L_B0 = 20;
const L_B1 = 21;
const L_PF = 22; // f32 x3
const L_S0 = 23;
const L_S1 = 24;

/** Accumulate v (one 16-byte step at `offset`) times the two bank rows into acc0 / acc1. */
function mac(acc: number, row: number, offset: number): number[] {
  return [...get(acc), ...load(L_PX, offset), ...load(row, offset), ...F32X4_MUL, ...F32X4_ADD, ...set(acc)];
}

function laneSum(v: number): number[] {
  return [
    ...get(v),
    ...lane(0),
    ...get(v),
    ...lane(1),
    F32_ADD,
    ...get(v),
    ...lane(2),
    ...get(v),
    ...lane(3),
    F32_ADD,
    F32_ADD,
  ];
}

function kernelBody(): number[] {
  const rowBytes = [...get(P_TAPS8), ...i32c(2), I32_SHL];
  const code: number[] = [
    ...get(P_COUNT),
    I32_EQZ,
    0x04,
    0x40,
    0x0f,
    0x0b,
    ...i32c(0),
    ...set(L_I),
    0x03,
    0x40,
    // p = (m0 + i) * speed; fl = floor(p); phase = (p - fl) * phases
    ...get(P_M0),
    ...get(L_I),
    I32_ADD,
    F64_CONVERT_I32_S,
    ...get(P_SPEED),
    F64_MUL,
    ...tee(L_P),
    F64_FLOOR,
    ...set(L_FL),
    ...get(L_P),
    ...get(L_FL),
    F64_SUB,
    ...get(P_PHASES),
    F64_CONVERT_I32_S,
    F64_MUL,
    ...set(L_PHASE),
    // ph = min(phases - 1, trunc(phase))
    ...get(L_PHASE),
    I32_TRUNC_F64_S,
    ...set(L_PH),
    ...get(L_PH),
    ...get(P_PHASES),
    ...i32c(1),
    I32_SUB,
    ...get(L_PH),
    ...get(P_PHASES),
    ...i32c(1),
    I32_SUB,
    I32_LT_S,
    SELECT,
    ...set(L_PH),
    // pf = f32(phase - ph)
    ...get(L_PHASE),
    ...get(L_PH),
    F64_CONVERT_I32_S,
    F64_SUB,
    F32_DEMOTE_F64,
    ...set(L_PF),
    // px = x + (floor(p) - base) * 4; end = px + taps8 * 4
    ...get(P_X),
    ...get(L_FL),
    I32_TRUNC_F64_S,
    ...get(P_BASE),
    I32_SUB,
    ...i32c(2),
    I32_SHL,
    I32_ADD,
    ...tee(L_PX),
    ...rowBytes,
    I32_ADD,
    ...set(L_END),
    // pt0 = bank + ph * taps8 * 4; pt1 = pt0 + taps8 * 4
    ...get(P_BANK),
    ...get(L_PH),
    ...rowBytes,
    I32_MUL,
    I32_ADD,
    ...tee(L_PT0),
    ...rowBytes,
    I32_ADD,
    ...set(L_PT1),
    ...V128_ZERO,
    ...set(L_A0),
    ...V128_ZERO,
    ...set(L_A1),
    ...V128_ZERO,
    ...set(L_B0),
    ...V128_ZERO,
    ...set(L_B1),
    0x03,
    0x40,
    ...mac(L_A0, L_PT0, 0),
    ...mac(L_A1, L_PT0, 16),
    ...mac(L_B0, L_PT1, 0),
    ...mac(L_B1, L_PT1, 16),
    ...get(L_PT0),
    ...i32c(32),
    I32_ADD,
    ...set(L_PT0),
    ...get(L_PT1),
    ...i32c(32),
    I32_ADD,
    ...set(L_PT1),
    ...get(L_PX),
    ...i32c(32),
    I32_ADD,
    ...tee(L_PX),
    ...get(L_END),
    I32_LT_U,
    0x0d,
    0,
    0x0b,
    // s0, s1: lane sums; out[i] = s0 + pf * (s1 - s0)
    ...get(L_A0),
    ...get(L_A1),
    ...F32X4_ADD,
    ...set(L_A0),
    ...get(L_B0),
    ...get(L_B1),
    ...F32X4_ADD,
    ...set(L_B0),
    ...laneSum(L_A0),
    ...set(L_S0),
    ...laneSum(L_B0),
    ...set(L_S1),
    ...get(P_OUT),
    ...get(L_I),
    ...i32c(2),
    I32_SHL,
    I32_ADD,
    ...get(L_S0),
    ...get(L_PF),
    ...get(L_S1),
    ...get(L_S0),
    F32_SUB,
    F32_MUL,
    F32_ADD,
    F32_STORE,
    2,
    0,
    // while (++i < count)
    ...get(L_I),
    ...i32c(1),
    I32_ADD,
    ...tee(L_I),
    ...get(P_COUNT),
    I32_LT_U,
    0x0d,
    0,
    0x0b,
  ];
  const locals = vec([
    [6, I32],
    [3, F64],
    [4, V128],
    [3, F32],
  ]);
  return [...locals, ...code, 0x0b];
}

const moduleBytes = (): Uint8Array =>
  kernelModule([I32, I32, I32, I32, I32, F64, I32, I32, I32], kernelBody());

/** Round a tap count up to the kernel's step (8 floats). */
export const tapeSimdTaps = roundTaps8;

/**
 * One instance (its own memory) runs every call; the last bank used stays loaded, so grains that
 * share a bank upload it once.
 */
export class TapeSimdKernel {
  private mem: WasmMemory;
  private readonly fn: KernelFn;
  private bank: Float32Array | null = null;

  private constructor(api: WasmApi, module: object) {
    this.mem = new api.Memory({ initial: 4 });
    this.fn = new api.Instance(module, { m: { mem: this.mem } }).exports.run as KernelFn;
  }

  static create(): TapeSimdKernel | null {
    try {
      const module = compileKernel(moduleBytes());
      if (module === null || !wasmApi) return null;
      return new TapeSimdKernel(wasmApi, module);
    } catch {
      return null;
    }
  }

  /**
   * Outputs [m0, m0 + count) of the tape resampler into `y` (at the same indices): output m reads
   * x[floor(m * speed) - reach + 1 + k], k < taps8 (rows zero-padded to taps8), all inside `x`
   * plus at most 7 samples past its end (read as zeros).
   */
  run(
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
    const first = Math.floor(m0 * speed) - reach + 1;
    const last = Math.floor((m0 + count - 1) * speed) - reach + 1 + taps8;
    const xLen = Math.min(x.length, last) - first;
    const bankBytes = paddedBank.length * 4;
    const xBytes = (xLen + 8) * 4;
    const need = bankBytes + xBytes + count * 4;
    if (need > this.mem.buffer.byteLength) {
      this.mem.grow(Math.ceil((need - this.mem.buffer.byteLength) / WASM_PAGE));
      this.bank = null;
    }
    const buffer = this.mem.buffer;
    if (this.bank !== paddedBank) {
      new Float32Array(buffer, 0, paddedBank.length).set(paddedBank);
      this.bank = paddedBank;
    }
    const xs = new Float32Array(buffer, bankBytes, xLen + 8);
    xs.set(x.subarray(first, first + xLen));
    xs.fill(0, xLen);
    const outPtr = bankBytes + xBytes;
    this.fn(bankBytes, 0, outPtr, count, m0, speed, taps8, first + reach - 1, phases);
    y.set(new Float32Array(buffer, outPtr, count), m0);
  }
}
