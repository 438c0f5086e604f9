/** A Float32Array that grows by doubling, for per-frame features of unknown count. */
export class GrowableFloat32 {
  private data: Float32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float32Array(Math.max(16, initialCapacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  /** Append `count` values from `src` starting at `from`. */
  pushFrom(src: Float32Array, from: number, count: number): void {
    if (this.length + count > this.data.length) this.grow(this.length + count);
    for (let i = 0; i < count; i++) this.data[this.length + i] = src[from + i];
    this.length += count;
  }

  /** Drop values beyond the first `n`. */
  truncate(n: number): void {
    if (n < this.length) this.length = Math.max(0, n);
  }

  /** A compact copy of the values (frees the spare capacity once this object is dropped). */
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Float32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
