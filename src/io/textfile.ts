/**
 * Small text-file helpers for the pipeline's tables (catalogs, selections, the discovery cache), so
 * pipeline code never touches `fs` itself.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ParameterError, WriteError } from "../core/errors.js";

/** Read a UTF-8 text file; a missing or unreadable file is a ParameterError naming the path. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ParameterError(`cannot read file (${code})`, { path, cause: e });
  }
}

/**
 * Write text atomically: a temporary name in the same folder, then rename, so a crash or Ctrl-C never
 * leaves a half-written table. Creates the folder when missing. Throws WriteError naming the path.
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, text, "utf8");
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new WriteError(`cannot write file (${code})`, { path, cause: e });
  }
}
