import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/index.js";
import { readManifest } from "../../src/io/manifest.js";
import { type BatchEvent, inProcessRunner, runBatch } from "../../src/pipeline/batch.js";
import { FAKE_MAKE_URL, leftovers, listTree, makeArchive, tempDir } from "./batch-helpers.js";

const base = { config: DEFAULT_CONFIG, configHash: "h1", makeModule: FAKE_MAKE_URL, timeoutSec: 60 };

describe("runBatch scheduling", () => {
  it("starts the longest tracks first with several jobs and reports in the selection's order", async () => {
    const root = tempDir();
    const rows = makeArchive(root, [
      ["a.wav", "sine"],
      ["b.wav", "sine"],
      ["c.wav", "sine"],
      ["d.wav", "sine"],
    ]).map((r, i) => ({ ...r, duration_sec: [60, 300, 120, 300][i] }));
    const started: string[] = [];
    const onEvent = (e: BatchEvent): void => {
      if (e.kind === "start") started.push(e.plan.relPath);
    };
    const two = await runBatch(rows, { ...base, root, jobs: 2, runner: inProcessRunner(), onEvent });
    expect(started).toEqual(["b.wav", "d.wav", "c.wav", "a.wav"]);
    expect(two.results.results.map((r) => r.rel_path)).toEqual(["a.wav", "b.wav", "c.wav", "d.wav"]);
    started.length = 0;
    await runBatch(rows, { ...base, root, jobs: 1, force: true, runner: inProcessRunner(), onEvent });
    expect(started).toEqual(["a.wav", "b.wav", "c.wav", "d.wav"]);
  });
});

describe("runBatch worker processes", () => {
  it("collect garbage on their own thread only when the tracks fill every core", async () => {
    const root = tempDir();
    const rows = makeArchive(root, [
      ["a.wav", "sine"],
      ["b.wav", "sine"],
    ]);
    const makeModule = new URL("./batch-argv-make.ts", import.meta.url).href;
    const flagsWith = async (jobs: number): Promise<string> => {
      const out = await runBatch(rows, { ...base, root, jobs, force: true, makeModule, count: jobs });
      return out.results.results.map((r) => r.stats.error ?? "").join("\n");
    };
    const cores = availableParallelism();
    expect(await flagsWith(Math.min(2, cores))).toMatch(cores <= 2 ? /--single-threaded-gc/ : /flags/);
    if (cores >= 2) expect(await flagsWith(1)).not.toMatch(/--single-threaded-gc/);
    expect(await flagsWith(1)).toMatch(/--max-old-space-size=2048/);
  }, 30_000);
});

describe("runBatch with worker processes", () => {
  it("processes 3 tracks with 2 jobs; a corrupt file fails alone; resume skips; --force redoes", async () => {
    const root = tempDir();
    const rows = makeArchive(root, [
      ["Album/01 Intro.wav", "sine"],
      ["Album/02 Broken.wav", "corrupt"],
      ["Café Noël.wav", "sine"],
    ]);
    const first = await runBatch(rows, { ...base, root, jobs: 2 });
    const r = first.results;
    expect(Object.keys(r)).toEqual([
      "timestamp",
      "total",
      "successful",
      "failed",
      "skipped",
      "config_hash",
      "results",
    ]);
    expect([r.total, r.successful, r.failed, r.skipped]).toEqual([3, 2, 1, 0]);
    expect(Object.keys(r.results[0])).toEqual([
      "id",
      "rel_path",
      "track_slug",
      "success",
      "skipped",
      "duration_sec",
      "elapsed_sec",
      "stats",
      // Added after the seed's keys, which stay as they were.
      "warnings",
    ]);
    expect(Object.keys(r.results[0].stats)).toEqual([
      "pads",
      "swells",
      "clouds",
      "hiss_loops",
      "hiss_flickers",
      "error",
    ]);
    expect(r.results.map((x) => x.track_slug)).toEqual(["album_01_intro", "album_02_broken", "cafe_noel"]);
    expect(r.results[1].success).toBe(false);
    expect(r.results[1].stats.error).toMatch(/^DecodeError: /);
    expect(r.results[0].stats).toEqual({
      pads: 1,
      swells: 1,
      clouds: 1,
      hiss_loops: 1,
      hiss_flickers: 1,
      error: null,
    });
    const onDisk = JSON.parse(readFileSync(join(root, "batch_results.json"), "utf8"));
    expect(onDisk).toEqual(r);

    const tree = listTree(join(root, "export/tr8s"));
    expect(tree).toContain("by_source/album_01_intro/pads/album_01_intro_pad01_mid.wav");
    expect(tree).toContain("by_source/cafe_noel/hiss/hiss_flicker_cafe_noel_01.wav");
    expect(tree.some((p) => p.startsWith("by_source/album_02_broken"))).toBe(false);
    expect(existsSync(join(root, "work/album_01_intro"))).toBe(false);
    expect(leftovers(root)).toEqual([]);
    const manifest = readManifest(join(root, "export/tr8s/manifest.csv"));
    expect(manifest).toHaveLength(10);
    for (const row of manifest) expect(existsSync(join(root, "export/tr8s", row.file))).toBe(true);
    // Fingerprints beside each track's manifest, and combined beside the export root's.
    const prints = (dir: string): string[] =>
      Object.keys(JSON.parse(readFileSync(join(root, dir, "fingerprints.json"), "utf8")).textures).sort();
    expect(prints("export/tr8s")).toEqual(manifest.map((m) => m.file).sort());
    expect(prints("export/tr8s/by_source/cafe_noel")).toContain("hiss/hiss_flicker_cafe_noel_01.wav");
    expect(new Set(manifest.map((m) => m.source))).toEqual(new Set(["album_01_intro", "cafe_noel"]));

    const second = await runBatch(rows, { ...base, root, jobs: 2 });
    expect([second.results.successful, second.results.failed, second.results.skipped]).toEqual([0, 1, 2]);
    expect(second.results.results[0]).toMatchObject({ success: true, skipped: true, stats: { pads: 1 } });

    const third = await runBatch(rows, { ...base, root, jobs: 2, force: true, startIndex: 2, count: 1 });
    expect(third.results.results.map((x) => [x.track_slug, x.skipped, x.success])).toEqual([
      ["cafe_noel", false, true],
    ]);
    // The combined manifest still lists every finished track, not only the slice.
    expect(readManifest(join(root, "export/tr8s/manifest.csv"))).toHaveLength(10);

    // A changed config hash redoes a finished track.
    const fourth = await runBatch(rows, { ...base, configHash: "h2", root, jobs: 1, count: 1 });
    expect(fourth.results.results[0]).toMatchObject({ success: true, skipped: false });
  }, 60_000);
});

