/**
 * Numeric manifest columns newer than the typed reader (src/io/manifest.ts ignores columns it does
 * not know), read by name from every manifest of an export folder. The report uses it for `score`,
 * `root_confidence` and `root_cents` until the reader carries them on ManifestRow; a manifest whose
 * header has none of the asked columns is not parsed at all.
 */
import { join } from "node:path";
import { parseCsv } from "./csv.js";
import { findManifestFolders } from "./export-folder.js";
import { readTextFile } from "./textfile.js";

/** Values by manifest file name (rebased onto `dir`), then by column; empty or non-numeric cells are left out. */
export async function readExportColumns(
  dir: string,
  columns: readonly string[],
): Promise<Map<string, Partial<Record<string, number>>>> {
  const out = new Map<string, Partial<Record<string, number>>>();
  if (columns.length === 0) return out;
  for (const rel of await findManifestFolders(dir)) {
    const text = await readTextFile(join(dir, rel, "manifest.csv"));
    const header = text.slice(0, text.search(/\r?\n|$/)).split(",");
    const wanted = columns.filter((c) => header.includes(c));
    if (wanted.length === 0) continue;
    for (const rec of parseCsv(text)) {
      const file = (rec.file ?? "").trim().replace(/\\/g, "/");
      if (file === "") continue;
      const values: Partial<Record<string, number>> = {};
      for (const c of wanted) {
        const s = (rec[c] ?? "").trim();
        const v = s === "" ? Number.NaN : Number(s);
        if (Number.isFinite(v)) values[c] = v;
      }
      out.set(rel === "" ? file : `${rel}/${file}`, values);
    }
  }
  return out;
}
