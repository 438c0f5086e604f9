/**
 * A few helpers to assemble small WebAssembly modules from opcodes in the source (no build step),
 * shared by the SIMD kernels of the resampler and the tape-speed shift.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** SIMD instructions (prefix 0xfd). */
export const simd = (code: number): number[] => [0xfd, ...uleb(code)];
export const V128_LOAD = simd(0x00);
export const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
/** f32x4.extract_lane k. */
export const lane = (k: number): number[] => [...simd(0x1f), k];

/**
 * A module with one exported function `run(params...)` (no results) over an imported memory
 * `m.mem`; `body` is the function body (locals and code, without the size prefix).
 */
export function kernelModule(params: readonly number[], body: readonly number[]): Uint8Array {
  const type = [0x60, ...uleb(params.length), ...params, 0x00];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([[...str("m"), ...str("mem"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str("run"), 0x00, 0x00]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number }) => WasmMemory;
}
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
export type KernelFn = (...args: number[]) => void;
export const WASM_PAGE = 65536;

/** Compile a kernel module; null when WebAssembly (SIMD) is not available. */
export function compileKernel(bytes: Uint8Array): object | null {
  try {
    return wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    return null;
  }
}

/** Round a tap count up to the kernels' step (two f32x4 vectors). */
export const roundTaps8 = (taps: number): number => Math.ceil(taps / 8) * 8;
