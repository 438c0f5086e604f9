/**
 * Seam quality of a loop, measured the way the manifest reports it: the loop is played twice in a
 * row and the seam (last sample of one pass -> first sample of the next) is compared with the
 * rest of the loop.
 *
 * - click score: energy of the second difference x[n] - 2x[n-1] + x[n-2] (which a step or kink
 *   excites and a tone barely does) in the 2 ms centred on the seam, against the median of that
 *   energy over 2 ms windows elsewhere in the loop, in dB.
 * - dip score: RMS of the 50 ms centred on the seam against the median RMS of 50 ms windows
 *   elsewhere, in dB (mismatched material cancels in a crossfade and dips).
 *
 * Playing the loop twice and looking at the seam is the same as reading the loop circularly
 * (index -1 is the last sample), which is how it is computed here, without copying. The
 * "elsewhere" windows tile the rest of the loop without overlapping the seam window.
 * A seamless loop scores near 0 dB on both.
 */
import { ParameterError } from "../core/errors.js";
import { checkAudio, checkSampleRate } from "./check.js";

export interface SeamMetrics {
  /** Second-difference energy at the seam vs elsewhere, dB (0 = like anywhere else, high = click). */
  clickDb: number;
  /** RMS around the seam vs elsewhere, dB (0 = no dip, negative = dip). */
  dipDb: number;
}

export const CLICK_WINDOW_MS = 2;
export const DIP_WINDOW_MS = 50;

/** Shortest loop the dip score can measure: the seam window plus three windows elsewhere. */
export function minSeamLoopSamples(sampleRate: number): number {
  return 4 * Math.round((DIP_WINDOW_MS / 1000) * sampleRate);
}

export function seamMetrics(loop: Float32Array, sampleRate: number): SeamMetrics {
  checkAudio(loop, "loop");
  checkSampleRate(sampleRate);
  const min = minSeamLoopSamples(sampleRate);
  if (loop.length < min) {
    throw new ParameterError(
      `loop too short to measure its seam: ${loop.length} samples, need at least ${min} (${(4 * DIP_WINDOW_MS) / 1000} s)`,
    );
  }
  const cw = Math.max(4, Math.round((CLICK_WINDOW_MS / 1000) * sampleRate));
  const dw = Math.round((DIP_WINDOW_MS / 1000) * sampleRate);
  const n = loop.length;
  const second = (i: number): number => {
    const a = loop[(i + n) % n];
    const b = loop[(i - 1 + n) % n];
    const c = loop[(i - 2 + n) % n];
    return a - 2 * b + c;
  };
  const squareSum = (start: number, len: number, f: (i: number) => number): number => {
    let s = 0;
    for (let i = start; i < start + len; i++) {
      const v = f(i);
      s += v * v;
    }
    return s;
  };
  const sample = (i: number): number => loop[(i + n) % n];

  const clickSeam = squareSum(-(cw >> 1), cw, second);
  const clickElsewhere = tiles(n, cw).map((start) => squareSum(start, cw, second));
  const dipSeam = squareSum(-(dw >> 1), dw, sample);
  const dipElsewhere = tiles(n, dw).map((start) => squareSum(start, dw, sample));

  // A tiny floor keeps silence (and digital zero stretches) at a finite, meaningful 0 dB.
  const floorClick = 1e-24 * cw;
  const floorDip = 1e-24 * dw;
  return {
    clickDb: 10 * Math.log10((clickSeam + floorClick) / (median(clickElsewhere) + floorClick)),
    dipDb: 10 * Math.log10((dipSeam + floorDip) / (median(dipElsewhere) + floorDip)),
  };
}

/** Starts of non-overlapping windows of `w` covering the loop outside the seam window [-w/2, w/2). */
function tiles(n: number, w: number): number[] {
  const starts: number[] = [];
  const first = w - (w >> 1);
  for (let s = first; s + w <= n - (w >> 1); s += w) starts.push(s);
  return starts;
}

function median(values: number[]): number {
  const v = values.slice().sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}
