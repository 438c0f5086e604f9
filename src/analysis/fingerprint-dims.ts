/**
 * The names of the timbre fingerprint's dimensions (see fingerprint.ts), apart from the code that
 * computes them, so writers of `fingerprints.json` (batch workers) need not load the kernels.
 */
export const FINGERPRINT_MEL_BANDS = 20;

const PITCH_CLASSES = ["C", "Cs", "D", "Ds", "E", "F", "Fs", "G", "Gs", "A", "As", "B"];

const pad2 = (i: number): string => String(i).padStart(2, "0");

/** Names of the fingerprint's dimensions, in vector order (what `fingerprints.json` lists as `dims`). */
export const FINGERPRINT_DIMS: readonly string[] = [
  ...Array.from({ length: FINGERPRINT_MEL_BANDS }, (_, i) => `mel${pad2(i)}_mean`),
  ...Array.from({ length: FINGERPRINT_MEL_BANDS }, (_, i) => `mel${pad2(i)}_std`),
  "flatness_db",
  "centroid_oct",
  ...PITCH_CLASSES.map((pc) => `chroma_${pc}`),
];
