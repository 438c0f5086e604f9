/**
 * The manifest row: one per texture patina made (saved or not). Written by the pipeline as
 * `<export_dir>/manifest.csv` and read back by the report. Column order is the CSV order.
 */
export const MANIFEST_COLUMNS = [
  "file", // path relative to export_dir, forward slashes
  "source", // source file stem
  "type", // pad | loop | swell | reversed | cloud | hiss_loop | hiss_flicker
  "category", // pads | swells | clouds | hiss
  "duration_sec",
  "rms_db",
  "peak_dbfs",
  "crest_factor",
  "centroid_hz",
  "brightness", // dark | mid | bright | silent
  "root_hz", // empty when no pitch
  "root_midi",
  "key", // e.g. "A minor", empty when unknown
  "loop", // true for loops
  "loop_start", // samples, loops only
  "loop_end",
  "loop_seam_db", // seam click score in dB (loops only)
  "loop_dip_db", // seam dip score in dB (loops only)
  "grade", // A | B | C | F
  "grade_reason", // the flaws that cost points, e.g. "level range 9 dB -18; percussive hit inside -25"
  "saved", // true | false
  "seed",
  "params", // JSON of the parameters that made it
  "score", // quality score 0-100 (empty in manifests written before it existed)
  "root_confidence", // 0-1 confidence of the pitch reading (also when no root); empty when not analysed
  "root_cents", // the root's fine tune in cents from root_midi, in [-50, 50]; empty when no root
  "duplicate_of", // the file (same source) this one duplicates and was not written for; empty otherwise
] as const;

/** Columns a manifest written by an older patina may lack (read as empty). */
export const OPTIONAL_MANIFEST_COLUMNS: readonly ManifestColumn[] = [
  "score",
  "root_confidence",
  "root_cents",
  "duplicate_of",
];

export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];

export type TextureType = "pad" | "loop" | "swell" | "reversed" | "cloud" | "hiss_loop" | "hiss_flicker";
export type TextureCategory = "pads" | "swells" | "clouds" | "hiss";
export type Brightness = "dark" | "mid" | "bright" | "silent";
export type Grade = "A" | "B" | "C" | "F";

export interface ManifestRow {
  file: string;
  source: string;
  type: TextureType;
  category: TextureCategory;
  duration_sec: number;
  rms_db: number;
  peak_dbfs: number;
  crest_factor: number;
  centroid_hz: number;
  brightness: Brightness;
  root_hz: number | null;
  root_midi: number | null;
  key: string | null;
  loop: boolean;
  loop_start: number | null;
  loop_end: number | null;
  loop_seam_db: number | null;
  loop_dip_db: number | null;
  grade: Grade;
  grade_reason: string;
  saved: boolean;
  seed: number;
  params: Record<string, unknown>;
  /** Quality score 0-100; null when the manifest predates it. */
  score: number | null;
  root_confidence: number | null;
  root_cents: number | null;
  /** Manifest file name of the texture this one duplicates (it was not written), else null. */
  duplicate_of: string | null;
}
