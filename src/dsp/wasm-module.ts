/**
 * Instances of the AssemblyScript kernels (assembly/, embedded as base64 by `npm run build`).
 * Each module is compiled once per thread; every instance has its own memory.
 */
import { type WasmMemory, wasmApi } from "./wasm-asm.js";

/** What every kernel module exports besides its functions. */
export interface KernelExports {
  memory: WasmMemory;
  /** First free byte after the module's static data. */
  heapBase(): number;
}

const compiled = new Map<string, object>();

/** A fresh instance of the module embedded as `base64` (`name` keys the compiled module). */
export function kernelInstance<E extends KernelExports>(name: string, base64: string): E {
  const api = wasmApi;
  if (!api) throw new Error("patina needs WebAssembly (Node.js 20 or newer)");
  let mod = compiled.get(name);
  if (!mod) {
    mod = new api.Module(new Uint8Array(Buffer.from(base64, "base64")));
    compiled.set(name, mod);
  }
  return new api.Instance(mod, {}).exports as unknown as E;
}

/**
 * One instance of a kernel module per thread, reused call after call. A call that grows the
 * instance's memory past `keepBytes` keeps that instance for itself only: the next call gets a
 * fresh, small one, so one long input does not pin its memory for the rest of the run.
 */
export class ReusedKernel<E extends KernelExports> {
  private instance: E | undefined;

  constructor(
    private readonly name: string,
    private readonly base64: string,
    private readonly keepBytes = 64 * 1024 * 1024,
  ) {}

  get(): E {
    this.instance ??= kernelInstance<E>(this.name, this.base64);
    return this.instance;
  }

  /** Grow `k`'s memory to hold `bytes` (a call's layout); returns its buffer. */
  reserve(k: E, bytes: number): ArrayBuffer {
    const buffer = ensureMemory(k.memory, bytes);
    if (bytes > this.keepBytes && this.instance === k) this.instance = undefined;
    return buffer;
  }
}

/** Grow `memory` so that it holds at least `bytes`; returns its (possibly new) buffer. */
export function ensureMemory(memory: WasmMemory, bytes: number): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  return memory.buffer;
}

export const WASM_PAGE = 65536;

/** Round a byte count up to 16 (v128 alignment). */
export const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/** Regions laid out one after another from `start`, each 16-byte aligned (a kernel's memory map). */
export class Layout {
  private at: number;
  constructor(start: number) {
    this.at = align16(start);
  }
  /** The next region of `bytes`; returns its byte address. */
  take(bytes: number): number {
    const ptr = this.at;
    this.at = align16(ptr + bytes);
    return ptr;
  }
  /** First byte after the regions taken so far. */
  get end(): number {
    return this.at;
  }
}
