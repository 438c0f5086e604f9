/**
 * Musical keys for `--key`: parsing what a musician types ("A minor", "Am", "F#", "Bb major") and
 * deciding whether a texture fits: its key when the manifest has one (the same key or its
 * relative, i.e. the same seven notes), else its root note (a note of the key's scale), else it
 * has no pitch and fits any key.
 */
import { UsageError } from "../core/errors.js";
import type { ManifestRow } from "../core/manifest.js";

export type Mode = "major" | "minor";

export interface MusicalKey {
  readonly tonic: number;
  readonly mode: Mode;
  /** As typed back to the user, e.g. "A minor". */
  readonly name: string;
}

const LETTERS: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const SHARP_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** Parse a key; null when the text is not one. */
export function parseKey(text: string): MusicalKey | null {
  const m = /^\s*([A-Ga-g])\s*(#|♯|b|♭|s(?=\s|$|m))?\s*(maj(?:or)?|min(?:or)?|m|M)?\s*$/.exec(
    text.replace(/[-_]/g, " "),
  );
  if (!m) return null;
  const letter = m[1].toUpperCase();
  const accidental = m[2] === "#" || m[2] === "♯" || m[2] === "s" ? 1 : m[2] === "b" || m[2] === "♭" ? -1 : 0;
  const tonic = (LETTERS[letter] + accidental + 12) % 12;
  const q = m[3];
  const mode: Mode = q === undefined || q === "M" || q.toLowerCase().startsWith("maj") ? "major" : "minor";
  const spelled = `${letter}${accidental === 1 ? "#" : accidental === -1 ? "b" : ""}`;
  return { tonic, mode, name: `${spelled} ${mode}` };
}

/** Parse `--key`, or a usage error with examples. */
export function parseKeyArg(text: string): MusicalKey {
  const k = parseKey(text);
  if (k === null) {
    throw new UsageError(
      `--key ${JSON.stringify(text)} is not a key; write e.g. --key "A minor", --key Am, --key F#, --key "Bb major"`,
    );
  }
  return k;
}

/** Pitch classes of the key's scale (natural minor for minor keys). */
export function scaleOf(key: MusicalKey): ReadonlySet<number> {
  return new Set((key.mode === "major" ? MAJOR : MINOR).map((d) => (key.tonic + d) % 12));
}

const sameSet = (a: ReadonlySet<number>, b: ReadonlySet<number>): boolean =>
  a.size === b.size && [...a].every((x) => b.has(x));

export interface KeyFit {
  readonly fits: boolean;
  /** Why, in a musician's words, e.g. "key C major = relative of A minor", "root E3 in A minor". */
  readonly reason: string;
}

/** Whether a texture fits `key` (see the module comment). */
export function keyFit(row: Pick<ManifestRow, "key" | "root_midi">, key: MusicalKey): KeyFit {
  const scale = scaleOf(key);
  const own = row.key === null ? null : parseKey(row.key);
  if (own !== null) {
    if (own.tonic === key.tonic && own.mode === key.mode) return { fits: true, reason: `key ${own.name}` };
    if (sameSet(scaleOf(own), scale)) {
      return { fits: true, reason: `key ${own.name} = relative of ${key.name}` };
    }
    return { fits: false, reason: `key ${own.name} is not ${key.name} or its relative` };
  }
  if (row.root_midi !== null && Number.isInteger(row.root_midi)) {
    const note = noteName(row.root_midi);
    return scale.has(row.root_midi % 12)
      ? { fits: true, reason: `root ${note} is in ${key.name}` }
      : { fits: false, reason: `root ${note} is not in ${key.name}` };
  }
  return { fits: true, reason: "no pitch: fits any key" };
}

/** MIDI note name with sharps, C4 = 60 (as the manifest and report write them). */
export function noteName(midi: number, sharp = "#"): string {
  const pc = ((midi % 12) + 12) % 12;
  return `${SHARP_NAMES[pc].replace("#", sharp)}${Math.floor(midi / 12) - 1}`;
}
