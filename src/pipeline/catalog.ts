/**
 * The catalog and selection tables: the exact formats users' scripts and spreadsheets read.
 * Catalog columns: `id,rel_path,duration_sec,sample_rate,channels,file_size_mb`; a selection adds
 * `selection_score`. CSV and markdown print duration with 2 decimals and size with 1; JSON is an
 * array of the same objects with numbers as numbers (rounded the same way).
 */
import { ParameterError } from "../core/errors.js";
import { parseCsv, toCsv } from "../io/csv.js";
import { readTextFile, writeTextFileAtomic } from "../io/textfile.js";

export const CATALOG_COLUMNS = [
  "id",
  "rel_path",
  "duration_sec",
  "sample_rate",
  "channels",
  "file_size_mb",
] as const;

export const SELECTION_COLUMNS = [...CATALOG_COLUMNS, "selection_score"] as const;

export interface CatalogRow {
  /** `audio_0000`, `audio_0001`, ... in walk order. */
  readonly id: string;
  /** Relative to the discovery root, forward slashes. */
  readonly rel_path: string;
  /** Seconds, rounded to 2 decimals. */
  readonly duration_sec: number;
  readonly sample_rate: number;
  readonly channels: number;
  /** Mebibytes (1024 * 1024 bytes, as the seed's Python tool computed them), rounded to 1 decimal. */
  readonly file_size_mb: number;
}

export interface SelectedRow extends CatalogRow {
  readonly selection_score: number;
}

export type TableFormat = "csv" | "json" | "markdown";

/** Bytes per "MB" in `file_size_mb`. */
export const BYTES_PER_MB = 1024 * 1024;

export const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** Catalog id for the i-th file in walk order. */
export const catalogId = (index: number): string => `audio_${String(index).padStart(4, "0")}`;

/**
 * The output format: the explicit one if given, else from the extension (.json, .md/.markdown,
 * anything else CSV).
 */
export function formatFromPath(path: string, explicit?: TableFormat | null): TableFormat {
  if (explicit) return explicit;
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".md") || lower.endsWith(".markdown")) return "markdown";
  return "csv";
}

type Column = (typeof SELECTION_COLUMNS)[number];

/** Decimals each numeric column is printed with in CSV and markdown. */
const DECIMALS: Partial<Record<Column, number>> = { duration_sec: 2, file_size_mb: 1 };

function cellText(column: Column, value: string | number): string {
  if (typeof value === "string") return value;
  const d = DECIMALS[column];
  return d === undefined ? String(value) : value.toFixed(d);
}

function cellJson(column: Column, value: string | number): string | number {
  if (typeof value === "string") return value;
  const d = DECIMALS[column];
  return d === undefined ? value : round(value, d);
}

function mdCell(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[\r\n]+/g, " ");
}

/** Format rows (catalog or selection) with the given columns. */
export function formatTable<R extends CatalogRow>(
  rows: readonly R[],
  columns: readonly Column[],
  format: TableFormat,
): string {
  const get = (r: R, c: Column): string | number => (r as unknown as Record<string, string | number>)[c];
  if (format === "json") {
    const objs = rows.map((r) => Object.fromEntries(columns.map((c) => [c, cellJson(c, get(r, c))])));
    return `${JSON.stringify(objs, null, 2)}\n`;
  }
  if (format === "markdown") {
    const numeric = (c: Column): boolean => c !== "id" && c !== "rel_path";
    const lines = [
      `| ${columns.join(" | ")} |`,
      `| ${columns.map((c) => (numeric(c) ? "---:" : "---")).join(" | ")} |`,
      ...rows.map((r) => `| ${columns.map((c) => mdCell(cellText(c, get(r, c)))).join(" | ")} |`),
    ];
    return `${lines.join("\n")}\n`;
  }
  return toCsv(
    columns,
    rows.map((r) => columns.map((c) => cellText(c, get(r, c)))),
  );
}

export function formatCatalog(rows: readonly CatalogRow[], format: TableFormat): string {
  return formatTable(rows, CATALOG_COLUMNS, format);
}

