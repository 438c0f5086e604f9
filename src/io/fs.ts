/** Small file-system helpers for the pipeline (the pipeline itself never imports node:fs). */
import { createHash } from "node:crypto";
import { mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ReadOnlyFolderError } from "../core/errors.js";
import { compareNames, hasExtension, isSkippedFileName } from "./walk.js";

/** Audio files directly inside `dir` (not recursive), sorted by name; [] when the folder is missing. */
export async function listAudioFiles(dir: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return entries
    .filter((d) => (d.isFile() || d.isSymbolicLink()) && hasExtension(d.name) && !isSkippedFileName(d.name))
    .map((d) => d.name)
    .sort(compareNames)
    .map((n) => join(dir, n));
}

/** What `stat` says about a path: its kind, size and modification time (links followed). */
export interface PathStat {
  readonly kind: "file" | "dir" | "other";
  readonly size: number;
  /** Modification time as the file system reports it (not rounded). */
  readonly mtimeMs: number;
  readonly mtime: Date;
}

/** The one stat helper of io/: a path's kind, size and mtime, or null when it is missing or unreadable. */
export async function statPath(path: string): Promise<PathStat | null> {
  try {
    const st = await stat(path);
    const kind = st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
    return { kind, size: st.size, mtimeMs: st.mtimeMs, mtime: st.mtime };
  } catch {
    return null;
  }
}

/** Whether a path exists (file or folder). */
export async function pathExists(path: string): Promise<boolean> {
  return (await statPath(path)) !== null;
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await statPath(path))?.kind === "dir";
}

/** Create a folder and its parents; a read-only parent is a ReadOnlyFolderError naming the folder. */
export async function ensureDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      throw new ReadOnlyFolderError(
        `cannot create this folder: the folder it goes in is read-only (${code})`,
        {
          path,
          cause: e,
        },
      );
    }
    throw e;
  }
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/**
 * A cheap content identity: size plus a hash of the first and last 64 KiB. Lets `make` analyse a
 * track once when the same file sits in two folders (hard-linked or copied).
 */
export async function fileIdentity(path: string): Promise<string> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const block = 65536;
    const head = new Uint8Array(Math.min(block, size));
    await fh.read(head, 0, head.length, 0);
    const tail = new Uint8Array(Math.min(block, size));
    await fh.read(tail, 0, tail.length, Math.max(0, size - block));
    return createHash("sha1").update(head).update(tail).update(String(size)).digest("hex");
  } finally {
    await fh.close();
  }
}

/** Whether `path` is a regular file (false when missing). */
export async function isFile(path: string): Promise<boolean> {
  return (await statPath(path))?.kind === "file";
}

/** Names in a folder ([] when it is missing or unreadable). */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Device and inode of a file: equal for two names of one file (hard links), so no read is needed. */
export async function fileInode(path: string): Promise<string> {
  const st = await stat(path);
  return `${st.dev}:${st.ino}`;
}

/**
 * Whether two files hold the same bytes, read in blocks (stops at the first difference). The
 * check behind `fileIdentity`: equal size, head and tail do not make equal files (two bounces of one
 * length with silent edges have the same first and last 64 KiB).
 */
export async function sameContent(a: string, b: string): Promise<boolean> {
  const [fa, fb] = await Promise.all([open(a, "r"), open(b, "r")]);
  try {
    const [sa, sb] = await Promise.all([fa.stat(), fb.stat()]);
    if (sa.size !== sb.size) return false;
    const block = 1 << 20;
    const ba = new Uint8Array(block);
    const bb = new Uint8Array(block);
    for (let pos = 0; pos < sa.size; pos += block) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, block, pos), fb.read(bb, 0, block, pos)]);
      if (ra.bytesRead !== rb.bytesRead) return false;
      if (Buffer.compare(ba.subarray(0, ra.bytesRead), bb.subarray(0, rb.bytesRead)) !== 0) return false;
    }
    return true;
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}
