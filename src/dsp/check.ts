/**
 * Parameter checks shared by the DSP functions. Each throws a ParameterError that quotes the bad
 * value, so callers (and users reading a config error) see what was wrong, not just that it was.
 */
import { ParameterError } from "../core/errors.js";
import { type SampleStats, sampleStats } from "./sample-kernels.js";

/**
 * Non-empty audio with finite samples (checked once at the boundary; hot loops trust it). The
 * check is one SIMD pass that also measures the signal, so callers that need its sum, energy or
 * peak get them for free.
 */
export function checkAudio(x: Float32Array, name = "input"): SampleStats {
  if (!(x instanceof Float32Array)) throw new ParameterError(`${name} must be a Float32Array`);
  if (x.length === 0) throw new ParameterError(`${name} is empty (0 samples)`);
  const stats = sampleStats(x);
  const bad = stats.firstNonFinite;
  if (bad >= 0) throw new ParameterError(`${name} has a non-finite sample at index ${bad}: ${x[bad]}`);
  return stats;
}

export function checkFinite(value: number, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ParameterError(`${name} must be a finite number, got: ${value}`);
  }
}

export function checkPositive(value: number, name: string): void {
  checkFinite(value, name);
  if (value <= 0) throw new ParameterError(`${name} must be > 0, got: ${value}`);
}

export function checkNonNegative(value: number, name: string): void {
  checkFinite(value, name);
  if (value < 0) throw new ParameterError(`${name} must be >= 0, got: ${value}`);
}

export function checkRange(value: number, min: number, max: number, name: string): void {
  checkFinite(value, name);
  if (value < min || value > max) {
    throw new ParameterError(`${name} must be within [${min}, ${max}], got: ${value}`);
  }
}

export function checkInteger(value: number, min: number, name: string): void {
  checkFinite(value, name);
  if (!Number.isInteger(value) || value < min) {
    throw new ParameterError(`${name} must be an integer >= ${min}, got: ${value}`);
  }
}

export function checkSampleRate(sampleRate: number): void {
  checkFinite(sampleRate, "sampleRate");
  if (sampleRate <= 0) throw new ParameterError(`sampleRate must be > 0, got: ${sampleRate}`);
}
