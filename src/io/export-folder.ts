/**
 * Reading an export folder as a whole: a `make` export holds one `manifest.csv` (with
 * `fingerprints.json` and `selection.json` beside it); a `batch` export holds one per track under
 * `by_source/<slug>/`. Readers get the rows and fingerprints of every manifest with file names
 * rebased onto the folder they asked for, so the report and `patina kit` see one flat pack.
 */
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ParameterError, UsageError } from "../core/errors.js";
import {
  FINGERPRINT_FILE,
  type FingerprintFile,
  SELECTION_FILE,
  type SelectionEntry,
  type SelectionFile,
} from "../core/export-files.js";
import type { ManifestRow } from "../core/manifest.js";
import { listEntries, statFile } from "./entries.js";
import { parseFingerprintJson } from "./fingerprint-file.js";
import { readManifest } from "./manifest.js";
import { readTextFile } from "./textfile.js";
import { writeJsonAtomic } from "./workdir.js";

/** How deep below the export folder a per-track manifest may sit (`by_source/<slug>/` is 2). */
const MAX_DEPTH = 3;

/**
 * Folders (relative to `dir`, "" for `dir` itself) that hold a `manifest.csv`: `dir` alone when it
 * has one, else every subfolder up to three levels down that has one, sorted by name.
 */
export async function findManifestFolders(dir: string): Promise<string[]> {
  if ((await statFile(join(dir, "manifest.csv"))) !== null) return [""];
  // Sibling folders are listed at once (a 500-track batch has thousands of folders); the result
  // keeps the depth-first, by-name order.
  const walk = async (rel: string, depth: number): Promise<string[]> => {
    const entries = await listEntries(join(dir, rel));
    entries.sort((a, b) => a.name.localeCompare(b.name, "en"));
    const parts = await Promise.all(
      entries.map(async (e): Promise<string[]> => {
        const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
        if (e.kind === "file" && e.name === "manifest.csv" && rel !== "") return [rel];
        if (e.kind === "dir" && !e.name.startsWith(".") && depth < MAX_DEPTH)
          return walk(childRel, depth + 1);
        return [];
      }),
    );
    return parts.flat();
  };
  return walk("", 0);
}

const rebase = (rel: string, file: string): string => (rel === "" ? file : `${rel}/${file}`);

/**
 * Every manifest row of an export folder, file names relative to `dir`. A folder with no manifest
 * anywhere is a usage error (nothing was made there yet).
 */
export async function readExportRows(dir: string): Promise<ManifestRow[]> {
  const folders = await findManifestFolders(dir);
  if (folders.length === 0) {
    throw new UsageError(
      "no manifest.csv here or in its subfolders: run `patina make` or `patina batch` first",
      {
        path: dir,
      },
    );
  }
  const rows: ManifestRow[] = [];
  for (const rel of folders) {
    for (const r of readManifest(join(dir, rel, "manifest.csv")))
      rows.push({ ...r, file: rebase(rel, r.file) });
  }
  return rows;
}

/**
 * The fingerprints of every manifest folder under `dir`, keys rebased onto `dir`. Folders without a
 * fingerprint file (made by an older patina) contribute nothing; folders whose dimensions differ
 * from the first one found are left out too (their vectors could not be compared). Returns null when
 * no folder has fingerprints.
 */
export async function readExportFingerprints(dir: string): Promise<FingerprintFile | null> {
  let dims: readonly string[] | null = null;
  const textures: Record<string, readonly number[]> = {};
  for (const rel of await findManifestFolders(dir)) {
    const path = join(dir, rel, FINGERPRINT_FILE);
    if ((await statFile(path)) === null) continue;
    const f = parseFingerprintJson(parseJson(await readTextFile(path), path), path);
    if (dims === null) dims = f.dims;
    else if (dims.length !== f.dims.length || dims.some((d, i) => d !== f.dims[i])) continue;
    for (const [file, v] of Object.entries(f.textures)) {
      if (v.length === f.dims.length) textures[rebase(rel, file)] = v;
    }
  }
  return dims === null ? null : { version: 1, dims, textures };
}

const selectionSchema = z.object({
  version: z.literal(1),
  updated: z.string(),
  textures: z.record(
    z.string(),
    z.object({ state: z.enum(["keep", "reject"]), star: z.boolean().optional() }),
  ),
});

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ParameterError(`not valid JSON: ${(e as Error).message}`, { path, cause: e });
  }
}

/** Parse a selection file's text (what the page posts, or what is on disk). */
export function parseSelection(text: string, path: string): SelectionFile {
  const parsed = selectionSchema.safeParse(parseJson(text, path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ParameterError(
      `not a patina selection file: ${issue ? `${issue.path.join(".") || "(top)"}: ${issue.message}` : "invalid"}`,
      { path },
    );
  }
  return parsed.data;
}

/** `<dir>/selection.json` (or the file `path` names), or null when there is none. */
export async function readSelection(path: string): Promise<SelectionFile | null> {
  const file = path.endsWith(".json") ? path : join(path, SELECTION_FILE);
  if ((await statFile(file)) === null) return null;
  return parseSelection(await readTextFile(file), file);
}

/** A selection file and the choices in it that concern one export folder (keys relative to it). */
export interface FoundSelection {
  readonly path: string;
  readonly textures: Readonly<Record<string, SelectionEntry>>;
}

/**
 * The choices that cover `dir`: its own `selection.json`, else the one of an export folder above it
 * (up to three levels, a folder with a `manifest.csv`): a batch export's page is one page for every
 * track, so choosing there and making a kit of one `by_source/<slug>/` folder must find its choices.
 * Keys are rebased onto `dir`; entries for other folders are left out. Null when there is none.
 */
export async function findSelection(dir: string): Promise<FoundSelection | null> {
  const own = await readSelection(dir);
  if (own !== null) return { path: join(dir, SELECTION_FILE), textures: own.textures };
  let rel = "";
  let cur = resolve(dir);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const parent = dirname(cur);
    if (parent === cur) break;
    rel = rel === "" ? basename(cur) : `${basename(cur)}/${rel}`;
    cur = parent;
    if ((await statFile(join(cur, "manifest.csv"))) === null) continue;
    const above = await readSelection(cur);
    if (above === null) continue;
    const prefix = `${rel}/`;
    const textures: Record<string, SelectionEntry> = {};
    for (const [file, entry] of Object.entries(above.textures)) {
      if (file.startsWith(prefix)) textures[file.slice(prefix.length)] = entry;
    }
    return { path: join(cur, SELECTION_FILE), textures };
  }
  return null;
}

/** Write a selection atomically (temporary file, fsync, rename). */
export async function writeSelection(
  path: string,
  textures: Readonly<Record<string, SelectionEntry>>,
  now: Date = new Date(),
): Promise<SelectionFile> {
  const file: SelectionFile = { version: 1, updated: now.toISOString(), textures };
  await writeJsonAtomic(path.endsWith(".json") ? path : join(path, SELECTION_FILE), file);
  return file;
}
