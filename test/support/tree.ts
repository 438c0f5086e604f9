/** A folder's full state for "nothing was written here" checks: every entry with its kind, size, mtime and content hash. */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/**
 * One line per entry under `dir` (hidden ones too), sorted: kind, relative path, and for files the
 * size, modification time and SHA-256 of the content; folders with their mtime, which changes when
 * anything is created or deleted inside them; links with their target.
 */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = rel === "" ? dir : join(dir, rel);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) out.push(`link ${rel} -> ${readlinkSync(abs)}`);
    else if (st.isDirectory()) {
      out.push(`dir  ${rel || "."} mtime=${st.mtimeMs}`);
      for (const name of readdirSync(abs).sort()) walk(rel === "" ? name : `${rel}/${name}`);
    } else {
      const hash = createHash("sha256").update(readFileSync(abs)).digest("hex");
      out.push(`file ${rel} size=${st.size} mtime=${st.mtimeMs} sha256=${hash}`);
    }
  };
  walk("");
  return out.sort();
}
