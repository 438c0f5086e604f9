/**
 * "Tape speed" resampling: play the input `speed` times faster (pitch and tempo together), by
 * band-limited interpolation with a Kaiser-windowed sinc. When speeding up, the kernel's cutoff
 * follows the speed down to the new Nyquist (fs / 2 / speed in input terms), so content that
 * would fold over is removed before it can alias; when slowing down, it is the input's Nyquist.
 *
 * Design: -6 dB at 0.925 of the lower Nyquist, 32 zero crossings each side, Kaiser beta 7.3:
 * passband flat to about 0.85, stopband from 1.0 of the lower Nyquist, about 75 dB down.
 */
import { ParameterError } from "../core/errors.js";
import { checkAudio, checkFinite, checkPositive } from "./check.js";
import { kaiser } from "./kaiser.js";
import { tapeInterior, tapeKernelTaps } from "./tape-kernel.js";

export interface TapeOptions {
  /** Kernel cutoff relative to the lower Nyquist (-6 dB point). */
  cutoff: number;
  /** Zero crossings of the kernel on each side (quality vs speed). */
  zeroCrossings: number;
}

export const TAPE_DEFAULTS: Readonly<TapeOptions> = { cutoff: 0.925, zeroCrossings: 32 };

const TABLE_RES = 512; // kernel samples per zero crossing (linear interpolation: error < -120 dB)
const PHASES = 256; // fractional positions precomputed per call; interpolating between them: < -90 dB
const KAISER_BETA = 7.3;
const tables = new Map<number, Float32Array>();

/** Kernel sinc(u) * kaiser(u / Z) tabulated for u in [0, Z] (one extra point for interpolation). */
function kernelTable(z: number): Float32Array {
  let t = tables.get(z);
  if (!t) {
    t = new Float32Array(z * TABLE_RES + 2);
    fillKernelTable(t, z);
    tables.set(z, t);
  }
  return t;
}

function fillKernelTable(t: Float32Array, z: number): void {
  for (let i = 0; i < t.length; i++) {
    const u = i / TABLE_RES;
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    t[i] = u >= z ? 0 : sinc * kaiser(u / z, KAISER_BETA);
  }
}

interface PhaseBank {
  taps: number;
  /** (PHASES + 1) rows of `taps` weights; row r is for read position frac = r / PHASES. */
  weights: Float32Array;
  /** The same rows zero-padded to a multiple of 8 taps, for the kernel (made on first use). */
  padded?: Float32Array;
}

function paddedRows(bank: PhaseBank): Float32Array {
  if (!bank.padded) {
    const t8 = tapeKernelTaps(bank.taps);
    const p = new Float32Array((PHASES + 1) * t8);
    for (let r = 0; r <= PHASES; r++) {
      p.set(bank.weights.subarray(r * bank.taps, (r + 1) * bank.taps), r * t8);
    }
    bank.padded = p;
  }
  return bank.padded;
}

/** Fewer interior outputs than this stay in the loop below (copying in costs more than it saves). */
const KERNEL_MIN_OUTPUTS = 64;

/**
 * Polyphase weights for cutoff `c` (relative to the input Nyquist): for fractional read position
 * f, tap k weights x[floor(p) - taps / 2 + 1 + k], at distance t = f + taps / 2 - 1 - k.
 */
function phaseBank(z: number, c: number): PhaseBank {
  const table = kernelTable(z);
  const reach = Math.ceil(z / c);
  const taps = 2 * reach;
  const weights = new Float32Array((PHASES + 1) * taps);
  fillPhaseWeights(weights, table, z * TABLE_RES, reach, c);
  return { taps, weights };
}

/** The weight rows of a phase bank (its own function so V8 optimises the loops alone). */
function fillPhaseWeights(
  weights: Float32Array,
  table: Float32Array,
  limit: number,
  reach: number,
  c: number,
): void {
  const taps = 2 * reach;
  for (let r = 0; r <= PHASES; r++) {
    const f = r / PHASES;
    for (let k = 0; k < taps; k++) {
      const pos = Math.abs(f + reach - 1 - k) * c * TABLE_RES;
      if (pos >= limit) continue;
      const j = pos | 0;
      weights[r * taps + k] = c * (table[j] + (pos - j) * (table[j + 1] - table[j]));
    }
  }
}

const BANK_GRID = 256;
const BANK_CACHE_SIZE = 64;
const banks = new Map<string, PhaseBank>();

/**
 * Phase banks are costly to build (hundreds of thousands of weights) and grains call this hundreds
 * of times with random speeds, so cutoffs are rounded DOWN to a 1/256 grid (never above the alias
 * limit, at most 0.4 % of the band lower) and the banks kept in a small cache.
 */
