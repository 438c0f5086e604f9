/**
 * A read-only archive: patina reads it and writes elsewhere, and with the default output (the
 * archive itself) it says the folder is read-only instead of failing on a mkdir. Read-only is real
 * here: the folders are made read-only and patina runs as a user without the power to override that
 * (when the tests run as root, the CLI runs as "nobody").
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeArchive, selectionCsv } from "../pipeline/batch-helpers.js";
import { snapshot } from "../support/tree.js";

const BIN = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const asRoot = process.getuid?.() === 0;
/** Root ignores file modes: run the CLI as "nobody" then. */
const user = asRoot ? { uid: 65534, gid: 65534 } : {};

const base = mkdtempSync(join(tmpdir(), "patina-readonly-"));
afterAll(() => {
  chmodTree(base, true);
  rmSync(base, { recursive: true, force: true });
});

/** Make a tree read-only (folders 555, files 444) or writable again. */
function chmodTree(dir: string, writable: boolean): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) chmodTree(p, writable);
    else chmodSync(p, writable ? 0o644 : 0o444);
  }
  chmodSync(dir, writable ? 0o755 : 0o555);
}

/** A folder anyone can write to (the CLI may run as another user). */
function openFolder(name: string): string {
  const p = join(base, name);
  mkdirSync(p, { recursive: true });
  chmodSync(p, 0o777);
  return p;
}

function cli(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", TSX, BIN, ...args], {
    cwd,
    ...user,
    // Folders the other user can write to (the system temp folder may be private in a test run).
    env: { ...process.env, XDG_CACHE_HOME: openFolder("cache"), TMPDIR: openFolder("tmp") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on("exit", (code) => res({ code, stdout, stderr })));
}

describe("a read-only archive", () => {
  const archive = join(base, "archive");
  mkdirSync(archive);
  const rows = makeArchive(archive, [["Songs/a.wav", "sine"]]);
  writeFileSync(
    join(archive, "config.yaml"),
    "selection:\n  min_duration_sec: 0.5\nreport:\n  enabled: false\n",
  );
  chmodTree(archive, false);
  chmodSync(base, 0o755);
  const before = snapshot(archive);

  it("batch with the default --out (the archive) says the folder is read-only: exit 2, nothing written", async () => {
    const work = openFolder("work");
    writeFileSync(join(work, "selected_sources.csv"), selectionCsv(rows));
    const r = await cli(work, ["batch", "--root", archive]);
    expect(r.stderr).toBe(
      `error: ${archive}: the output folder is read-only (patina cannot create files in it); write elsewhere with --out DIR\n`,
    );
    expect(r.code).toBe(2);
    expect(snapshot(archive)).toEqual(before);
  }, 60_000);

  it("run from inside it (default --output ./patina-output) says so too", async () => {
    const r = await cli(archive, ["run", "."]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: .*patina-output: cannot create this folder: the folder it goes in is read-only \(EACCES\); write elsewhere with --output DIR\n$/,
    );
    expect(snapshot(archive)).toEqual(before);
  }, 60_000);

  it("run with the output elsewhere works, and leaves the archive untouched", async () => {
    const out = join(openFolder("out"), "packs");
    const r = await cli(openFolder("cwd"), [
      "run",
      archive,
      "--output",
      out,
      "--jobs",
      "1",
      "--config",
      join(archive, "config.yaml"),
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Batch: 1 track: 1 made, 0 failed/);
    expect(snapshot(archive)).toEqual(before);
  }, 120_000);
});
