/**
 * manifest.csv read/write: the one table every texture lands in (see src/core/manifest.ts for the
 * columns). Reading turns the text back into typed rows (numbers, booleans, null for empty cells,
 * params as JSON) and names the row, column and bad value when a cell cannot be read.
 */
import { readFileSync } from "node:fs";
import { ParameterError } from "../core/errors.js";
import {
  type Brightness,
  type Grade,
  MANIFEST_COLUMNS,
  type ManifestColumn,
  type ManifestRow,
  OPTIONAL_MANIFEST_COLUMNS,
  type TextureCategory,
  type TextureType,
} from "../core/manifest.js";
import { writeFileAtomic } from "./atomic.js";
import { parseCsv, toCsv } from "./csv.js";

const TYPES: readonly TextureType[] = [
  "pad",
  "loop",
  "swell",
  "reversed",
  "cloud",
  "hiss_loop",
  "hiss_flicker",
];
const CATEGORIES: readonly TextureCategory[] = ["pads", "swells", "clouds", "hiss"];
const BRIGHTNESS: readonly Brightness[] = ["dark", "mid", "bright", "silent"];
const GRADES: readonly Grade[] = ["A", "B", "C", "F"];

/** Format rows as manifest CSV text, columns in MANIFEST_COLUMNS order. */
export function formatManifest(rows: readonly ManifestRow[]): string {
  return toCsv(
    MANIFEST_COLUMNS,
    rows.map((r) => MANIFEST_COLUMNS.map((c) => formatCell(r[c]))),
  );
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Parse manifest CSV text. `path` only labels error messages. Unknown extra columns are ignored. */
export function parseManifest(text: string, path?: string): ManifestRow[] {
  const records = parseCsv(text);
  if (records.length === 0) return [];
  const missing = MANIFEST_COLUMNS.filter(
    (c) => !(c in records[0]) && !OPTIONAL_MANIFEST_COLUMNS.includes(c),
  );
  if (missing.length > 0) {
    throw new ParameterError(`manifest is missing column(s): ${missing.join(", ")}`, { path });
  }
  return records.map((rec, i) => parseRow(rec, i + 2, path));
}

function parseRow(rec: Record<string, string>, line: number, path: string | undefined): ManifestRow {
  // Columns an older manifest lacks read as empty cells.
  for (const c of OPTIONAL_MANIFEST_COLUMNS) rec[c] ??= "";
  const bad = (col: ManifestColumn, what: string): never => {
    throw new ParameterError(`line ${line}: column "${col}" ${what}, got: ${JSON.stringify(rec[col])}`, {
      path,
    });
  };
  const num = (col: ManifestColumn): number => {
    const s = rec[col].trim();
    if (s === "") return Number.NaN;
    const n = Number(s);
    return Number.isNaN(n) ? bad(col, "is not a number") : n;
  };
  const numOrNull = (col: ManifestColumn): number | null =>
    rec[col] === undefined || rec[col].trim() === "" ? null : num(col);
  const bool = (col: ManifestColumn): boolean => {
    const s = rec[col].trim().toLowerCase();
    if (s === "true" || s === "1") return true;
    if (s === "false" || s === "0" || s === "") return false;
    return bad(col, "is not true/false");
  };
  const oneOf = <T extends string>(col: ManifestColumn, allowed: readonly T[]): T => {
    const s = rec[col].trim();
    return (allowed as readonly string[]).includes(s)
      ? (s as T)
      : bad(col, `is not one of ${allowed.join("|")}`);
  };
  const params = (): Record<string, unknown> => {
    const s = rec.params.trim();
    if (s === "") return {};
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      return bad("params", "is not valid JSON");
    }
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : bad("params", "is not a JSON object");
  };
  const file = rec.file.trim();
  if (file === "") bad("file", "is empty");
  return {
    file: file.replace(/\\/g, "/"),
    source: rec.source,
    type: oneOf("type", TYPES),
    category: oneOf("category", CATEGORIES),
    duration_sec: num("duration_sec"),
    rms_db: num("rms_db"),
    peak_dbfs: num("peak_dbfs"),
    crest_factor: num("crest_factor"),
    centroid_hz: num("centroid_hz"),
    brightness: oneOf("brightness", BRIGHTNESS),
    root_hz: numOrNull("root_hz"),
    root_midi: numOrNull("root_midi"),
    key: rec.key.trim() === "" ? null : rec.key,
    loop: bool("loop"),
    loop_start: numOrNull("loop_start"),
    loop_end: numOrNull("loop_end"),
    loop_seam_db: numOrNull("loop_seam_db"),
    loop_dip_db: numOrNull("loop_dip_db"),
    grade: oneOf("grade", GRADES),
    grade_reason: rec.grade_reason,
    saved: bool("saved"),
    seed: num("seed"),
    params: params(),
    score: numOrNull("score"),
    root_confidence: numOrNull("root_confidence"),
    root_cents: numOrNull("root_cents"),
    duplicate_of: rec.duplicate_of.trim() === "" ? null : rec.duplicate_of.trim().replace(/\\/g, "/"),
  };
}

/** Read `<export_dir>/manifest.csv` (or any manifest file) into typed rows. */
export function readManifest(path: string): ManifestRow[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ParameterError(`cannot read manifest: ${(e as Error).message}`, { path, cause: e });
  }
  return parseManifest(text, path);
}

/**
 * Write rows as manifest CSV through the shared atomic writer (./atomic.ts): a synced temporary
 * sibling renamed over the file, so readers never see half a file, and a temporary file left by a
 * crash is one `cleanStaleTemps` removes.
 */
export async function writeManifest(path: string, rows: readonly ManifestRow[]): Promise<void> {
  await writeFileAtomic(path, formatManifest(rows));
}
