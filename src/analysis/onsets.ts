/**
 * Onset detection: peak-picking of the onset-strength envelope (frames.ts) with an adaptive
 * threshold. A frame is an onset when it is the maximum of its neighbourhood, exceeds the local
 * mean by `deltaDb`, and lies at least `minSpacingSec` after the previous onset.
 */
import { ParameterError } from "../core/errors.js";
import { checkSampleRate } from "./framing.js";

export interface OnsetOptions {
  /** Local-maximum neighbourhood before / after the frame. */
  preMaxSec: number;
  postMaxSec: number;
  /** Adaptive threshold: mean of the envelope over this neighbourhood ... */
  preAvgSec: number;
  postAvgSec: number;
  /** ... plus this margin (the envelope's unit: mean band rise in dB). */
  deltaDb: number;
  /** Minimum time between two onsets. */
  minSpacingSec: number;
}

export const DEFAULT_ONSET_OPTIONS: OnsetOptions = {
  preMaxSec: 0.03,
  postMaxSec: 0.03,
  preAvgSec: 0.1,
  postAvgSec: 0.1,
  deltaDb: 2,
  minSpacingSec: 0.03,
};

export interface Onsets {
  /** Frame index of each onset (ascending). */
  readonly frames: Int32Array;
  /** Onset times in seconds (frame centre times, `frame * hop / sampleRate`). */
  readonly times: Float64Array;
}

/** Peak-pick the onset envelope; returns onset frames and times. */
export function detectOnsets(
  envelope: Float32Array,
  sampleRate: number,
  hopSize: number,
  options: Partial<OnsetOptions> = {},
): Onsets {
  const o: OnsetOptions = { ...DEFAULT_ONSET_OPTIONS, ...options };
  checkSampleRate(sampleRate);
  if (!Number.isInteger(hopSize) || hopSize < 1) {
    throw new ParameterError(`hopSize must be a positive integer, got: ${hopSize}`);
  }
  for (const key of ["preMaxSec", "postMaxSec", "preAvgSec", "postAvgSec", "minSpacingSec"] as const) {
    if (!(o[key] >= 0) || !Number.isFinite(o[key])) {
      throw new ParameterError(`onset option ${key} must be a finite number >= 0, got: ${o[key]}`);
    }
  }
  if (!Number.isFinite(o.deltaDb)) throw new ParameterError(`deltaDb must be finite, got: ${o.deltaDb}`);

  const fps = sampleRate / hopSize;
  const preMax = Math.round(o.preMaxSec * fps);
  const postMax = Math.round(o.postMaxSec * fps);
  const preAvg = Math.round(o.preAvgSec * fps);
  const postAvg = Math.round(o.postAvgSec * fps);
  const wait = Math.round(o.minSpacingSec * fps);
  const n = envelope.length;

  // Sliding sum for the local mean over [i - preAvg, i + postAvg].
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + envelope[i];

  const found: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = envelope[i];
    const a0 = Math.max(0, i - preAvg);
    const a1 = Math.min(n, i + postAvg + 1);
    const mean = (prefix[a1] - prefix[a0]) / (a1 - a0);
    if (v < mean + o.deltaDb) continue;
    if (i - last <= wait) continue;
    let isMax = true;
    const m0 = Math.max(0, i - preMax);
    const m1 = Math.min(n, i + postMax + 1);
    for (let j = m0; j < m1; j++) {
      // Ties go to the earliest frame of a plateau.
      if (envelope[j] > v || (j < i && envelope[j] === v)) {
        isMax = false;
        break;
      }
    }
    if (!isMax) continue;
    found.push(i);
    last = i;
  }
  const frames = Int32Array.from(found);
  const times = new Float64Array(frames.length);
  for (let k = 0; k < frames.length; k++) times[k] = (frames[k] * hopSize) / sampleRate;
  return { frames, times };
}
