/**
 * The resampler's inner loop as a tiny WebAssembly SIMD function (four f32 lanes, two accumulators):
 * for each output i, out[i] = sum_j x[q + j] * table[r * taps + j], then q += lq, r += lr (carry at m).
 * Plain JavaScript tops out near 0.3-0.5 G multiply-adds/s here; this runs several times faster. The
 * module is assembled below from opcodes (no build step); where WebAssembly SIMD is missing, `null` is
 * returned and the caller keeps its JavaScript loop.
 */
import {
  compileKernel,
  F32X4_ADD,
  F32X4_MUL,
  I32,
  type KernelFn,
  kernelModule,
  lane,
  roundTaps8,
  sleb,
  uleb,
  V128,
  V128_ZERO as V128_CONST0,
  V128_LOAD,
  vec,
  WASM_PAGE,
  type WasmApi,
  type WasmMemory,
  wasmApi,
} from "./wasm-asm.js";

// Value types and opcodes used (WebAssembly core + SIMD proposal, now standard).
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  f32store: 0x38,
  i32const: 0x41,
  i32eqz: 0x45,
  i32ltU: 0x49,
  i32geU: 0x4f,
  i32add: 0x6a,
  i32sub: 0x6b,
  i32mul: 0x6c,
  i32shl: 0x74,
  f32add: 0x92,
} as const;

// Parameters (all i32; pointers are byte addresses).
const P_X = 0; // input samples
const P_TAB = 1; // coefficient rows, `taps` floats each (a multiple of 8, zero-padded)
const P_OUT = 2;
const P_COUNT = 3;
const P_Q = 4; // index in x of output 0's first tap
const P_R = 5; // phase of output 0
const P_LQ = 6;
const P_LR = 7;
const P_M = 8;
const P_TAPS = 9;
// Locals after the parameters.
const L_I = 10;
const L_PX = 11;
const L_PT = 12;
const L_END = 13;
const L_A = 14; // v128
const L_B = 15; // v128

const get = (i: number): number[] => [op.get, i];
const set = (i: number): number[] => [op.set, i];
const i32 = (n: number): number[] => [op.i32const, ...sleb(n)];
const load = (ptrLocal: number, offset: number): number[] => [
  ...get(ptrLocal),
  ...V128_LOAD,
  0,
  ...uleb(offset),
];

function kernelBody(): number[] {
  const code: number[] = [
    // if count == 0 return
    ...get(P_COUNT),
    op.i32eqz,
    op.if,
    0x40,
    0x0f, // return
    op.end,
    ...i32(0),
    ...set(L_I),
    op.loop,
    0x40,
    // px = x + q*4; pt = tab + r*taps*4; end = px + taps*4
    ...get(P_X),
    ...get(P_Q),
    ...i32(2),
    op.i32shl,
    op.i32add,
    op.tee,
    L_PX,
    ...get(P_TAPS),
    ...i32(2),
    op.i32shl,
    op.i32add,
    ...set(L_END),
    ...get(P_TAB),
    ...get(P_R),
    ...get(P_TAPS),
    op.i32mul,
    ...i32(2),
    op.i32shl,
    op.i32add,
    ...set(L_PT),
    ...V128_CONST0,
    ...set(L_A),
    ...V128_CONST0,
    ...set(L_B),
    op.loop,
    0x40,
    // a += x[px..px+4] * t[pt..pt+4]; b += the next four
    ...get(L_A),
    ...load(L_PX, 0),
    ...load(L_PT, 0),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(L_A),
    ...get(L_B),
    ...load(L_PX, 16),
    ...load(L_PT, 16),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(L_B),
    ...get(L_PT),
    ...i32(32),
    op.i32add,
    ...set(L_PT),
    ...get(L_PX),
    ...i32(32),
    op.i32add,
    op.tee,
    L_PX,
    ...get(L_END),
    op.i32ltU,
    op.brIf,
    0,
    op.end,
    // out[i] = sum of the lanes of a + b
    ...get(P_OUT),
    ...get(L_I),
    ...i32(2),
    op.i32shl,
    op.i32add,
    ...get(L_A),
    ...get(L_B),
    ...F32X4_ADD,
    ...set(L_A),
    ...get(L_A),
    ...lane(0),
    ...get(L_A),
    ...lane(1),
    op.f32add,
    ...get(L_A),
    ...lane(2),
    ...get(L_A),
    ...lane(3),
    op.f32add,
    op.f32add,
    op.f32store,
    2,
    0,
    // q += lq; r += lr; if (r >= m) { r -= m; q += 1 }
    ...get(P_Q),
    ...get(P_LQ),
    op.i32add,
    ...set(P_Q),
    ...get(P_R),
    ...get(P_LR),
    op.i32add,
    op.tee,
    P_R,
    ...get(P_M),
    op.i32geU,
    op.if,
    0x40,
    ...get(P_R),
    ...get(P_M),
    op.i32sub,
    ...set(P_R),
    ...get(P_Q),
    ...i32(1),
    op.i32add,
    ...set(P_Q),
    op.end,
    // while (++i < count)
    ...get(L_I),
    ...i32(1),
    op.i32add,
    op.tee,
    L_I,
    ...get(P_COUNT),
    op.i32ltU,
    op.brIf,
    0,
    op.end,
  ];
  const locals = vec([
    [4, I32],
    [2, V128],
  ]);
  return [...locals, ...code, op.end];
}

