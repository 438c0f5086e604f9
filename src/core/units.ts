/**
 * Branded units. Mixing seconds and samples is the classic audio bug; the brands make the
 * compiler catch it at module boundaries. Inside hot loops plain numbers are fine.
 */
declare const unit: unique symbol;
type Brand<T, U extends string> = T & { readonly [unit]: U };

export type Seconds = Brand<number, "Seconds">;
export type Samples = Brand<number, "Samples">;
export type Hz = Brand<number, "Hz">;
export type Db = Brand<number, "Db">;

export const seconds = (n: number): Seconds => n as Seconds;
export const samples = (n: number): Samples => n as Samples;
export const hz = (n: number): Hz => n as Hz;
export const db = (n: number): Db => n as Db;

/** Seconds to a whole number of samples (rounded to nearest). */
export function toSamples(t: Seconds, sampleRate: number): Samples {
  return Math.round(t * sampleRate) as Samples;
}

/** Samples to seconds. */
export function toSeconds(n: Samples, sampleRate: number): Seconds {
  return (n / sampleRate) as Seconds;
}

/** Linear amplitude to dB; silence maps to -Infinity. */
export function ampToDb(a: number): Db {
  return (a > 0 ? 20 * Math.log10(a) : Number.NEGATIVE_INFINITY) as Db;
}

/** dB to linear amplitude. */
export function dbToAmp(d: number): number {
  return 10 ** (d / 20);
}
