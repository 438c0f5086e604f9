/**
 * The files that sit beside `manifest.csv` in an export folder and are shared by `make`, the
 * report and `patina kit`: the timbre fingerprints written at make time and the musician's
 * keep/reject choices made in the report. Keys are manifest file names (relative to the folder
 * holding the manifest, forward slashes); readers of a batch export rebase them onto the export root.
 */

/** `<export_dir>/fingerprints.json`, written by `make` beside `manifest.csv`. */
export const FINGERPRINT_FILE = "fingerprints.json";

export interface FingerprintFile {
  readonly version: 1;
  /** Name of each dimension, in vector order (e.g. "mel03_mean", "flatness", "chroma_A"). */
  readonly dims: readonly string[];
  /** One vector per saved texture, keyed by its manifest file name; every vector has dims.length values. */
  readonly textures: Readonly<Record<string, readonly number[]>>;
}

/** `<export_dir>/selection.json`, written by the report page (through `patina report --serve`). */
export const SELECTION_FILE = "selection.json";

export type SelectionState = "keep" | "reject";

export interface SelectionEntry {
  readonly state: SelectionState;
  /** Only kept textures can be starred. */
  readonly star?: boolean;
}

export interface SelectionFile {
  readonly version: 1;
  /** ISO 8601 time of the last change. */
  readonly updated: string;
  /** Choices by manifest file name relative to the export folder the page was built for. */
  readonly textures: Readonly<Record<string, SelectionEntry>>;
}
