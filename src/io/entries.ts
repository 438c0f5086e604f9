/**
 * Folder listings and file stats for code outside `io/` that walks its own output folders (the
 * report's images and manifests), so that code never imports `node:fs` itself.
 */
import { readdir, rm } from "node:fs/promises";
import { type PathStat, statPath } from "./fs.js";

/** Size and modification time of a regular file (mtime unrounded, as the file system reports it). */
export type FileStat = Omit<PathStat, "kind">;

/** Stat of a regular file, or null when it is missing, unreadable or not a regular file. */
export async function statFile(path: string): Promise<FileStat | null> {
  const st = await statPath(path);
  return st?.kind === "file" ? { size: st.size, mtimeMs: st.mtimeMs, mtime: st.mtime } : null;
}

export type EntryKind = "file" | "dir" | "other";

export interface DirEntry {
  readonly name: string;
  /** As the folder listing reports it: a symbolic link is "other", never followed. */
  readonly kind: EntryKind;
}

/** Entries of a folder in listing order; [] when it is missing or unreadable. */
export async function listEntries(dir: string): Promise<DirEntry[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.map((e) => ({
      name: e.name,
      kind: e.isFile() ? "file" : e.isDirectory() ? "dir" : "other",
    }));
  } catch {
    return [];
  }
}

/** Delete one file; a file already gone is not an error. */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
