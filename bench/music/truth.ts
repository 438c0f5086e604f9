/**
 * What sounded in a source window, from a piece's truth, and how a written root note compares with
 * it: exact, right pitch class in another octave, or another note; for chords, which chord note.
 */
import type { Held, Truth } from "./pieces.js";

export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface Sounding {
  /** Held notes/chords that fill at least a quarter of the window (else the one overlapping most, else the one whose tail it is). */
  readonly held: readonly Held[];
  /** Fraction of the window in which no note was held (release tail or silence). */
  readonly tailFraction: number;
  /** Note or chord attacks strictly inside the window. */
  readonly attacks: number;
  /** Drum hits inside the window, or up to 50 ms before it (the hit rings into it). */
  readonly drumHits: number;
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

export function sounding(t: Truth, w: Window): Sounding {
  const len = w.end - w.start;
  const ov = t.held.map((h) => overlap(h.on, h.off, w.start, w.end));
  let held = t.held.filter((_, k) => ov[k] >= 0.25 * len);
  if (held.length === 0) {
    const most = ov.indexOf(Math.max(...ov));
    if (ov[most] > 0) held = [t.held[most]];
    else {
      const before = t.held.filter((h) => h.off <= w.start);
      held = before.length > 0 ? [before[before.length - 1]] : [];
    }
  }
  // Held spans do not overlap within a piece, so their sum is the union.
  const covered = ov.reduce((s, v) => s + v, 0);
  return {
    held,
    tailFraction: Math.max(0, 1 - covered / len),
    attacks: t.held.filter((h) => h.on > w.start + 0.02 && h.on < w.end - 0.02).length,
    drumHits: t.drums.filter((d) => d.time >= w.start - 0.05 && d.time < w.end).length,
  };
}

export type SingleVerdict = "right" | "octave" | "other";
export type ChordVerdict = "bass" | "chord_tone" | "chord_pc_other_octave" | "not_in_chord";

export interface RootVerdict {
  /** "single" when one note sounded (in every candidate region), else "chord"; null when nothing sounded. */
  readonly kind: "single" | "chord" | null;
  readonly verdict: SingleVerdict | ChordVerdict | "missing" | null;
  /** Written minus nearest expected note (semitones), for single notes. */
  readonly errorSemitones: number | null;
  /** The notes expected (shifted by the variant's pitch shift). */
  readonly expected: readonly number[];
}

const pc = (m: number): number => ((m % 12) + 12) % 12;

/** Judge `root` (null: none written) against what sounded, after a pitch shift of `shift` semitones. */
export function judgeRoot(s: Sounding, root: number | null, shift: number): RootVerdict {
  if (s.held.length === 0) return { kind: null, verdict: null, errorSemitones: null, expected: [] };
  const single = s.held.every((h) => h.midi.length === 1);
  if (single) {
    const expected = s.held.map((h) => h.midi[0] + shift);
    if (root === null) return { kind: "single", verdict: "missing", errorSemitones: null, expected };
    const r = Math.round(root);
    const err = expected.map((e) => r - e).sort((a, b) => Math.abs(a) - Math.abs(b))[0];
    const octaveErr = expected.map((e) => r - e).find((d) => d !== 0 && d % 12 === 0);
    if (err === 0) return { kind: "single", verdict: "right", errorSemitones: 0, expected };
    if (octaveErr !== undefined)
      return { kind: "single", verdict: "octave", errorSemitones: octaveErr, expected };
    return { kind: "single", verdict: "other", errorSemitones: err, expected };
  }
  const chord = (s.held.find((h) => h.midi.length > 1) ?? s.held[0]).midi.map((m) => m + shift);
  if (root === null) return { kind: "chord", verdict: "missing", errorSemitones: null, expected: chord };
  const r = Math.round(root);
  let verdict: ChordVerdict = "not_in_chord";
  if (r === Math.min(...chord)) verdict = "bass";
  else if (chord.includes(r)) verdict = "chord_tone";
  else if (chord.some((m) => pc(m) === pc(r))) verdict = "chord_pc_other_octave";
  return { kind: "chord", verdict, errorSemitones: null, expected: chord };
}

const NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** MIDI note name with octave (60 = C4). */
export function noteName(m: number): string {
  const r = Math.round(m);
  return `${NAMES[pc(r)]}${Math.floor(r / 12) - 1}`;
}
