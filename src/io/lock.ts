/**
 * One writer per output folder. `batch` and `run` take a lock file in their output folder before
 * writing anything there, so a second run on the same folder stops at once, naming the first,
 * instead of the two deleting each other's half-assembled tracks. The lock file says who holds it
 * (pid, host, start time, command); a lock left by a process that no longer runs on this machine
 * (killed, or from before a reboot) is taken over.
 */
import { link, open, readFile, rename, unlink } from "node:fs/promises";
import { hostname, uptime } from "node:os";
import { join } from "node:path";
import { FolderLockedError, type LockHolder, ReadOnlyFolderError, WriteError } from "../core/errors.js";
import { processAlive } from "./atomic.js";
import { ensureDir } from "./fs.js";

/** The lock file's name inside the output folder. */
export const LOCK_FILE = ".patina.lock";

export interface FolderLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Remove the lock file if it is still ours. */
  release(): Promise<void>;
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException | null)?.code ?? "";

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== "number" || typeof v.host !== "string" || typeof v.started !== "string") return null;
    return { pid: v.pid, host: v.host, started: v.started, command: String(v.command ?? "patina") };
  } catch {
    return null;
  }
}

async function readHolder(path: string): Promise<{ text: string; holder: LockHolder | null } | null> {
  try {
    const text = await readFile(path, "utf8");
    return { text, holder: parseHolder(text) };
  } catch (e) {
    if (code(e) === "ENOENT") return null;
    throw e;
  }
}

/** A holder that is certainly gone: on this machine, and not running or started before the last boot. */
function isStale(h: LockHolder): boolean {
  if (h.host !== hostname()) return false;
  const bootMs = Date.now() - uptime() * 1000;
  return !processAlive(h.pid) || Date.parse(h.started) < bootMs - 60_000;
}

/** Create the lock file; false when one exists. */
async function create(path: string, holder: LockHolder): Promise<boolean> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "wx");
  } catch (e) {
    if (code(e) === "EEXIST") return false;
    throw e;
  }
  try {
    await fh.writeFile(`${JSON.stringify(holder)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function lockedMessage(h: LockHolder | null, path: string): string {
  if (h === null) return `another patina run is writing to this folder (lock file ${path})`;
  const where = h.host === hostname() ? `pid ${h.pid}` : `pid ${h.pid} on ${h.host}`;
  return (
    `another ${h.command} is writing to this folder (${where}, started ${h.started}); wait for it to ` +
    `finish or choose another output folder. If no such run exists any more, delete ${path}`
  );
}

/**
 * Take the lock of output folder `dir` (created when missing) for `command`. Throws
 * FolderLockedError naming the running holder, or ReadOnlyFolderError when nothing can be created
 * in the folder.
 */
export async function lockFolder(dir: string, command: string): Promise<FolderLock> {
  await ensureDir(dir);
  const path = join(dir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (await create(path, holder)) return lockOf(path, holder);
    } catch (e) {
      if (["EACCES", "EPERM", "EROFS"].includes(code(e))) {
        throw new ReadOnlyFolderError("the output folder is read-only (patina cannot create files in it)", {
          path: dir,
        });
      }
      throw new WriteError(`cannot create the lock file (${code(e) || String(e)})`, { path, cause: e });
    }
    const seen = await readHolder(path);
    if (seen === null) continue; // released meanwhile: try again
    if (seen.holder === null) {
      // Being written this very moment, or garbage: give a writer time to finish its line.
      await sleep(100);
      const again = await readHolder(path);
      if (again?.holder === null && again.text === seen.text) {
        throw new FolderLockedError(lockedMessage(null, path), holder, { path: dir });
      }
      continue;
    }
    if (!isStale(seen.holder))
      throw new FolderLockedError(lockedMessage(seen.holder, path), seen.holder, { path: dir });
    // Take over a dead holder's lock: move it aside under a name only we use (a rename is atomic, so
    // of two processes taking over at once only one moves it), check it is the one we judged stale,
    // then create ours.
    const aside = `${path}.stale-${process.pid}`;
    try {
      await rename(path, aside);
    } catch (e) {
      if (code(e) === "ENOENT") continue;
      throw e;
    }
    const moved = await readFile(aside, "utf8").catch(() => "");
    if (moved !== seen.text) {
      // Another process replaced the stale lock first: put its live lock back (a link, which never
      // replaces a lock created meanwhile) and try again.
      await link(aside, path).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
      continue;
    }
    await unlink(aside).catch(() => undefined);
  }
  const last = await readHolder(path).catch(() => null);
  throw new FolderLockedError(lockedMessage(last?.holder ?? null, path), last?.holder ?? holder, {
    path: dir,
  });
}

function lockOf(path: string, holder: LockHolder): FolderLock {
  let released = false;
  return {
    path,
    holder,
    async release() {
      if (released) return;
      released = true;
      const seen = await readHolder(path).catch(() => null);
      if (seen?.holder && seen.holder.pid === holder.pid && seen.holder.started === holder.started) {
        await unlink(path).catch(() => undefined);
      }
    },
  };
}
