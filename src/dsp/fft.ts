/**
 * Real FFT on PFFFT (WebAssembly, SIMD). Measured here as the fastest option (see LIBRARIES.md);
 * this wrapper keeps the wasm buffers per instance so a transform costs two copies and the FFT.
 *
 * Spectrum layout used across patina: interleaved complex, `size + 2` floats,
 * `[re0, im0, re1, im1, ..., re(N/2), im(N/2)]` (bins 0..N/2).
 */
import createPffft, { type PffftModule } from "@echogarden/pffft-wasm/simd";
import { ParameterError } from "../core/errors.js";

const PFFFT_REAL = 0;
const PFFFT_FORWARD = 0;
const PFFFT_BACKWARD = 1;

const pffft: PffftModule = await createPffft();

export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly setup: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private readonly workPtr: number;
  private readonly spectrum: Float32Array;

  constructor(size: number) {
    // PFFFT real transforms need N a multiple of 32 with only factors 2, 3, 5.
    if (!Number.isInteger(size) || size < 32 || size % 32 !== 0 || !onlySmallFactors(size)) {
      throw new ParameterError(`FFT size must be a multiple of 32 with factors 2, 3, 5 only, got: ${size}`);
    }
    this.size = size;
    this.bins = size / 2 + 1;
    this.setup = pffft._pffft_new_setup(size, PFFFT_REAL);
    if (this.setup === 0) throw new ParameterError(`PFFFT refused FFT size ${size}`);
    this.inPtr = pffft._pffft_aligned_malloc(size * 4);
    this.outPtr = pffft._pffft_aligned_malloc(size * 4);
    this.workPtr = pffft._pffft_aligned_malloc(size * 4);
    this.spectrum = new Float32Array(size);
  }

  /** Forward transform (unscaled). `input` has `size` samples; `out` gets `size + 2` floats. */
  forward(input: Float32Array, out: Float32Array = new Float32Array(this.size + 2)): Float32Array {
    const n = this.size;
    const heap = this.transformForward(input);
    const o = this.outPtr >> 2;
    // PFFFT ordered real output: [r0, r(N/2), r1, i1, r2, i2, ...].
    out[0] = heap[o];
    out[1] = 0;
    out.set(heap.subarray(o + 2, o + n), 2);
    out[n] = heap[o + 1];
    out[n + 1] = 0;
    return out;
  }

  /** Inverse transform, scaled by 1/N so that inverse(forward(x)) = x. */
  inverse(spectrum: Float32Array, out: Float32Array = new Float32Array(this.size)): Float32Array {
    this.inverseUnscaled(spectrum, out);
    scaleInPlace(out, 1 / this.size);
    return out;
  }

  /** Inverse transform without the 1/N (callers that scale anyway fold it in): N x the input. */
  inverseUnscaled(spectrum: Float32Array, out: Float32Array = new Float32Array(this.size)): Float32Array {
    const n = this.size;
    if (spectrum.length !== n + 2) {
      throw new ParameterError(`inverse FFT input must have ${n + 2} floats, got: ${spectrum.length}`);
    }
    if (out.length !== n)
      throw new ParameterError(`inverse FFT output must have ${n} floats, got: ${out.length}`);
    let heap = pffft.HEAPF32;
    const i = this.inPtr >> 2;
    heap[i] = spectrum[0];
    heap[i + 1] = spectrum[n];
    heap.set(spectrum.subarray(2, n), i + 2);
    pffft._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, PFFFT_BACKWARD);
    heap = pffft.HEAPF32;
    const o = this.outPtr >> 2;
    out.set(heap.subarray(o, o + n));
    return out;
  }

  /**
   * Inverse transform without the 1/N of a spectrum in PFFFT's ordered layout (see
   * `forwardOrdered`) into `out` (`size` floats): N x the signal.
   */
  inverseOrderedUnscaled(ordered: Float32Array, out: Float32Array): Float32Array {
    const n = this.size;
    if (ordered.length !== n || out.length !== n) {
      throw new ParameterError(`ordered spectrum and output must have ${n} floats`);
    }
    pffft.HEAPF32.set(ordered, this.inPtr >> 2);
    pffft._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, PFFFT_BACKWARD);
    const o = this.outPtr >> 2;
    out.set(pffft.HEAPF32.subarray(o, o + n));
    return out;
  }

  /** Power spectrum |X[k]|^2 of `input` into `out` (length `bins`), with no intermediate buffer. */
  power(input: Float32Array, out: Float32Array = new Float32Array(this.bins)): Float32Array {
    return this.powerFromHeap(this.transformForward(input), out);
  }

  /**
   * Forward transform into `out` (`size` floats) in PFFFT's own ordered real layout
   * `[r0, r(N/2), r1, i1, r2, i2, ...]`, one bulk copy: for kernels that read the spectrum raw.
   */
  forwardOrdered(input: Float32Array, out: Float32Array): Float32Array {
    const n = this.size;
    if (out.length !== n) throw new ParameterError(`FFT output must have ${n} floats, got: ${out.length}`);
    const heap = this.transformForward(input);
    const o = this.outPtr >> 2;
    out.set(heap.subarray(o, o + n));
    return out;
  }

  private powerFromHeap(heap: Float32Array, out: Float32Array): Float32Array {
    const n = this.size;
    // One bulk copy out of the wasm heap first: element reads through the heap view cost about
    // twice those of an ordinary array here.
    const s = this.spectrum;
    const o = this.outPtr >> 2;
    s.set(heap.subarray(o, o + n));
    out[0] = s[0] * s[0];
    out[n / 2] = s[1] * s[1];
    for (let k = 1; k < n / 2; k++) {
      const re = s[2 * k];
      const im = s[2 * k + 1];
      out[k] = re * re + im * im;
    }
    return out;
  }

  /** Run the forward transform into the wasm output buffer; returns the (possibly regrown) heap. */
  private transformForward(input: Float32Array): Float32Array {
    const n = this.size;
    if (input.length !== n)
      throw new ParameterError(`FFT input must have ${n} samples, got: ${input.length}`);
    pffft.HEAPF32.set(input, this.inPtr >> 2);
    pffft._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, PFFFT_FORWARD);
    return pffft.HEAPF32;
  }

  /** Release the wasm memory. The instance must not be used afterwards. */
  dispose(): void {
    pffft._pffft_aligned_free(this.inPtr);
    pffft._pffft_aligned_free(this.outPtr);
    pffft._pffft_aligned_free(this.workPtr);
    pffft._pffft_destroy_setup(this.setup);
  }
}

