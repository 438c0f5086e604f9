/**
 * The archive walker: the only code that lists folders for discovery. It applies the skip rules,
 * never follows a folder symlink into a loop or into something already walked, and returns files in
 * a stable order so catalog ids do not change between runs.
 *
 * Order: within a folder, its files come first (sorted by {@link compareNames}), then its subfolders
 * in the same order, each walked depth-first before the next. This is `os.walk(topdown=True)` with
 * sorted names, so a folder's own tracks get lower ids than those of its subfolders.
 *
 * Links: a link (to a folder or an audio file) whose target lies inside the archive is skipped,
 * since the target is listed under its own name (this is what stops a link to a parent from
 * looping). A folder link leading outside is followed, once: every folder entered is remembered by
 * device and inode, so a second link to it, or a loop out there, is skipped too.
 */
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { mapLimit } from "../core/concurrency.js";
import { UsageError } from "../core/errors.js";
import { AUDIO_EXTENSIONS } from "./sniff.js";

/** Audio extensions discovery looks for: the ones the decoders read (matched case-insensitively). */
export { AUDIO_EXTENSIONS } from "./sniff.js";

/**
 * Folder names never entered, matched exactly as written (case-sensitive: a musician's `Env` folder
 * of envelopes is not a Python `env`), with why; any other name starting with "." is skipped too.
 */
const SKIP_DIRS: Readonly<Record<string, string>> = {
  venv: "a Python environment",
  ".venv": "a Python environment",
  env: "a Python environment",
  ".git": "Git data",
  ".github": "GitHub settings",
  __pycache__: "a Python cache",
  ".pytest_cache": "a Python cache",
  node_modules: "JavaScript packages",
  export: "an export folder (patina's own output goes there)",
  exported: "an export folder",
  exports: "an export folder",
  ".cache": "a cache folder",
};

/** Folder names never entered (exact, case-sensitive); any name starting with "." is skipped too. */
export const SKIP_DIR_NAMES: readonly string[] = Object.keys(SKIP_DIRS);

/** OS metadata files, matched exactly as written; AppleDouble `._*` files are skipped too. */
export const SKIP_FILE_NAMES: readonly string[] = ["Thumbs.db", ".DS_Store"];

/** Why a folder of this name is not entered, or null when it is walked. */
export function skipDirReason(name: string): string | null {
  if (Object.hasOwn(SKIP_DIRS, name)) return SKIP_DIRS[name];
  return name.startsWith(".") ? "a hidden folder" : null;
}

export function isSkippedDirName(name: string): boolean {
  return skipDirReason(name) !== null;
}

export function isSkippedFileName(name: string): boolean {
  return name.startsWith("._") || SKIP_FILE_NAMES.includes(name);
}

/** True when `name` ends with one of `extensions` (lower-case, with dot), in any letter case. */
export function hasExtension(name: string, extensions: readonly string[] = AUDIO_EXTENSIONS): boolean {
  const dot = name.lastIndexOf(".");
  // A bare ".wav" is a hidden file with no stem, not an audio file called "".
  if (dot <= 0) return false;
  return extensions.includes(name.slice(dot).toLowerCase());
}

/**
 * Locale-independent "alphabetical" order: case-insensitive on the NFC form (so macOS's decomposed
 * names sort like everyone else's), ties broken by the raw UTF-16 order so the result is total.
 */
