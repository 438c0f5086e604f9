/**
 * Level measurement and normalisation: sample peak, RMS, crest factor, DC offset, true peak
 * (4x oversampled) and DC removal. Silence is well defined everywhere: peak/RMS 0 (-Infinity dB),
 * crest factor 1 (0 dB), and normalising silence returns silence.
 */

import { ParameterError } from "../core/errors.js";
import { ampToDb, type Db, dbToAmp } from "../core/units.js";
import { checkAudio, checkFinite, checkPositive } from "./check.js";
import { filtfilt, highpass } from "./filters.js";
import { kaiser } from "./kaiser.js";

export function peak(x: Float32Array): number {
  return checkAudio(x).peak;
}

export function peakDb(x: Float32Array): Db {
  return ampToDb(peak(x));
}

export function rms(x: Float32Array): number {
  return Math.sqrt(checkAudio(x).sumSquares / x.length);
}

export function rmsDb(x: Float32Array): Db {
  return ampToDb(rms(x));
}

/** Peak / RMS (linear). Silence: 1. */
export function crestFactor(x: Float32Array): number {
  const st = checkAudio(x);
  const r = Math.sqrt(st.sumSquares / x.length);
  return r > 0 ? st.peak / r : 1;
}

export function crestFactorDb(x: Float32Array): Db {
  return ampToDb(crestFactor(x));
}

/** Mean sample value. */
export function dcOffset(x: Float32Array): number {
  return checkAudio(x).sum / x.length;
}

function scaled(x: Float32Array, gain: number, out: Float32Array | undefined): Float32Array {
  const y = out ?? new Float32Array(x.length);
  if (y.length !== x.length) throw new ParameterError(`out must have ${x.length} samples, got: ${y.length}`);
  for (let i = 0; i < x.length; i++) y[i] = x[i] * gain;
  return y;
}

function checkTarget(targetDb: number): void {
  checkFinite(targetDb, "target level (dBFS)");
  if (targetDb > 24) throw new ParameterError(`target level must be at most +24 dBFS, got: ${targetDb}`);
}

/** Scale so the sample peak is `targetDbfs`. Silence stays silence. */
export function normalizePeak(x: Float32Array, targetDbfs: number, out?: Float32Array): Float32Array {
  checkTarget(targetDbfs);
  const p = peak(x);
  return scaled(x, p > 0 ? dbToAmp(targetDbfs) / p : 0, out);
}

// 4x oversampling interpolator: Kaiser-windowed sinc with zeros on the input sample grid, so phase
// 0 reproduces the samples and the three other phases interpolate between them.
const OS = 4;
const TP_HALF = 16;
const TP_TAPS = 2 * TP_HALF;
const TP_BETA = 8;
let tpKernel: Float64Array | undefined;

function truePeakKernel(): Float64Array {
  if (tpKernel) return tpKernel;
  // kernel[(p - 1) * TP_TAPS + j] weights x[n - TP_HALF + 1 + j] for the point n + p / 4.
  const k = new Float64Array((OS - 1) * TP_TAPS);
  for (let p = 1; p < OS; p++) {
    for (let j = 0; j < TP_TAPS; j++) {
      const t = p / OS - (j - TP_HALF + 1);
      const sinc = Math.sin(Math.PI * t) / (Math.PI * t);
      k[(p - 1) * TP_TAPS + j] = sinc * kaiser(t / TP_HALF, TP_BETA);
    }
  }
  tpKernel = k;
  return k;
}

/** True peak (linear): the peak of the signal 4x oversampled, as a DAC would reconstruct it. */
export function truePeak(x: Float32Array): number {
  let p = peak(x);
  const k = truePeakKernel();
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const lo = i - TP_HALF + 1;
    const inside = lo >= 0 && lo + TP_TAPS <= n;
    for (let ph = 0; ph < OS - 1; ph++) {
      const base = ph * TP_TAPS;
      let s = 0;
      if (inside) {
        for (let j = 0; j < TP_TAPS; j++) s += k[base + j] * x[lo + j];
      } else {
        for (let j = 0; j < TP_TAPS; j++) {
          const m = lo + j;
          if (m >= 0 && m < n) s += k[base + j] * x[m];
        }
      }
      const a = Math.abs(s);
      if (a > p) p = a;
    }
  }
  return p;
}

export function truePeakDb(x: Float32Array): Db {
  return ampToDb(truePeak(x));
}

/** Scale so the true peak (4x oversampled) is `targetDbtp`. Silence stays silence. */
export function normalizeTruePeak(x: Float32Array, targetDbtp: number, out?: Float32Array): Float32Array {
  checkTarget(targetDbtp);
  const p = truePeak(x);
  return scaled(x, p > 0 ? dbToAmp(targetDbtp) / p : 0, out);
}

export interface RemoveDcOptions {
  /**
   * "mean" (default) subtracts the average: exact for the short loops and one-shots patina makes,
   * no phase shift, no start-up transient, and a loop stays seamless (a constant offset is the
   * same on both sides of the seam). "highpass" removes a drifting offset in long material with
   * a zero-phase 2nd-order Butterworth high-pass at `cutoffHz`.
   */
  method: "mean" | "highpass";
  sampleRate: number;
  cutoffHz: number;
}

export function removeDc(x: Float32Array, options: Partial<RemoveDcOptions> = {}): Float32Array {
  const o: RemoveDcOptions = { method: "mean", sampleRate: Number.NaN, cutoffHz: 10, ...options };
  if (o.method === "mean") {
    const m = dcOffset(x);
    const y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] - m;
    return y;
  }
  if (o.method === "highpass") {
    checkPositive(o.cutoffHz, "cutoffHz");
    return filtfilt(x, highpass(o.cutoffHz, o.sampleRate, 2));
  }
  throw new ParameterError(`removeDc method must be "mean" or "highpass", got: ${String(o.method)}`);
}
