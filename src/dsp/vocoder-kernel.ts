/**
 * The phase vocoder's per-frame kernels (assembly/vocoder.ts; plain-JavaScript reference in
 * vocoder-reference.ts) and the memory of one stretch: input, window, frame, two analysis
 * spectra, synthesis spectrum and two phase arrays, laid out once per call in the thread's shared
 * instance, which grows to the largest stretch seen.
 */
import { base64 } from "../generated/vocoder-wasm.js";
import { VocoderReference } from "./vocoder-reference.js";
import { type KernelExports, Layout, ReusedKernel } from "./wasm-module.js";

export interface VocoderExports extends KernelExports {
  atan2(y: number, x: number): number;
  sincos(t: number): void;
  sinResult(): number;
  cosResult(): number;
  setup(fftSize: number, win: number, buf: number, mag2: number, peaks: number): void;
  frameIn(x: number, xLen: number, centre: number): void;
  olaAdd(out: number, outLen: number, start: number): void;
  synthFrame(
    spec: number,
    prevSpec: number,
    theta: number,
    prevTheta: number,
    synth: number,
    reset: number,
    locking: number,
    ha: number,
    hs: number,
  ): void;
}

export const vocoderKernel = new ReusedKernel<VocoderExports>(
  "vocoder",
  base64,
  () => new VocoderReference(),
);
const kernels = (): VocoderExports => vocoderKernel.get();

/** The kernels' polynomial atan2 (within 1e-8 rad of Math.atan2). */
export function vocoderAtan2(y: number, x: number): number {
  return kernels().atan2(y, x);
}

/** The kernels' polynomial sine and cosine, as [sin, cos] (within 1e-9 for |t| <= 100). */
export function vocoderSinCos(t: number): [number, number] {
  const k = kernels();
  k.sincos(t);
  return [k.sinResult(), k.cosResult()];
}

/** One stretch's frame loop state in the kernels' memory (valid until the next `vocoderFrames`). */
export class VocoderFrames {
  /** The current frame: windowed input after `frameIn`, the inverse transform's output after that. */
  readonly frame: Float32Array;
  private readonly k: VocoderExports;
  private readonly xPtr: number;
  private readonly xLen: number;
  private readonly specPtr: [number, number];
  private readonly thetaPtr: [number, number];
  private readonly synthPtr: number;
  private readonly specs: [Float32Array, Float32Array];
  private readonly synthView: Float32Array;
  /** Which of the two spectrum / phase slots holds the current frame. */
  private cur = 0;

  /** The overlap-add accumulator (`outLength` samples, zeroed), for an OverlapAdd built on it. */
  readonly accumulator: Float32Array;
  private readonly outPtr: number;
  private readonly outLen: number;

  constructor(x: Float32Array, window: Float32Array, outLength: number) {
    const k = kernels();
    this.k = k;
    const n = window.length;
    const bins = n / 2 + 1;
    const layout = new Layout(k.heapBase());
    const take = (bytes: number): number => layout.take(bytes);
    this.xPtr = take(x.length * 4);
    this.xLen = x.length;
    const win = take(n * 4);
    const buf = take(n * 4);
    this.specPtr = [take(n * 4), take(n * 4)];
    this.synthPtr = take(n * 4);
    this.thetaPtr = [take(bins * 4), take(bins * 4)];
    const mag2 = take(bins * 4);
    const peaks = take((bins + 1) * 4);
    this.outPtr = take(outLength * 4);
    this.outLen = outLength;
    const buffer = vocoderKernel.reserve(k, layout.end);
    new Float32Array(buffer, this.xPtr, x.length).set(x);
    new Float32Array(buffer, win, n).set(window);
    this.frame = new Float32Array(buffer, buf, n);
    this.specs = [new Float32Array(buffer, this.specPtr[0], n), new Float32Array(buffer, this.specPtr[1], n)];
    this.synthView = new Float32Array(buffer, this.synthPtr, n);
    this.accumulator = new Float32Array(buffer, this.outPtr, outLength).fill(0);
    k.setup(n, win, buf, mag2, peaks);
  }

  /** `frame` = the windowed input centred on sample `centre` (zeros outside the input). */
  frameIn(centre: number): void {
    this.k.frameIn(this.xPtr, this.xLen, centre);
  }

  /** Overlap-add `frame` (windowed) into the accumulator from output sample `start`. */
  overlapAdd(start: number): void {
    this.k.olaAdd(this.outPtr, this.outLen, start);
  }

  /** Where the current frame's analysis spectrum goes (PFFFT's ordered layout). */
  get spectrum(): Float32Array {
    return this.specs[this.cur];
  }

  /** The synthesis spectrum written by `synthesise`. */
  get synthesis(): Float32Array {
    return this.synthView;
  }

  /**
   * Build the synthesis spectrum from the current and previous analysis spectra (see
   * assembly/vocoder.ts), then make the current frame the previous one.
   */
  synthesise(reset: boolean, locking: boolean, ha: number, hs: number): void {
    const c = this.cur;
    const p = 1 - c;
    this.k.synthFrame(
      this.specPtr[c],
      this.specPtr[p],
      this.thetaPtr[c],
      this.thetaPtr[p],
      this.synthPtr,
      reset ? 1 : 0,
      locking ? 1 : 0,
      ha,
      hs,
    );
    this.cur = p;
  }
}
