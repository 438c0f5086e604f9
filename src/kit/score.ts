/**
 * What the kit reads from a manifest row beyond the base columns, behind one function each, so
 * that when the manifest gains a column the switch is one line: the quality score (branch "truth",
 * column `score` 0-100) and the root note's confidence (column `root_confidence`).
 */
import type { Grade, ManifestRow } from "../core/manifest.js";

/** Scores standing in for the grade until the manifest carries `score`. */
const GRADE_SCORE: Readonly<Record<Grade, number>> = { A: 85, B: 60, F: 0 };

/** Columns a newer manifest may add (absent until then). */
type Extra = Partial<{ score: number | null; root_confidence: number | null }>;

/** Quality score 0-100: the manifest's `score` when it has one, else the grade's stand-in. */
export function scoreOf(row: ManifestRow): number {
  const s = (row as ManifestRow & Extra).score;
  return typeof s === "number" && Number.isFinite(s) ? s : GRADE_SCORE[row.grade];
}

/** Whether `score` came from the manifest (true) or from the grade (false), for the printout. */
export function hasScoreColumn(row: ManifestRow): boolean {
  const s = (row as ManifestRow & Extra).score;
  return typeof s === "number" && Number.isFinite(s);
}

/** Confidence at or above which a root note is trusted for transposing across the keyboard. */
export const CONFIDENT_ROOT = 0.5;

/** Whether the row's root note can be trusted: a present root_midi counts until `root_confidence` exists. */
export function hasConfidentRoot(row: ManifestRow): boolean {
  if (row.root_midi === null || !Number.isInteger(row.root_midi)) return false;
  const c = (row as ManifestRow & Extra).root_confidence;
  return typeof c === "number" && Number.isFinite(c) ? c >= CONFIDENT_ROOT : true;
}
