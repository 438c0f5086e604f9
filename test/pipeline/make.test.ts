/**
 * End-to-end `patina make` through the CLI, in a temporary working folder: counts equal files,
 * every file meets the output contract, one bad source fails alone, seeds are bit-identical.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFile } from "../../src/io/decode.js";
import { readManifest } from "../../src/io/manifest.js";
import { writeWav } from "../../src/io/wav-writer.js";
import { runCli } from "../cli/helpers.js";
import { addClickTrain, chord, whiteNoise } from "../textures/helpers.js";

const SR = 44100;
let root: string;

function listWavs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...listWavs(join(dir, e.name)).map((p) => `${e.name}/${p}`));
    else if (e.name.endsWith(".wav")) out.push(e.name);
  }
  return out.sort();
}

/** Small but real material: a steady chord for pads/drones/clouds, a click-heavy noise loop for hiss. */
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "patina-make-"));
  for (const d of ["source_audio", "pad_sources", "drums"]) mkdirSync(join(root, d));
  const pad = chord([220, 277.18, 329.63], 9, 0.12, 5);
  await writeWav(
    join(root, "source_audio", "Chord Pad.wav"),
    { sampleRate: SR, channels: [pad] },
    { bitDepth: 24 },
  );
  await writeWav(
    join(root, "pad_sources", "Chord Pad.wav"),
    { sampleRate: SR, channels: [pad] },
    { bitDepth: 24 },
  );
  const drums = whiteNoise(SR * 5, 0.08, 9);
  addClickTrain(drums, 0.25, 0.6);
  await writeWav(
    join(root, "drums", "kit.wav"),
    { sampleRate: SR, channels: [drums, drums] },
    { bitDepth: 16 },
  );
  writeFileSync(join(root, "source_audio", "notes.wav"), "this is not audio\n");
  // Keep the run short: one pitch, two stretches, one pad length.
  writeFileSync(
    join(root, "config.yaml"),
    [
      "pad_miner:",
      "  target_durations_sec: [2.0]",
      "drones:",
      "  pitch_shift_semitones: [0, 7, 12]",
      "  time_stretch_factors: [1.0, 1.5]",
      "clouds:",
      "  clouds_per_source: 1",
      "  grains_per_cloud: 60",
      "report:",
      "  enabled: false",
      "",
    ].join("\n"),
  );
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("patina make --all", () => {
  let stats: {
    counts: Record<string, number>;
    errors: { path: string; message: string }[];
    files: string[];
    seed: number;
  };

  it("makes every category, fails the bad source alone (exit 1) and counts what it wrote", async () => {
    const r = await runCli(["make", "--all", "--seed", "11", "--json-output", "stats.json"], { cwd: root });
    expect(r.stderr).toMatch(/notes\.wav/);
    expect(r.code).toBe(1);
    stats = JSON.parse(readFileSync(join(root, "stats.json"), "utf8"));
    expect(stats.errors).toHaveLength(1);
    expect(stats.errors[0].message).toMatch(/not-audio|not a WAV|not audio/i);
    const c = stats.counts;
    const exportRows = readManifest(join(root, "export", "tr8s", "manifest.csv"));
    const made = (type: string): number => exportRows.filter((x) => x.type === type).length;
    expect(c.pads).toBeGreaterThan(0);
    // 3 pitches x 2 stretches made; a stretch of this static chord may duplicate another (not written).
    expect(made("swell")).toBe(6);
    expect(c.swells).toBe(exportRows.filter((x) => x.type === "swell" && x.saved).length);
    expect(c.swells).toBeGreaterThanOrEqual(2);
    expect(c.clouds).toBe(1);
    expect(c.hiss_loops).toBe(2);
    expect(c.hiss_flickers).toBe(4);
    const exportDir = join(root, "export", "tr8s");
    const onDisk = listWavs(exportDir);
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    expect(onDisk).toHaveLength(total);
    expect(stats.files.slice().sort()).toEqual(onDisk);
    expect(r.stdout).toContain(`${c.pads} pads, ${c.swells} swells, ${c.clouds} clouds`);
    const rows = readManifest(join(exportDir, "manifest.csv"));
    expect(
      rows
        .filter((x) => x.saved)
        .map((x) => x.file)
        .sort(),
    ).toEqual(onDisk);
    expect(new Set(rows.map((x) => x.seed))).toEqual(new Set([11]));
    // Every texture has a score; a duplicate is not written and names a written file of its source.
    for (const x of rows) {
      expect(x.score, x.file).not.toBeNull();
      if (x.duplicate_of === null) continue;
      expect(x.saved).toBe(false);
      expect(onDisk).toContain(x.duplicate_of);
      expect(x.duplicate_of.split("/")[0]).toBe(x.source);
    }
  });

  it("writes a fingerprint per saved texture beside the manifest, merged like it on a partial rerun", async () => {
    const exportDir = join(root, "export", "tr8s");
    const path = join(exportDir, "fingerprints.json");
    const first = JSON.parse(readFileSync(path, "utf8")) as {
      dims: string[];
      textures: Record<string, number[]>;
    };
    const saved = readManifest(join(exportDir, "manifest.csv")).filter((x) => x.saved);
    expect(first.dims).toHaveLength(54);
    expect(Object.keys(first.textures).sort()).toEqual(saved.map((x) => x.file).sort());
    for (const v of Object.values(first.textures)) expect(v).toHaveLength(54);
    // Only the hiss phase again: its entries are rewritten (the same, same seed), the others kept.
    const r = await runCli(["make", "--make-hiss", "--seed", "11"], { cwd: root });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(first);
  });

  it("writes files that meet the output contract", async () => {
    const exportDir = join(root, "export", "tr8s");
    const rows = readManifest(join(exportDir, "manifest.csv"));
    for (const row of rows.filter((r) => r.saved)) {
      const a = await decodeFile(join(exportDir, row.file));
      expect(a.sampleRate).toBe(SR);
      expect(a.info.bitDepth).toBe(24);
      expect(a.channels).toHaveLength(1);
      const x = a.channels[0];
      expect(x.length / SR).toBeLessThanOrEqual(180);
      let peak = 0;
      for (const v of x) peak = Math.max(peak, Math.abs(v));
      const target = row.category === "clouds" ? -3 : row.category === "hiss" ? -6 : -1;
      expect(Math.abs(20 * Math.log10(peak) - target), row.file).toBeLessThanOrEqual(0.1);
      if (row.loop) {
        expect(row.loop_seam_db!, row.file).toBeLessThanOrEqual(6);
        expect(row.loop_dip_db!, row.file).toBeGreaterThanOrEqual(-3);
        expect(row.loop_end! - row.loop_start!).toBe(x.length);
      } else {
        // One-shots start and end in silence.
        expect(20 * Math.log10(Math.abs(x[0]) + 1e-12), row.file).toBeLessThan(-60);
        expect(20 * Math.log10(Math.abs(x[x.length - 1]) + 1e-12), row.file).toBeLessThan(-60);
      }
      if (row.type === "pad") expect(Math.abs(x.length / SR - 2.0) / 2.0).toBeLessThanOrEqual(0.01);
      expect(row.grade, `${row.file}: ${row.grade_reason}`).not.toBe("F");
    }
  });

  it("is bit-identical for the same seed", async () => {
    const exportDir = join(root, "export", "tr8s");
    const first = new Map(listWavs(exportDir).map((f) => [f, readFileSync(join(exportDir, f))]));
    // With the page on this time: drawing its images from the samples must not change a byte.
    const r = await runCli(["make", "--all", "--seed", "11", "--set", "report.enabled=true"], { cwd: root });
    expect(r.code).toBe(1);
    for (const [f, bytes] of first) expect(readFileSync(join(exportDir, f)).equals(bytes), f).toBe(true);
    // make drew every image while it held the samples: the report finds them all up to date.
    const page = await runCli(["report", exportDir], { cwd: root });
    expect(page.code).toBe(0);
    expect(page.stdout + page.stderr).toContain(`(drawn 0, up to date ${first.size},`);
  });

  it("--strict stops at the first error with exit 1", async () => {
    const r = await runCli(["make", "--mine-pads", "--strict", "--seed", "1"], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.wav/);
  });

  it("--dry-run lists files and writes nothing", async () => {
    const dry = mkdtempSync(join(tmpdir(), "patina-make-dry-"));
    try {
      mkdirSync(join(dry, "pad_sources"));
      await writeWav(
        join(dry, "pad_sources", "pad.wav"),
        { sampleRate: SR, channels: [chord([196, 246.94], 6, 0.1, 2)] },
        { bitDepth: 16 },
      );
      const r = await runCli(
        [
          "make",
          "--make-drones",
          "--dry-run",
          "--seed",
          "3",
          "--set",
          "drones.pitch_shift_semitones=[0]",
          "--set",
          "drones.time_stretch_factors=[1.0]",
        ],
        { cwd: dry },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Dry run: [1-9]\d* file\(s\)/);
      expect(r.stdout).toMatch(/pad_swell01\.wav|swell/);
      expect(readdirSync(dry).sort()).toEqual(["pad_sources"]);
    } finally {
      rmSync(dry, { recursive: true, force: true });
    }
  });

  it("a file that cannot be written fails its source alone; every file written is counted", async () => {
    // The drone phase's files in the order they were made (loops, reversed loops and swells).
    const drones = stats.files.filter((f) => /\/(pads|swells)\/.*_(loop_|reversed|swell)/.test(f));
    expect(drones.length).toBeGreaterThan(8); // more than the files written at once after the blocked one
    const blocked = drones[1];
    const fresh = mkdtempSync(join(tmpdir(), "patina-make-blocked-"));
    try {
      for (const d of ["source_audio", "pad_sources", "drums", "config.yaml"])
        cpSync(join(root, d), join(fresh, d), { recursive: true });
      // A folder where that WAV belongs: its rename fails.
      mkdirSync(join(fresh, "export", "tr8s", blocked), { recursive: true });
      const r = await runCli(["make", "--all", "--seed", "11", "--json-output", "stats.json"], {
        cwd: fresh,
      });
      expect(r.code).toBe(1);
      const s2 = JSON.parse(readFileSync(join(fresh, "stats.json"), "utf8")) as {
        counts: Record<string, number>;
        errors: { path: string; phase: string; message: string }[];
        files: string[];
      };
      expect(s2.errors.map((e) => e.phase).sort()).toEqual(["drones", "pads"]); // + notes.wav
      expect(s2.errors.find((e) => e.phase === "drones")?.message).toMatch(/cannot write/);
      const exportDir = join(fresh, "export", "tr8s");
      const onDisk = listWavs(exportDir).filter((f) => f !== blocked);
      expect(s2.files.slice().sort()).toEqual(onDisk);
      expect(Object.values(s2.counts).reduce((a, b) => a + b, 0)).toBe(onDisk.length);
      const savedRows = readManifest(join(exportDir, "manifest.csv")).filter((x) => x.saved);
      expect(savedRows.map((x) => x.file).sort()).toEqual(onDisk);
      // The other phases ran; the files before the blocked one were written; nothing temporary left.
      expect(s2.counts.clouds).toBe(1);
      expect(s2.counts.hiss_loops).toBe(2);
      expect(onDisk).toContain(drones[0]);
      expect(onDisk).not.toContain(drones[drones.length - 1]);
      const all = readdirSync(exportDir, { recursive: true }) as string[];
      expect(all.filter((f) => f.includes(".tmp"))).toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("a --root that does not exist is a usage error (exit 2) and nothing is created", async () => {
    const parent = mkdtempSync(join(tmpdir(), "patina-make-typo-"));
    try {
      for (const extra of [[], ["--dry-run"]]) {
        const r = await runCli(["make", "--all", "--root", "no such folder", ...extra], { cwd: parent });
        expect([r.code, r.stderr]).toEqual([
          2,
          `error: ${join(parent, "no such folder")}: the --root folder does not exist\n`,
        ]);
      }
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("synthetic hiss only when asked for (--make-hiss) or when the root holds sources", async () => {
    const empty = mkdtempSync(join(tmpdir(), "patina-make-empty-"));
    try {
      const all = await runCli(["make", "--all", "--seed", "1", "--set", "report.enabled=false"], {
        cwd: empty,
      });
      expect(all.code).toBe(0);
      expect(all.stderr).toMatch(
        /no audio files under .*: no synthetic hiss unless asked for \(--make-hiss\)/,
      );
      expect(all.stdout).toMatch(/made: 0 pads, 0 swells, 0 clouds, 0 hiss loops, 0 hiss flickers/);
      expect(listWavs(join(empty, "export", "tr8s"))).toEqual([]);
      const asked = await runCli(["make", "--make-hiss", "--seed", "1", "--set", "report.enabled=false"], {
        cwd: empty,
      });
      expect(asked.code).toBe(0);
      expect(listWavs(join(empty, "export", "tr8s")).length).toBeGreaterThan(0);
      expect(listWavs(join(empty, "export", "tr8s")).every((f) => f.startsWith("synthetic/hiss/"))).toBe(
        true,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("a source read only in part (cut short) is warned about, in the JSON stats too, and makes the exit code 1", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "patina-make-cut-"));
    try {
      mkdirSync(join(fresh, "source_audio"));
      cpSync(
        new URL("../fixtures/audio/bad_truncated.wav", import.meta.url),
        join(fresh, "source_audio", "cut.wav"),
      );
      const r = await runCli(
        [
          "make",
          "--mine-pads",
          "--seed",
          "1",
          "--json-output",
          "stats.json",
          "--set",
          "report.enabled=false",
        ],
        { cwd: fresh },
      );
      expect(r.code).toBe(1);
      const cut = join(fresh, "source_audio", "cut.wav");
      expect(r.stderr).toContain(
        `warning: ${cut}: header claims 3764 bytes of audio data but only 2956 exist; read what exists\n`,
      );
      expect(r.stderr).toContain("warning: 1 source(s) could be read only in part (see above)\n");
      const stats = JSON.parse(readFileSync(join(fresh, "stats.json"), "utf8"));
      expect(stats.warnings).toEqual([
        {
          path: cut,
          message: "header claims 3764 bytes of audio data but only 2956 exist; read what exists",
        },
      ]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("a missing input folder is not an error", async () => {
    const empty = mkdtempSync(join(tmpdir(), "patina-make-empty-"));
    try {
      const r = await runCli(["make", "--all", "--seed", "1", "--set", "hiss.use_synthetic_noise=false"], {
        cwd: empty,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/no audio files in/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
