/**
 * HPSS kernels (assembly/hpss.ts; plain-JavaScript reference in hpss-reference.ts) and the memory
 * of one separation: input, window, frame, spectrum, the magnitude spectrogram, the sliding
 * medians' state and the two masked spectra. The thread's shared instance, grown to the largest
 * separation seen.
 */
import { base64 } from "../generated/hpss-wasm.js";
import { HpssReference } from "./hpss-reference.js";
import { type KernelExports, Layout, ReusedKernel } from "./wasm-module.js";

export interface HpssExports extends KernelExports {
  setup(fftSize: number, win: number, buf: number): void;
  frameIn(x: number, xLen: number, centre: number): void;
  olaAdd(out: number, outLen: number, start: number): void;
  magnitudes(spec: number, row: number): void;
  medianAlongTime(mag: number, frames: number, hk: number, windows: number, ring: number): void;
  masks(
    spec: number,
    harm: number,
    m: number,
    perc: number,
    window: number,
    pk: number,
    p: number,
    hSpec: number,
    pSpec: number,
  ): void;
}

export const hpssKernel = new ReusedKernel<HpssExports>("hpss", base64, () => new HpssReference());

export class HpssFrames {
  /** The windowed frame after `frameIn`. */
  readonly frame: Float32Array;
  /** Where the frame's spectrum goes (PFFFT's ordered layout). */
  readonly spectrum: Float32Array;
  readonly harmonicSpectrum: Float32Array;
  readonly percussiveSpectrum: Float32Array;
  /** Overlap-add accumulators of the two parts (input length, zeroed). */
  readonly harmonicOut: Float32Array;
  readonly percussiveOut: Float32Array;
  private readonly k: HpssExports;
  private readonly p: Record<
    "x" | "spec" | "mag" | "windows" | "ring" | "m" | "perc" | "fwin" | "hSpec" | "pSpec" | "outH" | "outP",
    number
  >;
  private readonly xLen: number;
  private readonly bins: number;

  constructor(
    x: Float32Array,
    window: Float32Array,
    private readonly frames: number,
    private readonly hk: number,
    private readonly pk: number,
  ) {
    const k = hpssKernel.get();
    this.k = k;
    const n = window.length;
    const bins = n / 2 + 1;
    this.bins = bins;
    this.xLen = x.length;
    const layout = new Layout(k.heapBase());
    const take = (bytes: number): number => layout.take(bytes);
    const win = take(n * 4);
    const buf = take(n * 4);
    this.p = {
      x: take(x.length * 4),
      spec: take(n * 4),
      mag: take(frames * bins * 4),
      windows: take(bins * hk * 4),
      ring: take((hk + 1) * bins * 4),
      m: take(bins * 4),
      perc: take(bins * 4),
      fwin: take(pk * 4),
      hSpec: take(n * 4),
      pSpec: take(n * 4),
      outH: take(x.length * 4),
      outP: take(x.length * 4),
    };
    const buffer = hpssKernel.reserve(k, layout.end);
    new Float32Array(buffer, this.p.x, x.length).set(x);
    new Float32Array(buffer, win, n).set(window);
    this.frame = new Float32Array(buffer, buf, n);
    this.spectrum = new Float32Array(buffer, this.p.spec, n);
    this.harmonicSpectrum = new Float32Array(buffer, this.p.hSpec, n);
    this.percussiveSpectrum = new Float32Array(buffer, this.p.pSpec, n);
    this.harmonicOut = new Float32Array(buffer, this.p.outH, x.length).fill(0);
    this.percussiveOut = new Float32Array(buffer, this.p.outP, x.length).fill(0);
    k.setup(n, win, buf);
  }

  frameIn(centre: number): void {
    this.k.frameIn(this.p.x, this.xLen, centre);
  }

  /** Overlap-add `frame` (windowed) into the harmonic or percussive accumulator from sample `start`. */
  overlapAdd(part: "harmonic" | "percussive", start: number): void {
    this.k.olaAdd(part === "harmonic" ? this.p.outH : this.p.outP, this.xLen, start);
  }

  /** Row t of the spectrogram = the magnitudes of `spectrum`. */
  magnitudes(t: number): void {
    this.k.magnitudes(this.p.spec, this.p.mag + t * this.bins * 4);
  }

  /** Every row replaced by its median along time (hk frames). */
  medianAlongTime(): void {
    this.k.medianAlongTime(this.p.mag, this.frames, this.hk, this.p.windows, this.p.ring);
  }

  /** Split `spectrum` (frame t) into `harmonicSpectrum` and `percussiveSpectrum` with soft masks. */
  masks(t: number, power: number): void {
    const p = this.p;
    this.k.masks(p.spec, p.mag + t * this.bins * 4, p.m, p.perc, p.fwin, this.pk, power, p.hSpec, p.pSpec);
  }
}
