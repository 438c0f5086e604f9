/**
 * Key detection from a 12-bin chroma profile (pc 0 = C): Pearson correlation against the 24
 * rotated major/minor key profiles, best match wins.
 *
 * The profiles are Temperley's (Kostka-Payne corpus) with each scale degree's harmonics folded in
 * (partials 1-5 at weight 0.6^(h-1), as in Gómez's HPCP key templates): a spectral chroma holds
 * every note's 3rd partial on its fifth, which otherwise pulls a key towards its dominant. On
 * synthesised I-IV-V-I progressions in all 24 keys this named 24/24 with a chord in octave 4
 * where Krumhansl-Kessler profiles named 15-24 depending on the partials.
 */
import { ParameterError } from "../core/errors.js";

export type KeyMode = "major" | "minor";

export interface KeyEstimate {
  /** Tonic spelled as usual for the key, e.g. "A", "Eb", "F#". */
  readonly tonic: string;
  readonly tonicPitchClass: number;
  readonly mode: KeyMode;
  /** e.g. "A minor", "Eb major". */
  readonly name: string;
  /** Correlation of the chroma with the winning key profile, in [-1, 1]. */
  readonly confidence: number;
  /** How far the winner's correlation lies above the runner-up's (0 = a tie). */
  readonly margin: number;
}

// Temperley (2001), Kostka-Payne profiles, tonic first.
const TEMPERLEY_MAJOR = [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0];
const TEMPERLEY_MINOR = [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0];
const HARMONICS = 5;
const HARMONIC_DECAY = 0.6;

/** Spread each pitch class's weight over the pitch classes of its first partials. */
function withHarmonics(profile: readonly number[]): number[] {
  const out = new Array<number>(12).fill(0);
  for (let pc = 0; pc < 12; pc++) {
    for (let h = 1; h <= HARMONICS; h++) {
      const offset = Math.round(12 * Math.log2(h));
      out[(pc + offset) % 12] += profile[pc] * HARMONIC_DECAY ** (h - 1);
    }
  }
  return out;
}

const MAJOR_PROFILE = withHarmonics(TEMPERLEY_MAJOR);
const MINOR_PROFILE = withHarmonics(TEMPERLEY_MINOR);

// Conventional spellings: flats for F/Bb/Eb/Ab/Db major and their relative minors' neighbours.
const MAJOR_TONICS = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
const MINOR_TONICS = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"];

/** Pearson correlation of a with b rotated so that b's element 0 sits at pitch class `shift`. */
function correlate(a: ArrayLike<number>, profile: readonly number[], shift: number): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < 12; i++) {
    ma += a[i];
    mb += profile[i];
  }
  ma /= 12;
  mb /= 12;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < 12; i++) {
    const da = a[i] - ma;
    const db = profile[(i - shift + 12) % 12] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * Best key for a chroma profile, or null when the profile holds no tonal information (all zero,
 * e.g. silence, or flat, e.g. white noise with exactly even chroma).
 */
export function detectKey(chroma: ArrayLike<number>): KeyEstimate | null {
  if (chroma.length !== 12) throw new ParameterError(`chroma must have 12 bins, got: ${chroma.length}`);
  let total = 0;
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 12; i++) {
    const v = chroma[i];
    if (!Number.isFinite(v) || v < 0)
      throw new ParameterError(`chroma values must be finite and >= 0, got: ${v}`);
    total += v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  // Relative spread below 1e-6: no pitch class stands out.
  if (total <= 0 || max - min <= 1e-6 * max) return null;
  let best = { r: Number.NEGATIVE_INFINITY, pc: 0, mode: "major" as KeyMode };
  let second = Number.NEGATIVE_INFINITY;
  for (const mode of ["major", "minor"] as const) {
    const profile = mode === "major" ? MAJOR_PROFILE : MINOR_PROFILE;
    for (let pc = 0; pc < 12; pc++) {
      const r = correlate(chroma, profile, pc);
      if (r > best.r) {
        second = best.r;
        best = { r, pc, mode };
      } else if (r > second) {
        second = r;
      }
    }
  }
  const tonic = tonicName(best.pc, best.mode);
  return {
    tonic,
    tonicPitchClass: best.pc,
    mode: best.mode,
    name: `${tonic} ${best.mode}`,
    confidence: best.r,
    margin: best.r - second,
  };
}

/** The tonic of a key as usually spelled (e.g. pc 3 major -> "Eb", pc 8 minor -> "G#"). */
export function tonicName(tonicPitchClass: number, mode: KeyMode): string {
  if (!Number.isInteger(tonicPitchClass)) {
    throw new ParameterError(`pitch class must be an integer, got: ${tonicPitchClass}`);
  }
  return (mode === "major" ? MAJOR_TONICS : MINOR_TONICS)[((tonicPitchClass % 12) + 12) % 12];
}

/** A key's name transposed by the nearest whole number of semitones (null stays null). */
export function transposeKey(
  key: { readonly tonicPitchClass: number; readonly mode: KeyMode } | null,
  semitones: number,
): string | null {
  if (key === null) return null;
  return `${tonicName(key.tonicPitchClass + Math.round(semitones), key.mode)} ${key.mode}`;
}
