import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createContext } from "../../src/cli/context.js";
import { runCommand } from "../../src/cli/run-command.js";
import type { RunFlags } from "../../src/cli/spec.js";
import { encodeWav } from "../../src/io/index.js";
import { readManifest } from "../../src/io/manifest.js";
import { FAKE_MAKE_URL, leftovers, makeArchive, tempDir } from "../pipeline/batch-helpers.js";
import { capturedIo, runCli } from "./helpers.js";

async function runFake(cwd: string, archive: string, flags: Partial<RunFlags> = {}) {
  const { io, result } = capturedIo({ cwd });
  return result(
    await runCommand(createContext(["run"], [archive], flags, io), { makeModule: FAKE_MAKE_URL }),
  );
}

/** A chord with a little noise, stereo 44.1 kHz: material every generator can work with. */
function chordWav(seconds: number, f0: number): Uint8Array {
  const sr = 44100;
  const n = Math.round(seconds * sr);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const t = i / sr;
    const v =
      0.2 *
        (Math.sin(2 * Math.PI * f0 * t) +
          Math.sin(2 * Math.PI * f0 * 1.25 * t) +
          Math.sin(3 * Math.PI * f0 * t)) +
      0.04 * (seed / 2 ** 32 - 0.5);
    l[i] = v;
    r[i] = 0.9 * v;
  }
  return encodeWav({ sampleRate: sr, channels: [l, r] }, { bitDepth: 16 });
}

describe("patina run", () => {
  it("discovers, selects and batches into --output and says where everything went (fake make)", async () => {
    const cwd = tempDir("patina-run-");
    const archive = join(cwd, "archive");
    mkdirSync(archive);
    makeArchive(archive, [
      ["Bounces/a.wav", "sine"],
      ["demo/b.wav", "sine"],
    ]);
    writeFileSync(
      join(cwd, "config.yaml"),
      "selection:\n  min_duration_sec: 0.5\nreport:\n  enabled: false\n",
    );
    const r = await runFake(cwd, "archive", { jobs: 1 });
    expect(r.code).toBe(0);
    const out = join(cwd, "patina-output");
    expect(r.stderr).toContain("== discover\n");
    expect(r.stderr).toMatch(/Rejected by rule:\n {2}skip pattern "demo": 1/);
    expect(r.stdout).toContain(`Catalog:   ${join(out, "audio_catalog.csv")}\n`);
    expect(r.stdout).toContain(`Selection: ${join(out, "selected_sources.csv")}\n`);
    expect(r.stdout).toContain(`Results:   ${join(out, "batch_results.json")}\n`);
    expect(r.stdout).toContain(`Export:    ${join(out, "export/tr8s")}\n`);
    expect(existsSync(join(out, "export/tr8s/by_source/bounces_a/pads/bounces_a_pad01_mid.wav"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "batch_results.json"), "utf8")).total).toBe(1);
  }, 30_000);

  it("exits 1 and explains when nothing is selected", async () => {
    const cwd = tempDir("patina-run-");
    makeArchive(cwd, [["a.wav", "sine"]]);
    const r = await runFake(cwd, ".", { output: "out" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shorter than min_duration_sec \(30 s\): 1/);
    expect(r.stderr).toMatch(/error: no track was selected/);
  });

  it("end to end with the real make: an unreadable file and a truncated FLAC make exit 1, the rest is processed", async () => {
    const cwd = tempDir("patina-run-e2e-");
    const archive = join(cwd, "My Archive");
    mkdirSync(join(archive, "Songs"), { recursive: true });
    writeFileSync(join(archive, "Songs", "Über Song.wav"), chordWav(4, 220));
    writeFileSync(join(archive, "Songs", "broken.wav"), "not audio");
    writeFileSync(join(archive, "Songs", "second take.wav"), chordWav(4, 330));
    // 20 s of 8 kHz noise cut after its first half: STREAMINFO still says 160,000 frames.
    const flac = readFileSync(new URL("../fixtures/audio/seek_noise_8k.flac", import.meta.url));
    writeFileSync(join(archive, "Songs", "cut.flac"), flac.subarray(0, flac.length >> 1));
    const r = await runCli(
      ["run", "My Archive", "--output", "out", "--jobs", "2", "--set", "selection.min_duration_sec=1"],
      { cwd },
    );
    expect(r.stderr).toMatch(/unreadable: Songs\/broken\.wav/);
    expect(r.code).toBe(1);
    const truncated = /^truncated: header says 160000 frames but only \d+ could be decoded$/;
    expect(r.stdout).toMatch(
      /\nWarnings:\n {2}Songs\/cut\.flac: truncated: header says 160000 frames but only/,
    );
    expect(r.stdout).toContain("Unreadable: 1 file(s) left out (listed above)");
    const exportRoot = join(cwd, "out/export/tr8s");
    const results = JSON.parse(readFileSync(join(cwd, "out/batch_results.json"), "utf8"));
    expect(results.successful).toBe(3);
    const bySlug = Object.fromEntries(
      results.results.map((x: { track_slug: string; warnings: string[] }) => [x.track_slug, x.warnings]),
    );
    expect(Object.keys(bySlug).sort()).toEqual(["songs_cut", "songs_second_take", "songs_uber_song"]);
    expect(bySlug.songs_cut).toHaveLength(1);
    expect(bySlug.songs_cut[0]).toMatch(truncated);
    expect([bySlug.songs_second_take, bySlug.songs_uber_song]).toEqual([[], []]);
    const rows = readManifest(join(exportRoot, "manifest.csv")).filter((x) => x.saved);
    const perTrack = results.results.reduce(
      (n: number, x: { stats: Record<string, number> }) =>
        n + x.stats.pads + x.stats.swells + x.stats.clouds + x.stats.hiss_loops + x.stats.hiss_flickers,
      0,
    );
    expect(rows.length).toBe(perTrack);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.file).toMatch(
        /^by_source\/songs_(second_take|uber_song|cut)\/(pads|swells|clouds|hiss)\/[^/]+\.wav$/,
      );
      expect(existsSync(join(exportRoot, row.file))).toBe(true);
    }
    expect(existsSync(join(exportRoot, "index.html"))).toBe(true);
    expect(r.stdout).toContain(`Report:    ${join(exportRoot, "index.html")}`);
    expect(existsSync(join(cwd, "out/work"))).toBe(false);
    expect(leftovers(join(cwd, "out"))).toEqual([]);
  }, 120_000);
});
