/**
 * Nothing patina does writes into the archive it reads: after discover, select, batch and run with
 * their default options (the output elsewhere), the archive is the same byte for byte, and so is
 * every folder's listing. The discovery cache goes to the user's cache folder instead.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchCommand } from "../../src/cli/batch-command.js";
import { createContext } from "../../src/cli/context.js";
import { runCommand } from "../../src/cli/run-command.js";
import type { BatchFlags, RunFlags } from "../../src/cli/spec.js";
import { FAKE_MAKE_URL, makeArchive, tempDir } from "../pipeline/batch-helpers.js";
import { snapshot } from "../support/tree.js";
import { capturedIo, runCli } from "./helpers.js";

describe("the archive is never written to", () => {
  it("discover, select, batch and run leave it byte for byte as it was; the cache lives in $XDG_CACHE_HOME/patina", async () => {
    const cwd = tempDir("patina-archive-");
    const archive = join(cwd, "archive");
    mkdirSync(archive);
    makeArchive(archive, [
      ["Bounces/a.wav", "sine"],
      ["Bounces/b.wav", "sine"],
      ["Old/broken.wav", "corrupt"],
    ]);
    writeFileSync(
      join(cwd, "config.yaml"),
      "selection:\n  min_duration_sec: 0.5\nreport:\n  enabled: false\n",
    );
    const before = snapshot(archive);
    const cacheHome = process.env.XDG_CACHE_HOME ?? "";
    const cached = (): string[] => readdirSync(join(cacheHome, "patina", "discover")).sort();

    const d = await runCli(["discover", "--root", "archive", "--output", "out/audio_catalog.csv"], { cwd });
    expect(d.code).toBe(0);
    expect(cached()).toHaveLength(1);
    const s = await runCli(
      ["select", "--catalog", "out/audio_catalog.csv", "--output", "out/selected_sources.csv"],
      { cwd },
    );
    expect(s.code).toBe(0);
    const flags: BatchFlags = {
      sources: "out/selected_sources.csv",
      root: "archive",
      out: "out",
      startIndex: 0,
      output: "batch_results.json",
      jobs: 1,
    };
    const b = capturedIo({ cwd });
    const batched = await batchCommand(createContext(["batch"], [], flags, b.io), {
      makeModule: FAKE_MAKE_URL,
    });
    expect(batched).toBe(0);
    const r = capturedIo({ cwd });
    const runFlags: RunFlags = { jobs: 1 };
    const ran = await runCommand(createContext(["run"], ["archive"], runFlags, r.io), {
      makeModule: FAKE_MAKE_URL,
    });
    // The corrupt file is reported, so run exits 1; everything else was made.
    expect(r.result(ran).stdout).toMatch(/^Batch: 2 tracks: 2 made, 0 failed/);
    expect(ran).toBe(1);

    expect(snapshot(archive)).toEqual(before);
    // One cache file for the one archive, in the cache folder; none in the archive.
    expect(cached()).toHaveLength(1);
    expect(readdirSync(cwd).sort()).toEqual(["archive", "config.yaml", "out", "patina-output"]);
  }, 60_000);

  it("--cache-dir chooses the cache folder and --no-cache keeps none", async () => {
    const cwd = tempDir("patina-archive-");
    makeArchive(join(cwd, "archive"), [["a.wav", "sine"]]);
    const before = snapshot(join(cwd, "archive"));
    const mine = await runCli(
      ["discover", "--root", "archive", "--output", "c.csv", "--cache-dir", "my-cache"],
      {
        cwd,
      },
    );
    expect(mine.code).toBe(0);
    expect(readdirSync(join(cwd, "my-cache", "discover"))).toHaveLength(1);
    const none = await runCli(
      ["discover", "--root", "archive", "--output", "c.csv", "--cache-dir", "no-cache", "--no-cache"],
      { cwd },
    );
    expect(none.code).toBe(0);
    expect(readdirSync(cwd).includes("no-cache")).toBe(false);
    expect(snapshot(join(cwd, "archive"))).toEqual(before);
  });
});
