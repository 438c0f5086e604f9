/**
 * One batch per output folder, with real processes: a second `patina batch` on a folder another one
 * is writing to exits 2 naming it and touches nothing; the first finishes intact; a lock left by a
 * killed batch (SIGKILL) is taken over by the next run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../src/io/lock.js";
import { leftovers, makeArchive, selectionCsv, tempDir } from "../pipeline/batch-helpers.js";

const CHILD = fileURLToPath(new URL("../pipeline/batch-child.ts", import.meta.url));
const BIN = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));
/** Resolved here: the children run in the archive's folder, where no node_modules are. */
const TSX = import.meta.resolve("tsx");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `patina batch --jobs 1` in `cwd`: with the fake make (slow tracks), or the real CLI. */
function batchProcess(cwd: string, real = false): { child: ChildProcess; ended: Promise<Ended> } {
  const args = real ? [BIN, "batch", "--jobs", "1"] : [CHILD, cwd, '{"jobs":1}'];
  const child = spawn(process.execPath, ["--import", TSX, ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Ended>((res) =>
    child.on("exit", (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, ended };
}

async function until(test: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function setup(): string {
  const root = tempDir("patina-cli-lock-");
  const rows = makeArchive(root, [
    ["slow a.wav", "sine"],
    ["slow b.wav", "sine"],
  ]);
  writeFileSync(join(root, "selected_sources.csv"), selectionCsv(rows));
  writeFileSync(join(root, "config.yaml"), "report:\n  enabled: false\n");
  return root;
}

describe("two batches on one output folder", () => {
  it("the second exits 2 naming the running one; the first finishes intact and releases the lock", async () => {
    const root = setup();
    const first = batchProcess(root);
    await until(() => existsSync(join(root, LOCK_FILE)), "the first batch's lock");
    const holder = JSON.parse(readFileSync(join(root, LOCK_FILE), "utf8"));
    expect(holder.pid).toBe(first.child.pid);
    expect(holder.command).toBe("patina batch");

    // The real CLI, as a user would start it in the same folder.
    const second = await batchProcess(root, true).ended;
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(
      `error: ${root}: another patina batch is writing to this folder (pid ${first.child.pid}, started ${holder.started}); `,
    );
    expect(second.stdout).toBe("");

    const done = await first.ended;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Batch: 2 tracks: 2 made, 0 failed, 0 skipped/);
    const results = JSON.parse(readFileSync(join(root, "batch_results.json"), "utf8"));
    expect(results.results.map((r: { success: boolean }) => r.success)).toEqual([true, true]);
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
    expect(leftovers(root)).toEqual([]);
  }, 90_000);

  it("a lock left by a killed batch (SIGKILL) is taken over by the next one, which finishes the work", async () => {
    const root = setup();
    const first = batchProcess(root);
    await until(() => existsSync(join(root, LOCK_FILE)), "the first batch's lock");
    first.child.kill("SIGKILL");
    expect((await first.ended).signal).toBe("SIGKILL");
    // The dead process's lock is still there: nothing could remove it.
    expect(JSON.parse(readFileSync(join(root, LOCK_FILE), "utf8")).pid).toBe(first.child.pid);

    const next = await batchProcess(root).ended;
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^Batch: 2 tracks: 2 made, 0 failed, 0 skipped/);
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
    expect(leftovers(root)).toEqual([]);
  }, 90_000);
});
