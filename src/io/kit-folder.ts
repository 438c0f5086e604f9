/**
 * Writing a kit folder atomically: everything goes into a hidden temporary sibling of the target,
 * which replaces the target with one rename at the end (the previous kit is moved aside first and
 * removed after). A target that exists and is neither empty nor a kit patina wrote is refused,
 * so a mistyped `--out` never replaces someone's folder.
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError, WriteError } from "../core/errors.js";
import { safeJoin } from "./names.js";
import { commitDir } from "./workdir.js";

/** Marker file every kit folder holds (what was chosen, for a rerun to recognise it). */
export const KIT_MARKER = ".patina-kit.json";

const code = (e: unknown): string => (e as NodeJS.ErrnoException | null)?.code ?? String(e);

export class KitFolder {
  private constructor(
    /** Where the kit will be. */
    readonly target: string,
    /** Where it is being built. */
    readonly temp: string,
  ) {}

  /** Check `target` may be (re)written and start a temporary sibling for it. */
  static async open(target: string): Promise<KitFolder> {
    try {
      const st = await stat(target);
      if (!st.isDirectory()) throw new UsageError("--out names a file, not a folder", { path: target });
      const names = await readdir(target);
      if (names.length > 0 && !names.includes(KIT_MARKER)) {
        throw new UsageError(
          "--out is a folder with other files in it, not a kit patina wrote: choose an empty or new folder",
          { path: target },
        );
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (code(e) !== "ENOENT")
        throw new WriteError(`cannot use --out (${code(e)})`, { path: target, cause: e });
    }
    const temp = join(
      dirname(target),
      `.${basename(target)}.patina-kit-${process.pid}-${randomBytes(4).toString("hex")}`,
    );
    try {
      await mkdir(temp, { recursive: true });
    } catch (e) {
      throw new WriteError(`cannot create the kit folder (${code(e)})`, { path: temp, cause: e });
    }
    return new KitFolder(target, temp);
  }

  private async place(rel: string): Promise<string> {
    const path = safeJoin(this.temp, rel);
    await mkdir(dirname(path), { recursive: true });
    return path;
  }

  /** Write a file at `rel` (forward slashes) in the kit. */
  async write(rel: string, data: Uint8Array | string): Promise<void> {
    const path = await this.place(rel);
    try {
      await writeFile(path, data);
    } catch (e) {
      throw new WriteError(`cannot write (${code(e)})`, { path, cause: e });
    }
  }

  /** Copy `src` byte for byte to `rel` in the kit. */
  async copy(rel: string, src: string): Promise<void> {
    const path = await this.place(rel);
    try {
      await copyFile(src, path);
    } catch (e) {
      throw new WriteError(`cannot copy ${src} (${code(e)})`, { path, cause: e });
    }
  }

  /** Put the finished kit in place with one rename (replacing an earlier kit there). */
  async commit(): Promise<void> {
    const aside = join(dirname(this.target), `.${basename(this.target)}.patina-kit-old-${process.pid}`);
    await commitDir(this.temp, this.target, aside);
  }

  /** Remove the temporary folder (after a failure). */
  async discard(): Promise<void> {
    await rm(this.temp, { recursive: true, force: true });
  }
}