export function compareNames(a: string, b: string): number {
  const ka = a.normalize("NFC").toLowerCase();
  const kb = b.normalize("NFC").toLowerCase();
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortNames(names: string[]): string[] {
  const keyed = names.map((n) => ({ n, k: n.normalize("NFC").toLowerCase() }));
  keyed.sort((x, y) => (x.k !== y.k ? (x.k < y.k ? -1 : 1) : x.n < y.n ? -1 : x.n > y.n ? 1 : 0));
  return keyed.map((x) => x.n);
}

export interface WalkOptions {
  /** Extensions to return (lower case, with the dot). */
  extensions: readonly string[];
  /** How many `stat` calls run at once. */
  statConcurrency: number;
}

const DEFAULT_WALK_OPTIONS: WalkOptions = { extensions: AUDIO_EXTENSIONS, statConcurrency: 64 };

export interface WalkedFile {
  /** Path relative to the root, forward slashes. */
  readonly relPath: string;
  readonly absPath: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

export type WalkSkipKind = "folder" | "os-file" | "link";

export interface WalkSkip {
  /** Relative path (forward slashes) of the folder, file or link left out. */
  readonly relPath: string;
  readonly kind: WalkSkipKind;
  /** A folder, or a link to one (the summary lists these; files only with --verbose). */
  readonly folder: boolean;
  readonly reason: string;
}

export interface WalkProblem {
  /** Relative path; folders end with "/" ("./" for the root itself). */
  readonly relPath: string;
  readonly message: string;
}

export interface WalkResult {
  /** Matching regular files in walk order. */
  readonly files: WalkedFile[];
  /** Folders, OS metadata files and folder links left out by a rule. */
  readonly skipped: WalkSkip[];
  /** Matching files that could not be stat'ed or are not regular files, and unreadable folders. */
  readonly problems: WalkProblem[];
  /** Files ignored because of their extension. */
  readonly otherFiles: number;
}

interface WalkState {
  readonly opts: WalkOptions;
  readonly realRoot: string;
  readonly visited: Set<string>;
  readonly candidates: { relPath: string; absPath: string }[];
  readonly skipped: WalkSkip[];
  readonly problems: WalkProblem[];
  otherFiles: number;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

const insideRoot = (real: string, realRoot: string): boolean =>
  real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);

const joinRel = (relDir: string, name: string): string => (relDir === "" ? name : `${relDir}/${name}`);

async function walkDir(absDir: string, relDir: string, state: WalkState): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(absDir, { withFileTypes: true });
  } catch (e) {
    state.problems.push({ relPath: relDir === "" ? "./" : `${relDir}/`, message: errorText(e) });
    return;
  }
  const fileNames: string[] = [];
  const dirNames: string[] = [];
  const linkDirs = new Set<string>();
  for (const entry of entries) {
    const name = entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    const isLink = entry.isSymbolicLink();
    if (isLink || (!isDir && !isFile)) {
      // Links and unknown dirent types: ask stat what they point at. A broken link with an audio
      // extension stays a candidate so it is reported as unreadable rather than vanishing.
      try {
        const st = await stat(join(absDir, name));
        isDir = st.isDirectory();
        isFile = !isDir;
      } catch {
        isDir = false;
        isFile = true;
      }
      if (isDir && isLink) linkDirs.add(name);
      if (isFile && isLink && hasExtension(name, state.opts.extensions)) {
        // A file link to audio inside the archive would catalogue the same track twice.
        const real = await realpath(join(absDir, name)).catch(() => null);
        if (real !== null && insideRoot(real, state.realRoot)) {
          const relPath = joinRel(relDir, name);
          state.skipped.push({
            relPath,
            kind: "link",
            folder: false,
            reason: "link to a file inside the archive",
          });
          continue;
        }
      }
    }
    if (isDir) {
      const reason = skipDirReason(name);
      if (reason !== null) {
        state.skipped.push({ relPath: joinRel(relDir, name), kind: "folder", folder: true, reason });
      } else dirNames.push(name);
    } else if (isSkippedFileName(name)) {
      state.skipped.push({
        relPath: joinRel(relDir, name),
        kind: "os-file",
        folder: false,
        reason: "OS metadata file",
      });
    } else if (hasExtension(name, state.opts.extensions)) fileNames.push(name);
    else state.otherFiles++;
  }
  for (const name of sortNames(fileNames)) {
    state.candidates.push({ relPath: joinRel(relDir, name), absPath: join(absDir, name) });
  }
  for (const name of sortNames(dirNames)) {
    const absChild = join(absDir, name);
    const relChild = joinRel(relDir, name);
    try {
      if (linkDirs.has(name)) {
        // A link back into the archive would list files twice (or loop): the real folder is
        // walked under its own name anyway. Links leading outside are followed once.
        const real = await realpath(absChild);
        if (insideRoot(real, state.realRoot)) {
          state.skipped.push({
            relPath: relChild,
            kind: "link",
            folder: true,
            reason: "link to a folder inside the archive",
          });
          continue;
        }
      }
      const st = await stat(absChild);
      const key = `${st.dev}:${st.ino}`;
      if (state.visited.has(key)) {
        state.skipped.push({
          relPath: relChild,
          kind: "link",
          folder: true,
          reason: "folder already walked",
        });
        continue;
      }
      state.visited.add(key);
    } catch (e) {
      state.problems.push({ relPath: `${relChild}/`, message: errorText(e) });
      continue;
    }
    await walkDir(absChild, relChild, state);
  }
}

/**
 * Walk `root` and return the files with a matching extension, in the stable order described above,
 * with their size and modification time. Throws UsageError when `root` is not a readable folder.
 */
export async function walk(root: string, options: Partial<WalkOptions> = {}): Promise<WalkResult> {
  const opts: WalkOptions = { ...DEFAULT_WALK_OPTIONS, ...options };
  let realRoot: string;
  let rootKey: string;
  try {
    realRoot = await realpath(root);
    const st = await stat(realRoot);
    if (!st.isDirectory()) throw new UsageError("the archive root is not a folder", { path: root });
    rootKey = `${st.dev}:${st.ino}`;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot open the archive root (${errorText(e)})`, { path: root, cause: e });
  }
  const state: WalkState = {
    opts,
    realRoot,
    visited: new Set([rootKey]),
    candidates: [],
    skipped: [],
    problems: [],
    otherFiles: 0,
  };
  await walkDir(root, "", state);

  const stats = await mapLimit(state.candidates, opts.statConcurrency, async (c) => {
    try {
      const st = await stat(c.absPath);
      if (!st.isFile()) return { c, error: "not a regular file" };
      return { c, file: { ...c, sizeBytes: st.size, mtimeMs: st.mtimeMs } };
    } catch (e) {
      return { c, error: errorText(e) };
    }
  });
  const files: WalkedFile[] = [];
  const fileProblems: WalkProblem[] = [];
  for (const s of stats) {
    if (s.file) files.push(s.file);
    else fileProblems.push({ relPath: s.c.relPath, message: s.error ?? "unreadable" });
  }
  return {
    files,
    // In name order (the listing order of a folder is the file system's own).
    skipped: state.skipped.sort((a, b) => compareNames(a.relPath, b.relPath)),
    problems: [...state.problems, ...fileProblems],
    otherFiles: state.otherFiles,
  };
}