describe("runBatch isolation", () => {
  it("a hanging track times out and a crashing worker fails alone; the others finish", async () => {
    const root = tempDir();
    const rows = makeArchive(root, [
      ["hang.wav", "sine"],
      ["crash.wav", "sine"],
      ["ok.wav", "sine"],
    ]);
    const t0 = performance.now();
    // The crash must come back before the timeout: a worker process starting under tsx takes 1.4 s
    // on a busy 2-core machine, so 1.5 s made the crash a timeout there.
    const out = await runBatch(rows, { ...base, root, jobs: 2, timeoutSec: 4 });
    expect((performance.now() - t0) / 1000).toBeLessThan(12);
    const [hang, crash, ok] = out.results.results;
    expect(hang.stats.error).toMatch(/^TimeoutError: hang\.wav: no result after 4 s/);
    expect(crash.success).toBe(false);
    expect(crash.stats.error).toMatch(/simulated worker crash/);
    expect(ok.success).toBe(true);
    expect(leftovers(root)).toEqual([]);
    expect(existsSync(join(root, "work/hang"))).toBe(false);
    expect(existsSync(join(root, "export/tr8s/by_source/hang"))).toBe(false);
  }, 30_000);

  it("an aborted signal stops dispatching and writes the results with every track accounted for", async () => {
    const root = tempDir();
    const rows = makeArchive(root, [
      ["slow 1.wav", "sine"],
      ["slow 2.wav", "sine"],
      ["slow 3.wav", "sine"],
    ]);
    const ac = new AbortController();
    const started: string[] = [];
    const out = await runBatch(rows, {
      ...base,
      root,
      jobs: 1,
      signal: ac.signal,
      onEvent: (e) => {
        if (e.kind === "start") {
          started.push(e.plan.slug);
          setTimeout(() => ac.abort(), 700);
        }
      },
    });
    expect(out.interrupted).toBe(true);
    expect(started).toEqual(["slow_1"]);
    expect(out.results.results.map((r) => r.stats.error?.split(":")[0])).toEqual([
      "Interrupted",
      "Interrupted",
      "Interrupted",
    ]);
    expect(out.results.failed).toBe(3);
    expect(JSON.parse(readFileSync(join(root, "batch_results.json"), "utf8")).total).toBe(3);
    expect(leftovers(root)).toEqual([]);
    expect(existsSync(join(root, "work/slow_1"))).toBe(false);
  }, 30_000);

  it("uses the profile's export folder, --out, --keep-work and a missing source", async () => {
    const root = tempDir();
    const out = tempDir();
    const rows = makeArchive(root, [["a.wav", "sine"]]);
    rows.push({ ...rows[0], id: "audio_0001", rel_path: "gone.wav" });
    const res = await runBatch(rows, { ...base, root, out, profile: "bright", keepWork: true, jobs: 1 });
    expect(res.layout.exportRoot).toBe(join(out, "export/tr8s/bright"));
    expect(existsSync(join(out, "export/tr8s/bright/by_source/a/pads/a_pad01_mid.wav"))).toBe(true);
    expect(existsSync(join(out, "export/tr8s/bright/manifest.csv"))).toBe(true);
    expect(existsSync(join(out, "work/a/source_audio/a.wav"))).toBe(true);
    expect(existsSync(join(out, "work/a/pad_sources/a.wav"))).toBe(true);
    expect(existsSync(join(out, "work/a/drums"))).toBe(true);
    expect(existsSync(join(root, "export"))).toBe(false);
    expect(res.results.results[1].stats.error).toMatch(/^ParameterError: .*gone\.wav: source file not found/);
    // The original is untouched (a hard link shares it; nothing writes to it).
    expect(readFileSync(join(root, "a.wav")).length).toBeGreaterThan(44);
  }, 30_000);
});
