import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { batchCommand } from "../../src/cli/batch-command.js";
import { createContext } from "../../src/cli/context.js";
import type { BatchFlags } from "../../src/cli/spec.js";
import { FAKE_MAKE_URL, leftovers, makeArchive, selectionCsv, tempDir } from "../pipeline/batch-helpers.js";
import { capturedIo, runCli } from "./helpers.js";

/** `patina batch` in process with the fake make; returns exit code and output. */
async function batchFake(cwd: string, flags: Partial<BatchFlags> = {}) {
  const { io, result } = capturedIo({ cwd });
  const all: BatchFlags = {
    sources: "selected_sources.csv",
    root: ".",
    startIndex: 0,
    output: "batch_results.json",
    ...flags,
  };
  return result(await batchCommand(createContext(["batch"], [], all, io), { makeModule: FAKE_MAKE_URL }));
}

function setup(entries: [string, "sine" | "corrupt"][]): string {
  const root = tempDir("patina-cli-batch-");
  const rows = makeArchive(root, entries);
  writeFileSync(join(root, "selected_sources.csv"), selectionCsv(rows));
  // Keep these tests about batch: the report has its own tests.
  writeFileSync(join(root, "config.yaml"), "report:\n  enabled: false\n");
  return root;
}

describe("patina batch", () => {
  it("prints per-track lines and the summary; exit 1 when a track failed; then a dry run shows skips", async () => {
    const root = setup([
      ["Album/01 Intro.wav", "sine"],
      ["Album/02 Broken.wav", "corrupt"],
      ["b.wav", "sine"],
    ]);
    const r = await batchFake(root, { jobs: 2 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/done {3}album_01_intro: 5 textures in \d+\.\d s/);
    expect(r.stderr).toMatch(/failed album_02_broken \(Album\/02 Broken\.wav\): DecodeError: /);
    expect(r.stdout).toMatch(/^Batch: 3 tracks: 2 made, 1 failed, 0 skipped \(\d+\.\d s wall, 2 jobs\)\n/);
    expect(r.stdout).toContain(
      "Textures made: 2 pads, 2 swells, 2 clouds, 2 hiss loops, 2 hiss flickers (10 files)\n",
    );
    expect(r.stdout).toMatch(/Throughput: [\d.]+ tracks\/min, [\d.]+ min of audio per min of wall time/);
    expect(r.stdout).toMatch(/Failed tracks:\n {2}Album\/02 Broken\.wav: DecodeError: /);
    expect(r.stdout).toContain(`Results: ${join(root, "batch_results.json")}\n`);
    expect(r.stdout).toContain("(manifest.csv: 10 rows)");

    const dry = await runCli(["batch", "--dry-run"], { cwd: root });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      "[0] album_01_intro  Album/01 Intro.wav\n    work:    work/album_01_intro\n",
    );
    expect(dry.stdout).toContain("    outputs: export/tr8s/by_source/album_01_intro/ pads/ (up to ");
    expect(dry.stdout).toMatch(/\[0\][^[]*status: {2}would be skipped/);
    expect(dry.stdout).toMatch(/\[1\][^[]*status: {2}would run/);
    expect(dry.stdout).toMatch(
      /Dry run: 3 tracks of 3: 1 would run, 2 would be skipped; export .*; nothing written\.\n$/,
    );
    expect(existsSync(join(root, "work"))).toBe(false);

    const slice = await runCli(["batch", "--dry-run", "--start-index", "1", "--count", "1", "--force"], {
      cwd: root,
    });
    expect(slice.stdout).toMatch(/^\[1\] album_02_broken/);
    expect(slice.stdout).toContain("Dry run: 1 track of 3: 1 would run, 0 would be skipped");

    const again = await batchFake(root, { jobs: 2, startIndex: 2 });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("skip   b (already done for this source and config)");
    expect(again.stdout).toMatch(/^Batch: 1 track: 0 made, 0 failed, 1 skipped/);
  }, 60_000);

  it("rejects bad flags with exit code 2", async () => {
    const root = setup([["a.wav", "sine"]]);
    expect((await runCli(["batch", "--jobs", "0"], { cwd: root })).code).toBe(2);
    expect((await runCli(["batch", "--timeout", "-1"], { cwd: root })).code).toBe(2);
    expect((await runCli(["batch", "--count", "x"], { cwd: root })).code).toBe(2);
  });

  it("Ctrl-C stops gracefully (exit 130, results written, nothing partial); the same command resumes", async () => {
    const root = setup([
      ["a.wav", "sine"],
      ["slow b.wav", "sine"],
      ["slow c.wav", "sine"],
      ["slow d.wav", "sine"],
    ]);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("../pipeline/batch-child.ts", import.meta.url)),
        root,
        '{"jobs":2}',
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((res) => {
      let sent = false;
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        // Interrupt while two slow tracks are being written.
        if (!sent && /done {3}a:/.test(stderr)) {
          sent = true;
          setTimeout(() => child.kill("SIGINT"), 500);
        }
      });
      child.on("exit", (c) => res(c));
    });
    expect(stderr).toContain("interrupted: stopping");
    expect(code).toBe(130);
    expect(stdout).toMatch(/Interrupted: 3 tracks not finished; run the same command again to resume\./);
    const results = JSON.parse(readFileSync(join(root, "batch_results.json"), "utf8"));
    expect(results.results.map((x: { success: boolean }) => x.success)).toEqual([true, false, false, false]);
    expect(leftovers(root)).toEqual([]);
    expect(existsSync(join(root, "work"))).toBe(false);
    for (const slug of ["slow_b", "slow_c", "slow_d"]) {
      expect(existsSync(join(root, "export/tr8s/by_source", slug))).toBe(false);
    }

    const resumed = await batchFake(root, { jobs: 2 });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^Batch: 4 tracks: 3 made, 0 failed, 1 skipped/);
    expect(leftovers(root)).toEqual([]);
  }, 60_000);
});
