/**
 * The musician's keep/reject/star choices as the page keeps them, and how two copies merge (the
 * page's own browser storage and the selection.json on disk). Every choice carries the time it was
 * made, an unmarking included (state null), so merging keeps the latest decision per texture and an
 * older copy can never bring back a mark that was taken off. selection.json has one time for the
 * whole file (`updated`), which then stands for each of its entries.
 *
 * These functions run in the page too (their source is inlined into the report's script), so each
 * is self-contained: no imports used at run time, no helpers outside its own body.
 */
import type { SelectionEntry, SelectionFile, SelectionState } from "../core/export-files.js";

export interface Choice {
  /** null: unmarked (kept so that it beats an older mark). */
  readonly state: SelectionState | null;
  /** Only kept textures are starred. */
  readonly star: boolean;
  /** When it was decided, ms since 1970. */
  readonly at: number;
}

/** Choices by manifest file name (relative to the export folder). */
export type Choices = Record<string, Choice>;

/** A selection file's entries as choices made at its `updated` time (0 when that is unreadable). */
export function choicesFromFile(file: SelectionFile | null): Choices {
  const out: Choices = {};
  if (file === null) return out;
  const t = Date.parse(file.updated);
  const at = Number.isFinite(t) ? t : 0;
  for (const name of Object.keys(file.textures)) {
    const e = file.textures[name];
    if (e.state !== "keep" && e.state !== "reject") continue;
    out[name] = { state: e.state, star: e.state === "keep" && e.star === true, at };
  }
  return out;
}

/** Per texture the later choice; on a tie `b` wins (the copy read last is the fresher one). */
export function mergeChoices(a: Choices, b: Choices): Choices {
  const out: Choices = {};
  for (const name of Object.keys(a)) out[name] = a[name];
  for (const name of Object.keys(b)) {
    const mine = out[name];
    if (mine === undefined || b[name].at >= mine.at) out[name] = b[name];
  }
  return out;
}

/** The entries selection.json holds: marked textures only, a star only on kept ones, sorted by name. */
export function selectionEntries(choices: Choices): Record<string, SelectionEntry> {
  const out: Record<string, SelectionEntry> = {};
  for (const name of Object.keys(choices).sort()) {
    const c = choices[name];
    if (c.state === "keep") out[name] = c.star ? { state: "keep", star: true } : { state: "keep" };
    else if (c.state === "reject") out[name] = { state: "reject" };
  }
  return out;
}

/** Time of the latest choice (0 when there is none): the `updated` of the file written from them. */
export function latestChoice(choices: Choices): number {
  let t = 0;
  for (const name of Object.keys(choices)) if (choices[name].at > t) t = choices[name].at;
  return t;
}
