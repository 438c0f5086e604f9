/**
 * Small text-file helpers for the pipeline's tables (catalogs, selections, the discovery cache), so
 * pipeline code never touches `fs` itself.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ParameterError, WriteError } from "../core/errors.js";
import { writeFileAtomic } from "./atomic.js";

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
 * Write text atomically (temporary sibling, then rename: see ./atomic.ts), so a crash or Ctrl-C never
 * leaves a half-written table. Creates the folder when missing. Throws WriteError naming the path.
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new WriteError(`cannot create the folder (${code})`, { path, cause: e });
  }
  await writeFileAtomic(path, text);
}
