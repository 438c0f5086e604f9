import { randomBytes } from "node:crypto";
import { open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { WriteError } from "../core/errors.js";

/** Marker in temporary names; `cleanStaleTemps` recognises leftovers by it. */
const TMP_MARK = ".patina-tmp-";
const TMP_RE = /^\..+\.patina-tmp-(\d+)-[0-9a-f]+$/;

/** Temporary sibling name: `.<name>.patina-tmp-<pid>-<rand>` (hidden, same folder so rename is atomic). */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${TMP_MARK}${process.pid}-${randomBytes(4).toString("hex")}`);
}

export interface AtomicWriteOptions {
  /**
   * fsync the data and the folder (default true). Files that are rebuilt from others when lost
   * (report thumbnails) skip it: still never half-written, just not forced to disk at once.
   */
  durable: boolean;
}

/**
 * Write a file atomically: write a temporary sibling, fsync it, rename it over `path`. Readers see the old
 * file or the complete new one, never a half-written one; on error the temporary file is removed.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: Partial<AtomicWriteOptions> = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const tmp = tempNameFor(path);
  let ok = false;
  try {
    const fh = await open(tmp, "wx");
    try {
      await fh.writeFile(data);
      if (durable) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    ok = true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new WriteError(`cannot write (${code})`, { path, cause: err });
  } finally {
    if (!ok) await unlink(tmp).catch(() => undefined);
  }
  if (!durable) return;
  // Make the rename itself durable where the platform allows fsync on a directory.
  try {
    const dh = await open(dirname(path), "r");
    await dh.sync().catch(() => undefined);
    await dh.close();
  } catch {
    // Not supported (e.g. Windows): the data itself is already synced.
  }
}

/** Whether a process of this id runs on this machine (one we may not signal counts as running). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove temporary files left in `dir` by crashed or interrupted runs: those whose writer process is gone,
 * or older than `maxAgeMs` whatever their pid (a reused pid must not keep them forever). Returns the paths removed.
 */
export async function cleanStaleTemps(dir: string, maxAgeMs = 24 * 3600 * 1000): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TMP_RE.exec(name);
    if (!m) continue;
    const p = join(dir, name);
    try {
      const st = await stat(p);
      if (!st.isFile()) continue;
      const pid = Number(m[1]);
      if (processAlive(pid) && Date.now() - st.mtimeMs < maxAgeMs) continue;
      await unlink(p);
      removed.push(p);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}