const moduleBytes = (): Uint8Array => kernelModule(new Array(10).fill(I32), kernelBody());

/** Compiled once per process (immutable, like any other code); null when SIMD is not available. */
let compiled: object | null | undefined;

function compiledModule(): object | null {
  if (compiled === undefined) compiled = compileKernel(moduleBytes());
  return compiled;
}

/** Round a tap count up to the kernel's step (8 floats). */
export const simdTaps = roundTaps8;

/** One resampler's SIMD kernel: its coefficient table and scratch space in its own memory. */
export class SimdKernel {
  private readonly mem: WasmMemory;
  private readonly fn: KernelFn;
  private readonly tableBytes: number;
  private readonly taps: number;

  private constructor(api: WasmApi, module: object, table: Float32Array, taps: number) {
    this.taps = taps;
    this.tableBytes = table.length * 4;
    this.mem = new api.Memory({ initial: Math.ceil((this.tableBytes + WASM_PAGE) / WASM_PAGE) });
    const inst = new api.Instance(module, { m: { mem: this.mem } });
    this.fn = inst.exports.run as KernelFn;
    new Float32Array(this.mem.buffer, 0, table.length).set(table);
  }

  /** A kernel for rows of `taps` floats (a multiple of 8, zero-padded), or null without SIMD support. */
  static create(table: Float32Array, taps: number): SimdKernel | null {
    const m = compiledModule();
    if (!m || !wasmApi || taps % 8 !== 0) return null;
    return new SimdKernel(wasmApi, m, table, taps);
  }

  /**
   * Outputs for `count` instants: the first's taps start at x[q] with phase r. `x` must hold the taps'
   * reach (q + (count - 1) * step + taps); anything after its end reads as zero.
   */
  run(x: Float32Array, count: number, q: number, r: number, lq: number, lr: number, m: number): Float32Array {
    const xBytes = (x.length + 8) * 4;
    const need = this.tableBytes + xBytes + count * 4;
    if (need > this.mem.buffer.byteLength) {
      this.mem.grow(Math.ceil((need - this.mem.buffer.byteLength) / WASM_PAGE));
    }
    const xPtr = this.tableBytes;
    const xs = new Float32Array(this.mem.buffer, xPtr, x.length + 8);
    xs.set(x);
    xs.fill(0, x.length);
    const outPtr = xPtr + xBytes;
    this.fn(xPtr, 0, outPtr, count, q, r, lq, lr, m, this.taps);
    return new Float32Array(this.mem.buffer, outPtr, count).slice();
  }
}