function cachedPhaseBank(z: number, c: number): PhaseBank {
  const q = Math.max(1, Math.floor(c * BANK_GRID)) / BANK_GRID;
  const key = `${z}:${q}`;
  let bank = banks.get(key);
  if (!bank) {
    bank = phaseBank(z, q);
    if (banks.size >= BANK_CACHE_SIZE) banks.delete(banks.keys().next().value as string);
    banks.set(key, bank);
  }
  return bank;
}

/** Output length of `tapeSpeed` for an input of `length` samples. */
export function tapeOutputLength(length: number, speed: number): number {
  return Math.max(1, Math.ceil(length / speed));
}

/**
 * Resample so the input plays `speed` times faster: output[n] = x(n * speed), band-limited.
 * Length ceil(length / speed). speed 2 = one octave up and half as long.
 */
export function tapeSpeed(x: Float32Array, speed: number, options: Partial<TapeOptions> = {}): Float32Array {
  checkAudio(x);
  checkPositive(speed, "speed");
  if (speed > 64 || speed < 1 / 64)
    throw new ParameterError(`speed must be within [1/64, 64], got: ${speed}`);
  const o: TapeOptions = { ...TAPE_DEFAULTS, ...options };
  checkPositive(o.cutoff, "cutoff");
  if (o.cutoff > 1)
    throw new ParameterError(`cutoff must be at most 1 (the lower Nyquist), got: ${o.cutoff}`);
  if (!Number.isInteger(o.zeroCrossings) || o.zeroCrossings < 2 || o.zeroCrossings > 256) {
    throw new ParameterError(`zeroCrossings must be an integer in [2, 256], got: ${o.zeroCrossings}`);
  }
  const z = o.zeroCrossings;
  // c: kernel cutoff in cycles per input sample, relative to the input Nyquist.
  const c = o.cutoff * Math.min(1, 1 / speed);
  const bank = cachedPhaseBank(z, c);
  const taps = bank.taps;
  const reach = taps >> 1;
  const n = x.length;
  const outLen = tapeOutputLength(n, speed);
  const y = new Float32Array(outLen);
  // Outputs whose taps lie wholly inside x go to the kernel (tape-kernel.ts); the edges stay here.
  const startOf = (m: number): number => Math.floor(m * speed) - reach + 1;
  let lo = 0;
  while (lo < outLen && startOf(lo) < 0) lo++;
  let hi = outLen;
  while (hi > lo && startOf(hi - 1) + taps > n) hi--;
  if (hi - lo >= KERNEL_MIN_OUTPUTS) {
    tapeInterior(x, y, lo, hi - lo, speed, paddedRows(bank), tapeKernelTaps(taps), reach, PHASES);
    tapeLoop(x, y, 0, lo, speed, bank);
    tapeLoop(x, y, hi, outLen, speed, bank);
    return y;
  }
  tapeLoop(x, y, 0, outLen, speed, bank);
  return y;
}

/** Outputs [from, to) of the tape resampler in JavaScript (any position, edges clamped). */
function tapeLoop(
  x: Float32Array,
  y: Float32Array,
  from: number,
  to: number,
  speed: number,
  bank: PhaseBank,
): void {
  const taps = bank.taps;
  const reach = taps >> 1;
  const h = bank.weights;
  const n = x.length;
  for (let m = from; m < to; m++) {
    const p = m * speed;
    const i0 = Math.floor(p);
    const phase = (p - i0) * PHASES;
    const ph = Math.min(PHASES - 1, phase | 0);
    const pf = phase - ph;
    const start = i0 - reach + 1;
    const r0 = ph * taps;
    const r1 = r0 + taps;
    let s0 = 0;
    let s1 = 0;
    if (start >= 0 && start + taps <= n) {
      // Two accumulators per phase break the floating-point dependency chains (taps is even).
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < taps; k += 2) {
        const v = x[start + k];
        const w = x[start + k + 1];
        s0 += h[r0 + k] * v;
        s1 += h[r1 + k] * v;
        s2 += h[r0 + k + 1] * w;
        s3 += h[r1 + k + 1] * w;
      }
      s0 += s2;
      s1 += s3;
    } else {
      const k0 = Math.max(0, -start);
      const k1 = Math.min(taps, n - start);
      for (let k = k0; k < k1; k++) {
        const v = x[start + k];
        s0 += h[r0 + k] * v;
        s1 += h[r1 + k] * v;
      }
    }
    // Linear interpolation between the two nearest of the precomputed fractional phases.
    y[m] = s0 + pf * (s1 - s0);
  }
}

/** Tape-style pitch shift by `semitones` (duration changes by 2^(-semitones / 12)). */
export function tapeShift(
  x: Float32Array,
  semitones: number,
  options: Partial<TapeOptions> = {},
): Float32Array {
  checkFinite(semitones, "semitones");
  if (Math.abs(semitones) > 48)
    throw new ParameterError(`semitones must be within [-48, 48], got: ${semitones}`);
  return tapeSpeed(x, 2 ** (semitones / 12), options);
}
