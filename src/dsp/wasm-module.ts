/**
 * The one way patina holds kernel instances: the AssemblyScript kernels in assembly/ (embedded as
 * base64 by `npm run build`) or, with PATINA_KERNELS=js, their plain-JavaScript references
 * (`*-reference.ts` beside each wrapper), which expose the same functions over the same memory
 * layout. Each module is compiled once per thread; every instance has its own memory.
 */
import { ConfigError } from "../core/errors.js";
import { JsKernel } from "./js-kernel.js";

/** A kernel's linear memory (a WebAssembly.Memory, or the references' stand-in). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** What every kernel module exports besides its functions. */
export interface KernelExports {
  memory: KernelMemory;
  /** First free byte after the module's static data. */
  heapBase(): number;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const WASM_PAGE = 65536;

/** Which implementation the kernels run on. */
export type KernelBackend = "wasm" | "js";

/**
 * The backend chosen by the environment: `PATINA_KERNELS=js` runs every kernel on its
 * plain-JavaScript reference (to check a result or debug a kernel), unset or `wasm` on WebAssembly.
 */
export function kernelBackend(): KernelBackend {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.PATINA_KERNELS;
  if (v === undefined || v === "" || v === "wasm") return "wasm";
  if (v === "js") return "js";
  throw new ConfigError(`PATINA_KERNELS must be "wasm" or "js", got: "${v}"`, { keyPath: "PATINA_KERNELS" });
}

const compiled = new Map<string, object>();

/** Released instances kept per kernel for reuse. */
const MAX_IDLE = 4;

/**
 * The instances of one kernel module in this thread, reused call after call. A call that finishes
 * before the next begins borrows the shared instance (`get`); a holder that keeps its memory across
 * calls (an analyser, a streaming resampler) takes one for itself (`acquire`) and hands it back
 * (`release`). An instance grown past `keepBytes` is not reused, so one long input does not pin its
 * memory for the rest of the run.
 */
export class ReusedKernel<E extends KernelExports> {
  /** Idle instances, the most recently used last (`get` lends that one). */
  private readonly idle: E[] = [];
  private made = 0;

  constructor(
    private readonly name: string,
    private readonly base64: string,
    /** A fresh instance of the kernel's plain-JavaScript reference. */
    private readonly reference: () => E & JsKernel,
    private readonly keepBytes = 64 * 1024 * 1024,
  ) {}

  /** How many instances this holder has made (both backends). */
  get instancesMade(): number {
    return this.made;
  }

  /** The shared instance, for a call that is over before the next one starts. */
  get(): E {
    const backend = kernelBackend();
    const top = this.idle[this.idle.length - 1];
    if (top !== undefined && backendOf(top) === backend) return top;
    const k = this.create(backend);
    this.idle.push(k);
    return k;
  }

  /** An instance for the caller alone until it calls `release` (its memory keeps what it holds). */
  acquire(): E {
    const backend = kernelBackend();
    const top = this.idle[this.idle.length - 1];
    if (top !== undefined && backendOf(top) === backend) return this.idle.pop() as E;
    return this.create(backend);
  }

  /** Hand back an acquired instance: the caller must not use it, or views on its memory, afterwards. */
  release(k: E): void {
    if (k.memory.buffer.byteLength > this.keepBytes || this.idle.includes(k)) return;
    this.idle.push(k);
    if (this.idle.length > MAX_IDLE) this.idle.shift();
  }

  /** Grow `k`'s memory to hold `bytes` (a call's layout); returns its buffer. */
  reserve(k: E, bytes: number): ArrayBuffer {
    const buffer = ensureMemory(k.memory, bytes);
    if (bytes > this.keepBytes) {
      const at = this.idle.indexOf(k);
      if (at >= 0) this.idle.splice(at, 1);
    }
    return buffer;
  }

  /** A new instance on `backend`, outside the pool (to compare the two backends). */
  instance(backend: KernelBackend): E {
    return this.create(backend);
  }

  private create(backend: KernelBackend): E {
    this.made++;
    if (backend === "js") return this.reference();
    if (!wasmApi) throw new Error("patina needs WebAssembly (Node.js 20 or newer), or PATINA_KERNELS=js");
    let mod = compiled.get(this.name);
    if (!mod) {
      mod = new wasmApi.Module(new Uint8Array(Buffer.from(this.base64, "base64")));
      compiled.set(this.name, mod);
    }
    return new wasmApi.Instance(mod, {}).exports as unknown as E;
  }
}

const backendOf = (k: KernelExports): KernelBackend => (k instanceof JsKernel ? "js" : "wasm");

/** Grow `memory` so that it holds at least `bytes`; returns its (possibly new) buffer. */
export function ensureMemory(memory: KernelMemory, bytes: number): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  return memory.buffer;
}

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
