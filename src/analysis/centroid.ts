/**
 * Power-weighted mean spectral centroid of a finished texture (what the manifest reports and the
 * brightness tag uses), over up to ~64 Hann frames spread across the signal. Windowing, power
 * spectrum and the weighted sums run in the analysis kernel (kernel.ts), the FFT in PFFFT.
 */
import { type RealFft, realFft } from "../dsp/fft.js";
import { hannPeriodic } from "../dsp/window.js";
import { AnalysisWasm } from "./kernel.js";

const CENTROID_FFT = 2048;

class CentroidMeter {
  private readonly wasm = new AnalysisWasm();
  private readonly fft: RealFft = realFft(CENTROID_FFT);
  private readonly ptr: Record<"frame" | "window" | "windowed" | "spec" | "pow" | "sums", number>;
  readonly frame: Float32Array;
  private readonly windowed: Float32Array;
  private readonly spec: Float32Array;
  private readonly sums: Float64Array;

  constructor() {
    const w = this.wasm;
    const bytes = CENTROID_FFT * 4;
    this.ptr = {
      frame: w.alloc(bytes),
      window: w.alloc(bytes),
      windowed: w.alloc(bytes),
      spec: w.alloc(bytes),
      pow: w.alloc(bytes + 16),
      sums: w.alloc(16),
    };
    this.frame = w.f32(this.ptr.frame, CENTROID_FFT);
    w.f32(this.ptr.window, CENTROID_FFT).set(hannPeriodic(CENTROID_FFT));
    this.windowed = w.f32(this.ptr.windowed, CENTROID_FFT);
    this.spec = w.f32(this.ptr.spec, CENTROID_FFT);
    this.sums = w.f64(this.ptr.sums, 2);
  }

  meanCentroidHz(x: Float32Array, sampleRate: number): number {
    const n = CENTROID_FFT;
    const k = this.wasm.k;
    const p = this.ptr;
    this.sums.fill(0);
    const hop = Math.max(n / 2, Math.floor((x.length - n) / 64));
    for (let start = 0; ; start += hop) {
      // Past the end reads as zeros (only the last frame of a short input gets there).
      const avail = Math.max(0, Math.min(n, x.length - start));
      this.frame.set(x.subarray(start, start + avail));
      this.frame.fill(0, avail);
      k.windowMul(p.frame, p.window, p.windowed, n);
      this.fft.forwardOrdered(this.windowed, this.spec);
      k.powerOrdered(p.spec, p.pow, n);
      k.centroidSums(p.pow, n / 2 + 1, p.sums);
      if (start + hop + n > x.length) break;
    }
    const [num, den] = this.sums;
    return den > 0 ? (num / den) * (sampleRate / n) : 0;
  }
}

let meter: CentroidMeter | undefined;

/**
 * Power-weighted mean spectral centroid (Hz) over up to ~64 Hann frames spread across `x`: the
 * same measure the manifest reports, so a name's brightness tag agrees with its manifest row.
 */
export function meanCentroidHz(x: Float32Array, sampleRate: number): number {
  meter ??= new CentroidMeter();
  return meter.meanCentroidHz(x, sampleRate);
}
