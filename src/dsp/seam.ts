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
  // The seam windows wrap around the loop end (the loop played twice); the windows elsewhere lie
  // inside the loop, so they are summed directly, without index wrapping, in one pass each.
  const wrap = (i: number): number => loop[((i % n) + n) % n];
  let clickSeam = 0;
  for (let i = -(cw >> 1); i < -(cw >> 1) + cw; i++) {
    const v = wrap(i) - 2 * wrap(i - 1) + wrap(i - 2);
    clickSeam += v * v;
  }
  let dipSeam = 0;
  for (let i = -(dw >> 1); i < -(dw >> 1) + dw; i++) dipSeam += wrap(i) * wrap(i);
  const clickElsewhere = tileEnergies(loop, cw, true);
  const dipElsewhere = tileEnergies(loop, dw, false);

  // A tiny floor keeps silence (and digital zero stretches) at a finite, meaningful 0 dB.
  const floorClick = 1e-24 * cw;
  const floorDip = 1e-24 * dw;
  return {
    clickDb: 10 * Math.log10((clickSeam + floorClick) / (median(clickElsewhere) + floorClick)),
    dipDb: 10 * Math.log10((dipSeam + floorDip) / (median(dipElsewhere) + floorDip)),
  };
}

/**
 * Energies of non-overlapping windows of `w` covering the loop outside the seam window [-w/2, w/2),
 * of the signal itself or (with `secondDifference`) of x[i] - 2x[i-1] + x[i-2].
 */
function tileEnergies(x: Float32Array, w: number, secondDifference: boolean): Float64Array {
  const n = x.length;
  const first = w - (w >> 1);
  const count = Math.max(0, Math.floor((n - (w >> 1) - first) / w));
  const out = new Float64Array(count);
  // Two loops in two functions: V8 then optimises each for its own kind of call.
  if (secondDifference) slopeTiles(x, w, first, out);
  else energyTiles(x, w, first, out);
  return out;
}

function slopeTiles(x: Float32Array, w: number, first: number, out: Float64Array): void {
  for (let t = 0; t < out.length; t++) {
    const start = first + t * w;
    let e = 0;
    for (let i = start; i < start + w; i++) {
      const v = x[i] - 2 * x[i - 1] + x[i - 2];
      e += v * v;
    }
    out[t] = e;
  }
}

function energyTiles(x: Float32Array, w: number, first: number, out: Float64Array): void {
  for (let t = 0; t < out.length; t++) {
    const start = first + t * w;
    let e = 0;
    for (let i = start; i < start + w; i++) e += x[i] * x[i];
    out[t] = e;
  }
}

function median(values: Float64Array): number {
  const v = values.slice().sort();
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/**
 * Where to start a circular loop so its seam looks like anywhere else in it: the rotation whose
 * seam windows (the seam metric's 2 ms second-difference energy and 50 ms RMS, see dsp/seam.ts)
 * are closest to the loop's median windows. Every rotation of a circular signal is equally
 * continuous; this only keeps the seam off a drum hit or a tremolo trough.
 */
export function bestSeamRotation(x: Float32Array, sampleRate: number): number {
  const n = x.length;
  const cw = Math.max(4, Math.round((CLICK_WINDOW_MS / 1000) * sampleRate));
  const dw = Math.round((DIP_WINDOW_MS / 1000) * sampleRate);
  if (n < 4 * dw) return 0;
  // Prefix sums over two periods and one window so windows that wrap are plain differences (the
  // last rotations' windows reach half a window into a third period).
  const pc = new Float64Array(2 * n + dw + 1);
  const pe = new Float64Array(2 * n + dw + 1);
  circularPrefixEnergies(x, pc, pe);
  const mc = medianWindowEnergy(cw, pc, n) + 1e-30;
  const md = medianWindowEnergy(dw, pe, n) + 1e-30;
  return leastSeamCost(pc, pe, n, cw, dw, mc, md);
}

// The loops below live in functions of their own (see dsp/loop.ts: fewer bail-outs after OSR).

/** Prefix sums of x's second difference squared (pc) and of x^2 (pe), x read circularly. */
function circularPrefixEnergies(x: Float32Array, pc: Float64Array, pe: Float64Array): void {
  const n = x.length;
  for (let i = 0; i + 1 < pc.length; i++) {
    const j = i % n;
    const d = x[j] - 2 * x[(j - 1 + n) % n] + x[(j - 2 + n) % n];
    pc[i + 1] = pc[i] + d * d;
    pe[i + 1] = pe[i] + x[j] * x[j];
  }
}

/** Median energy of the whole windows of `w` tiling one period, from prefix sums `p`. */
function medianWindowEnergy(w: number, p: Float64Array, n: number): number {
  const v = new Float64Array(Math.floor(n / w));
  for (let t = 0; t < v.length; t++) v[t] = p[t * w + w] - p[t * w];
  v.sort();
  return v[v.length >> 1];
}

/** The rotation whose seam windows are closest to the medians mc, md (first of equals). */
function leastSeamCost(
  pc: Float64Array,
  pe: Float64Array,
  n: number,
  cw: number,
  dw: number,
  mc: number,
  md: number,
): number {
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const a = k - (cw >> 1) + n;
    const b = k - (dw >> 1) + n;
    const click = 10 * Math.log10((pc[a + cw] - pc[a] + 1e-30) / mc);
    const dip = 10 * Math.log10((pe[b + dw] - pe[b] + 1e-30) / md);
    // Excess click and dip count fully, plain distance from typical a little (ties, robustness).
    const cost = Math.max(0, click) + Math.max(0, -dip) + 0.25 * (Math.abs(click) + Math.abs(dip));
    if (cost < bestCost) {
      bestCost = cost;
      best = k;
    }
  }
  return best;
}