function onlySmallFactors(n: number): boolean {
  for (const f of [2, 3, 5]) while (n % f === 0) n /= f;
  return n === 1;
}

/** Smallest FFT size PFFFT accepts (multiple of 32, factors 2, 3, 5) that is >= n. */
export function fftSizeAtLeast(n: number): number {
  let best = 32;
  while (best < n) best *= 2;
  for (const f of [3, 5, 9, 15, 25, 27, 45]) {
    let p = 32 * f;
    while (p < n) p *= 2;
    if (p < best) best = p;
  }
  return best;
}

const cache = new Map<number, RealFft>();

/** A shared transform of the given size (instances are stateless between calls, so sharing is safe). */
export function realFft(size: number): RealFft {
  let f = cache.get(size);
  if (!f) {
    f = new RealFft(size);
    cache.set(size, f);
  }
  return f;
}

/**
 * `b` becomes conj(a) * b, bin by bin (spectra in the interleaved layout): the cross spectrum whose
 * inverse transform is the circular cross-correlation sum_i a[i] b[i + lag].
 */
export function crossSpectrumInto(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length !== b.length) throw new ParameterError(`spectra differ in length: ${a.length} vs ${b.length}`);
  for (let k = 0; k < a.length; k += 2) {
    const ar = a[k];
    const ai = a[k + 1];
    const br = b[k];
    const bi = b[k + 1];
    b[k] = ar * br + ai * bi;
    b[k + 1] = ar * bi - ai * br;
  }
  return b;
}

/** x[k] *= g (its own function so V8 optimises the loop alone, see dsp/loop.ts). */
function scaleInPlace(x: Float32Array, g: number): void {
  for (let k = 0; k < x.length; k++) x[k] *= g;
}
