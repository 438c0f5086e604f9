/**
 * The output-folder lock: one holder at a time, the holder named to whoever comes second, stale
 * locks (a process that is gone, a lock from before the last boot) taken over, other hosts' locks
 * respected. The two-process case runs real processes in test/cli/lock.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FolderLockedError } from "../../src/core/errors.js";
import { LOCK_FILE, lockFolder } from "../../src/io/lock.js";

const base = mkdtempSync(join(tmpdir(), "patina-lock-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
const folder = (): string => join(base, `out${n++}`);

/** The pid of a process that has ended (and so can hold no lock). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

function writeLock(dir: string, holder: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify(holder)}\n`);
}

describe("lockFolder", () => {
  it("creates the folder and a lock file with pid, host, start time and command; release removes it", async () => {
    const dir = folder();
    const lock = await lockFolder(dir, "patina batch");
    const held = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"));
    expect(held).toEqual({
      pid: process.pid,
      host: hostname(),
      started: lock.holder.started,
      command: "patina batch",
    });
    expect(Date.now() - Date.parse(held.started)).toBeLessThan(60_000);
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // Released: the next one gets it.
    await (await lockFolder(dir, "patina run")).release();
  });

  it("a second holder is refused with a FolderLockedError naming the first", async () => {
    const dir = folder();
    const first = await lockFolder(dir, "patina run");
    const err = await lockFolder(dir, "patina batch").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FolderLockedError);
    expect((err as FolderLockedError).holder.pid).toBe(process.pid);
    expect((err as Error).message).toBe(
      `${dir}: another patina run is writing to this folder (pid ${process.pid}, started ${first.holder.started}); ` +
        `wait for it to finish or choose another output folder. If no such run exists any more, delete ${join(dir, LOCK_FILE)}`,
    );
    await first.release();
  });

  it("takes over the lock of a process that has ended, and of one started before the last boot", async () => {
    const dir = folder();
    writeLock(dir, {
      pid: deadPid(),
      host: hostname(),
      started: new Date().toISOString(),
      command: "patina batch",
    });
    const a = await lockFolder(dir, "patina batch");
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await a.release();
    // A live pid (ours) but a start time years before the machine booted: a reused pid, not the holder.
    writeLock(dir, {
      pid: process.pid,
      host: hostname(),
      started: "2001-01-01T00:00:00.000Z",
      command: "patina run",
    });
    const b = await lockFolder(dir, "patina batch");
    expect(b.holder.started).not.toBe("2001-01-01T00:00:00.000Z");
    await b.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("never takes over another host's lock (its processes cannot be checked from here)", async () => {
    const dir = folder();
    writeLock(dir, {
      pid: deadPid(),
      host: "studio-mac.local",
      started: "2001-01-01T00:00:00.000Z",
      command: "patina run",
    });
    const err = await lockFolder(dir, "patina batch").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FolderLockedError);
    expect((err as Error).message).toMatch(
      /another patina run is writing to this folder \(pid \d+ on studio-mac\.local,/,
    );
  });

  it("a lock file it cannot read is respected, and named", async () => {
    const dir = folder();
    await lockFolder(dir, "x").then((l) => l.release());
    writeFileSync(join(dir, LOCK_FILE), "not json");
    const err = await lockFolder(dir, "patina batch").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FolderLockedError);
    expect((err as Error).message).toMatch(
      /another patina run is writing to this folder \(lock file .*\.patina\.lock\)/,
    );
  });

  it("release leaves a lock that is no longer its own", async () => {
    const dir = folder();
    const mine = await lockFolder(dir, "patina batch");
    writeLock(dir, {
      pid: process.pid + 1,
      host: hostname(),
      started: new Date().toISOString(),
      command: "other",
    });
    await mine.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).command).toBe("other");
  });
});
