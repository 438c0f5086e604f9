/**
 * One `fingerprints.json` (see core/export-files.ts): read, merge the way the manifest merges
 * (textures written by this run replace theirs, the others stay), and write atomically with one
 * texture per line, so a 30,000-texture file stays readable and diffs stay small.
 */
import { ParameterError } from "../core/errors.js";
import type { FingerprintFile } from "../core/export-files.js";
import { statFile } from "./entries.js";
import { readTextFile, writeTextFileAtomic } from "./textfile.js";

/**
 * Check parsed JSON is a fingerprint file (by hand, not with a schema library: an archive's file
 * holds millions of numbers, and a generic validator takes seconds over them). Vectors of another
 * length than `dims` are dropped, not fatal (a reader can still use the others).
 */
export function parseFingerprintJson(json: unknown, path: string): FingerprintFile {
  const bad = (what: string): never => {
    throw new ParameterError(`not a patina fingerprint file: ${what}`, { path });
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) return bad("not a JSON object");
  const o = json as Record<string, unknown>;
  if (o.version !== 1) bad(`version must be 1, got: ${JSON.stringify(o.version)}`);
  const dims = o.dims;
  if (!Array.isArray(dims) || !dims.every((d) => typeof d === "string"))
    return bad("dims must be a list of names");
  const t = o.textures;
  if (typeof t !== "object" || t === null || Array.isArray(t)) return bad("textures must be an object");
  const textures: Record<string, readonly number[]> = {};
  for (const [name, v] of Object.entries(t as Record<string, unknown>)) {
    if (!Array.isArray(v)) return bad(`textures.${name} must be a list of numbers`);
    let ok = v.length === dims.length;
    for (let i = 0; ok && i < v.length; i++) ok = typeof v[i] === "number";
    if (ok) textures[name] = v as number[];
  }
  return { version: 1, dims: dims as string[], textures };
}

/** The fingerprint file at `path`, or null when there is none. A malformed file is a ParameterError. */
export async function readFingerprintFile(path: string): Promise<FingerprintFile | null> {
  if ((await statFile(path)) === null) return null;
  const text = await readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new ParameterError(`not valid JSON: ${(e as Error).message}`, { path, cause: e });
  }
  return parseFingerprintJson(json, path);
}

/** Values kept to 4 decimals: dB and octaves to well under what the ear tells apart, chroma to 1e-4. */
const round4 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : 0);

/** The file's text: keys in the given order, one texture per line. */
export function formatFingerprintFile(file: FingerprintFile): string {
  const lines = Object.entries(file.textures).map(
    ([name, v]) => `    ${JSON.stringify(name)}: [${v.map((x) => String(round4(x))).join(",")}]`,
  );
  return (
    `{\n  "version": 1,\n  "dims": ${JSON.stringify(file.dims)},\n  "textures": {\n` +
    `${lines.join(",\n")}${lines.length > 0 ? "\n" : ""}  }\n}\n`
  );
}

/**
 * Merge `added` (this run's textures, in its order) into the file at `path`: earlier entries not
 * written again are kept first, in their order; entries whose `keep(name)` is false are dropped (the
 * manifest no longer lists them). An earlier file with other dimensions is replaced whole.
 * Writes atomically.
 */
export async function mergeFingerprintFile(
  path: string,
  dims: readonly string[],
  added: ReadonlyMap<string, readonly number[]>,
  keep: (name: string) => boolean = () => true,
): Promise<void> {
  const previous = await readFingerprintFile(path).catch(() => null);
  const textures: Record<string, readonly number[]> = {};
  const sameDims =
    previous !== null && previous.dims.length === dims.length && previous.dims.every((d, i) => d === dims[i]);
  if (sameDims) {
    for (const [name, v] of Object.entries(previous.textures)) {
      if (!added.has(name) && keep(name)) textures[name] = v;
    }
  }
  for (const [name, v] of added) textures[name] = v;
  await writeFingerprintFile(path, { version: 1, dims, textures });
}

/** Write a fingerprint file atomically (temporary sibling, then rename). */
export async function writeFingerprintFile(path: string, file: FingerprintFile): Promise<void> {
  await writeTextFileAtomic(path, formatFingerprintFile(file));
}

/**
 * Combine per-folder fingerprint files into one whose keys carry each folder's prefix (a batch
 * export's `by_source/<slug>/` files into the export root's). Folders without a file, or with other
 * dimensions than the first one found, contribute nothing. Returns the number of textures written;
 * with none, nothing is written.
 */
export async function combineFingerprintFiles(
  parts: readonly { readonly prefix: string; readonly path: string }[],
  out: string,
): Promise<number> {
  let dims: readonly string[] | null = null;
  const textures: Record<string, readonly number[]> = {};
  for (const part of parts) {
    const f = await readFingerprintFile(part.path).catch(() => null);
    if (f === null) continue;
    if (dims === null) dims = f.dims;
    else if (dims.length !== f.dims.length || dims.some((d, i) => d !== f.dims[i])) continue;
    for (const [name, v] of Object.entries(f.textures)) textures[`${part.prefix}${name}`] = v;
  }
  if (dims === null) return 0;
  await writeFingerprintFile(out, { version: 1, dims, textures });
  return Object.keys(textures).length;
}
