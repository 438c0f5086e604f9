/**
 * File-system steps of `patina batch` (the pipeline never imports node:fs): placing a source in a
 * working folder without copying when possible, moving results, committing a finished folder with
 * one rename, and small JSON helpers for completion markers.
 */
import { copyFile, link, mkdir, readdir, readFile, rename, rm, rmdir, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { WriteError } from "../core/errors.js";
import { writeFileAtomic } from "./atomic.js";

const code = (e: unknown): string => (e as NodeJS.ErrnoException | null)?.code ?? String(e);

/**
 * Place `src` at `dest` as a hard link (no copy, and the original is never opened for writing);
 * where links are impossible (another disk, a file system without them, a protected file) copy it.
 * An existing `dest` is replaced. Returns how the file was placed.
 */
export async function linkOrCopy(src: string, dest: string): Promise<"link" | "copy"> {
  await mkdir(dirname(dest), { recursive: true });
  await unlink(dest).catch(() => undefined);
  try {
    await link(src, dest);
    return "link";
  } catch (e) {
    if (code(e) === "ENOENT")
      throw new WriteError(`cannot link the source (${code(e)})`, { path: src, cause: e });
  }
  try {
    await copyFile(src, dest);
    return "copy";
  } catch (e) {
    throw new WriteError(`cannot copy the source to ${dest} (${code(e)})`, { path: src, cause: e });
  }
}

/** Move a file (rename; across disks copy then delete). Creates the destination folder. */
export async function moveFile(src: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  try {
    await rename(src, dest);
  } catch (e) {
    if (code(e) !== "EXDEV")
      throw new WriteError(`cannot move to ${dest} (${code(e)})`, { path: src, cause: e });
    await copyFile(src, dest);
    await unlink(src);
  }
}

/**
 * Put the finished folder `from` at `to` with one rename, so `to` is either absent or complete.
 * An existing `to` (a track being redone) is first renamed aside to `aside` and removed afterwards.
 */
export async function commitDir(from: string, to: string, aside: string): Promise<void> {
  await rm(aside, { recursive: true, force: true });
  let movedAside = false;
  try {
    await rename(to, aside);
    movedAside = true;
  } catch (e) {
    if (code(e) !== "ENOENT")
      throw new WriteError(`cannot replace the folder (${code(e)})`, { path: to, cause: e });
  }
  try {
    await rename(from, to);
  } catch (e) {
    throw new WriteError(`cannot move the finished folder into place (${code(e)})`, { path: to, cause: e });
  }
  if (movedAside) await rm(aside, { recursive: true, force: true });
}

/** Parsed JSON of a file, or null when it is missing or not valid JSON. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch {
    return null;
  }
}

/** Write pretty JSON atomically (creates the folder). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    throw new WriteError(`cannot create the folder (${code(e)})`, { path, cause: e });
  }
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Names of the subfolders of `dir` (sorted); [] when it does not exist. */
export async function listSubdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Remove the subfolders of `dir` whose name matches `pattern` (leftovers of an interrupted run). */
export async function removeSubdirsMatching(dir: string, pattern: RegExp): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await listSubdirs(dir)) {
    if (!pattern.test(name)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Remove `dir` when it exists and is empty; returns whether it was removed. */
export async function removeDirIfEmpty(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch {
    return false;
  }
}
