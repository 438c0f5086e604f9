/**
 * File access for serving a folder over HTTP: resolve a request path to a real file that stays
 * inside the served folder (no `..`, no symlink escape) and stream a byte range of it.
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";

/** Whether `path` is `root` itself or lies under it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/**
 * The real path of a folder (symlinks resolved), for use as a served root. Throws the file
 * system's error when it is missing, and an Error "not a folder" when it is something else.
 */
export async function realFolder(path: string): Promise<string> {
  const real = await realpath(resolve(path));
  if (!(await stat(real)).isDirectory()) throw new Error("not a folder");
  return real;
}

export interface ServedFile {
  /** Real path of the file (inside the root). */
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
}

/**
 * Resolve a decoded URL pathname against `root` (a real folder path, see realFolder). A folder
 * stands for its index.html. Returns "forbidden" when the path or its real target leaves the root,
 * "not-found" when nothing (or no regular file) is there.
 */
export async function resolveServedFile(
  root: string,
  pathname: string,
): Promise<ServedFile | "forbidden" | "not-found"> {
  let target = resolve(root, `.${pathname}`);
  if (!isInside(root, target)) return "forbidden";
  let real: string;
  try {
    real = await realpath(target);
    if ((await stat(real)).isDirectory()) {
      target = join(target, "index.html");
      real = await realpath(target);
    }
  } catch {
    return "not-found";
  }
  // A symlink inside the folder must not lead outside it.
  if (!isInside(root, real)) return "forbidden";
  const st = await stat(real);
  if (!st.isFile()) return "not-found";
  return { path: real, size: st.size, mtime: st.mtime };
}

/** A stream of the bytes `start..end` (inclusive) of a file. */
export function readByteRange(path: string, start: number, end: number): Readable {
  return createReadStream(path, { start, end });
}
