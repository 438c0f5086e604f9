/**
 * What the kit reads from a manifest row to rank and map it: the quality score and whether its
 * root note can be trusted, behind one function each (manifests written before those columns
 * existed read them as empty).
 */
import type { Grade, ManifestRow } from "../core/manifest.js";

/** Scores standing in for the grade in a manifest written before `score` existed. */
const GRADE_SCORE: Readonly<Record<Grade, number>> = { A: 95, B: 80, C: 50, F: 0 };

/** Quality score 0-100: the manifest's `score` when it has one, else the grade's stand-in. */
export function scoreOf(row: ManifestRow): number {
  return hasScoreColumn(row) ? (row.score as number) : GRADE_SCORE[row.grade];
}

/** Whether `score` came from the manifest (true) or from the grade (false), for the printout. */
export function hasScoreColumn(row: ManifestRow): boolean {
  return typeof row.score === "number" && Number.isFinite(row.score);
}

/** Confidence at or above which a root note is trusted for transposing across the keyboard. */
export const CONFIDENT_ROOT = 0.5;

/** Whether the row's root note can be trusted (an old manifest without `root_confidence`: any root). */
export function hasConfidentRoot(row: ManifestRow): boolean {
  if (row.root_midi === null || !Number.isInteger(row.root_midi)) return false;
  const c = row.root_confidence;
  return typeof c === "number" && Number.isFinite(c) ? c >= CONFIDENT_ROOT : true;
}
