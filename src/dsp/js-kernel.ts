/**
 * Base of the kernels' plain-JavaScript references (`*-reference.ts`): the same functions as the
 * WebAssembly kernel, over a memory addressed in bytes like the kernel's, so a wrapper runs on
 * either without knowing which (see `ReusedKernel`) and a test can compare them region by region.
 * Where a kernel computes in f32 (SIMD lanes), its reference rounds each step with Math.fround in
 * the kernel's order, which makes the two bit-identical.
 */
import type { KernelMemory } from "./wasm-module.js";

const PAGE = 65536;

/** A growable byte memory that behaves like a WebAssembly.Memory (growing detaches the old buffer). */
export class JsMemory implements KernelMemory {
  private bytes: ArrayBuffer;

  constructor(pages: number) {
    this.bytes = new ArrayBuffer(pages * PAGE);
  }

  get buffer(): ArrayBuffer {
    return this.bytes;
  }

  grow(pages: number): number {
    const old = this.bytes;
    const had = old.byteLength / PAGE;
    const next = new ArrayBuffer(old.byteLength + pages * PAGE);
    new Uint8Array(next).set(new Uint8Array(old));
    // Detach the old buffer, as WebAssembly does, so a stale view fails loudly instead of silently.
    structuredClone(old, { transfer: [old] });
    this.bytes = next;
    return had;
  }
}

/** Typed views on the whole memory, made again only after it grows. */
export abstract class JsKernel {
  readonly memory = new JsMemory(1);
  private viewsOf: ArrayBuffer | null = null;
  private f32v = new Float32Array(0);
  private f64v = new Float64Array(0);
  private i32v = new Int32Array(0);
  private dv = new DataView(new ArrayBuffer(0));

  /** Static data ends here (the references keep their state in fields, not in memory). */
  heapBase(): number {
    return 16;
  }

  private views(): void {
    const b = this.memory.buffer;
    if (this.viewsOf === b) return;
    this.viewsOf = b;
    this.f32v = new Float32Array(b);
    this.f64v = new Float64Array(b);
    this.i32v = new Int32Array(b);
    this.dv = new DataView(b);
  }

  /** The memory as f32 (index = byte address / 4). */
  protected get f32(): Float32Array {
    this.views();
    return this.f32v;
  }

  /** The memory as f64 (index = byte address / 8). */
  protected get f64(): Float64Array {
    this.views();
    return this.f64v;
  }

  /** The memory as i32 (index = byte address / 4). */
  protected get i32(): Int32Array {
    this.views();
    return this.i32v;
  }

  /** Byte-addressed, little-endian access. */
  protected get bytes(): DataView {
    this.views();
    return this.dv;
  }
}