/** Write a catalog atomically; returns the format used. */
export async function writeCatalog(
  rows: readonly CatalogRow[],
  path: string,
  format?: TableFormat | null,
): Promise<TableFormat> {
  const f = formatFromPath(path, format);
  await writeTextFileAtomic(path, formatCatalog(rows, f));
  return f;
}

function toNumber(v: unknown, column: string, where: string, path: string | undefined): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) {
    throw new ParameterError(`${where}: column ${column} must be a number, got: ${JSON.stringify(v)}`, {
      path,
    });
  }
  return n;
}

function toRow(
  rec: Record<string, unknown>,
  where: string,
  path: string | undefined,
  withScore: boolean,
): SelectedRow | CatalogRow {
  for (const c of withScore ? SELECTION_COLUMNS : CATALOG_COLUMNS) {
    if (!(c in rec)) throw new ParameterError(`${where}: missing column ${c}`, { path });
  }
  const relPath = rec.rel_path;
  if (typeof relPath !== "string" || relPath === "") {
    throw new ParameterError(
      `${where}: rel_path must be a non-empty string, got: ${JSON.stringify(relPath)}`,
      {
        path,
      },
    );
  }
  const id = rec.id;
  if (typeof id !== "string" && typeof id !== "number") {
    throw new ParameterError(`${where}: id must be a string, got: ${JSON.stringify(id)}`, { path });
  }
  const row: CatalogRow = {
    id: String(id),
    rel_path: relPath,
    duration_sec: toNumber(rec.duration_sec, "duration_sec", where, path),
    sample_rate: toNumber(rec.sample_rate, "sample_rate", where, path),
    channels: toNumber(rec.channels, "channels", where, path),
    file_size_mb: toNumber(rec.file_size_mb, "file_size_mb", where, path),
  };
  if (!withScore) return row;
  return { ...row, selection_score: toNumber(rec.selection_score, "selection_score", where, path) };
}

/** JSON when the path says so, CSV when it says so, else sniffed from the first character. */
function isJsonText(text: string, path: string | undefined): boolean {
  const lower = (path ?? "").toLowerCase();
  if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
    throw new ParameterError("markdown tables are for people to read; give a CSV or JSON catalog", { path });
  }
  return lower.endsWith(".json") || (!lower.endsWith(".csv") && text.trimStart().startsWith("["));
}

function parseRecords(text: string, path: string | undefined, json: boolean): Record<string, unknown>[] {
  if (!json) return parseCsv(text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ParameterError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`, { path });
  }
  if (!Array.isArray(data)) throw new ParameterError("a JSON catalog must be an array of objects", { path });
  return data.map((d, i) => {
    if (typeof d !== "object" || d === null || Array.isArray(d)) {
      throw new ParameterError(`item ${i}: expected an object, got: ${JSON.stringify(d)}`, { path });
    }
    return d as Record<string, unknown>;
  });
}

/**
 * Parse catalog text (CSV, or JSON when the path ends in .json or the text starts with "["). Extra
 * columns are ignored; a missing column or a bad number is a ParameterError naming the row.
 */
export function parseCatalog(text: string, path?: string): CatalogRow[] {
  const isJson = isJsonText(text, path);
  return parseRecords(text, path, isJson).map((rec, i) => {
    const rel = typeof rec.rel_path === "string" ? ` (${rec.rel_path})` : "";
    return toRow(rec, isJson ? `item ${i}${rel}` : `line ${i + 2}${rel}`, path, false);
  });
}

/** Parse a selection table (catalog columns plus selection_score). */
export function parseSelection(text: string, path?: string): SelectedRow[] {
  const isJson = isJsonText(text, path);
  return parseRecords(text, path, isJson).map((rec, i) => {
    const rel = typeof rec.rel_path === "string" ? ` (${rec.rel_path})` : "";
    return toRow(rec, isJson ? `item ${i}${rel}` : `line ${i + 2}${rel}`, path, true) as SelectedRow;
  });
}

/** Read a CSV or JSON catalog file (a selection file reads as a catalog too). */
export async function readCatalog(path: string): Promise<CatalogRow[]> {
  return parseCatalog(await readTextFile(path), path);
}

/** Read a CSV or JSON selection file, keeping selection_score. */
export async function readSelection(path: string): Promise<SelectedRow[]> {
  return parseSelection(await readTextFile(path), path);
}
