/**
 * `patina kit` end to end, in process: small real export folders (a make export and a batch export),
 * every device, written kits checked on disk, the export folders hashed before and after.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FINGERPRINT_FILE } from "../../src/core/export-files.js";
import { decodeFile } from "../../src/io/decode.js";
import { writeSelection } from "../../src/io/export-folder.js";
import { combineFingerprintFiles } from "../../src/io/fingerprint-file.js";
import { readManifest, writeManifest } from "../../src/io/manifest.js";
import { probe } from "../../src/io/probe.js";
import { runCli } from "../cli/helpers.js";
import { makeExport, noise, SR, seamlessLoop, type TextureSpec, tone, treeHash } from "./helpers.js";

let root: string;
let exportDir: string;
let batchDir: string;
let before: Record<string, string>;

const swell = (hz: number, seed: number): Float32Array[] => {
  const x = tone(hz, 3, seed);
  for (let i = 0; i < x.length; i++) x[i] *= Math.sin((Math.PI * i) / x.length) ** 2;
  return [x, x.map((v) => v * 0.9)];
};

/** Hiss brighter than the cloud's white noise (first difference: +6 dB per octave). */
const bright = (seconds: number, seed: number): Float32Array => {
  const x = noise(seconds, seed, 0.05);
  return x.map((v, i) => (i > 0 ? v - x[i - 1] : 0));
};

/** Two sources, every category: pads with roots (seamless loops), stereo swells, a cloud, hiss. */
function specs(a: string, b: string, shift = 0): TextureSpec[] {
  const f = (hz: number): number => hz * 2 ** (shift / 12);
  return [
    {
      source: a,
      category: "pads",
      type: "pad",
      name: `${a}_pad01`,
      audio: seamlessLoop(tone(f(130.81), 5, 1 + shift), 2),
      root_midi: 48 + shift,
      key: "C major",
    },
    {
      source: a,
      category: "pads",
      type: "pad",
      name: `${a}_pad02`,
      audio: seamlessLoop(tone(f(196), 5, 2 + shift), 2),
      root_midi: 55 + shift,
    },
    {
      source: b,
      category: "pads",
      type: "loop",
      name: `${b}_loop`,
      audio: seamlessLoop(tone(f(146.83), 5, 3 + shift), 2.5),
      root_midi: 50 + shift,
      key: "D minor",
    },
    {
      source: a,
      category: "swells",
      type: "swell",
      name: `${a}_swell01`,
      audio: swell(f(220), 4 + shift),
      root_midi: 57 + shift,
      loop: false,
    },
    {
      source: b,
      category: "swells",
      type: "swell",
      name: `${b}_swell01`,
      audio: swell(f(164.81), 5 + shift),
      root_midi: 52 + shift,
      loop: false,
    },
    {
      source: b,
      category: "clouds",
      type: "cloud",
      name: `cloud_${b}_01`,
      audio: noise(3, 6 + shift, 0.1),
      loop: false,
    },
    {
      source: a,
      category: "hiss",
      type: "hiss_loop",
      name: `hiss_loop_${a}_01`,
      audio: seamlessLoop(bright(4, 7 + shift), 2),
    },
    {
      source: b,
      category: "hiss",
      type: "hiss_flicker",
      name: `hiss_flicker_${b}_01`,
      audio: noise(0.2, 8, 0.1),
      loop: false,
      grade: "F",
    },
  ];
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "patina-kit-"));
  exportDir = join(root, "export", "tr8s");
  await makeExport(exportDir, specs("glass_take2", "dusk"));
  // A batch export: one folder per track, the combined manifest and fingerprints at its root.
  batchDir = join(root, "batch", "export");
  const rows = [];
  const parts = [];
  for (const [slug, a, b, shift] of [
    ["album_01", "reed", "tide", 0],
    ["album_02", "ember", "salt", 5],
  ] as const) {
    const prefix = `by_source/${slug}`;
    for (const r of await makeExport(batchDir, specs(a, b, shift), prefix))
      rows.push({ ...r, file: `${prefix}/${r.file}` });
    parts.push({ prefix: `${prefix}/`, path: join(batchDir, prefix, FINGERPRINT_FILE) });
  }
  await writeManifest(join(batchDir, "manifest.csv"), rows);
  await combineFingerprintFiles(parts, join(batchDir, FINGERPRINT_FILE));
  before = treeHash(exportDir);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const kit = (args: string[]) => runCli(["kit", ...args], { cwd: root });

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.replace(/\\/g, "/")).sort();
}

describe("patina kit --device tr8s", () => {
  it("--dry-run prints the choice and the plan, writes nothing", async () => {
    const r = await kit(["export/tr8s", "--device", "tr8s", "--out", "card", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Kit "patina" for the Roland TR-8S: 7 sample\(s\), chosen automatically/);
    expect(r.stdout).toMatch(
      /loops rendered as 12\.0 s sustains \(mono, 1\.5 s release\): the Roland TR-8S has no loop points/,
    );
    expect(r.stdout).toMatch(/sample memory [\d.]+ of 600 s/);
    expect(r.stdout).toMatch(/why: score 95/);
    expect(r.stdout).toMatch(/1 graded F or not saved/);
    expect(r.stdout).toContain("Dry run: nothing written.");
    expect(existsSync(join(root, "card"))).toBe(false);
  });

  it("writes a card folder: one level below SAMPLE, short names, 44.1 kHz 24-bit, sustains that hold, an index", async () => {
    const r = await kit(["export/tr8s", "--device", "tr8s", "--out", "card", "--name", "Glass"]);
    expect(r.code, r.stderr).toBe(0);
    const out = join(root, "card");
    const wavs = files(out).filter((f) => f.endsWith(".wav"));
    expect(wavs).toHaveLength(7);
    for (const f of wavs) {
      expect(f).toMatch(/^ROLAND\/TR-8S\/SAMPLE\/Glass\/[A-Za-z0-9]{1,16}\.wav$/);
      const info = await probe(join(out, f));
      expect([info.sampleRate, info.bitDepth]).toEqual([44100, 24]);
    }
    expect(wavs).toContain("ROLAND/TR-8S/SAMPLE/Glass/PdGlassC3.wav");
    const pad = await decodeFile(join(out, "ROLAND/TR-8S/SAMPLE/Glass/PdGlassC3.wav"));
    expect(pad.channels).toHaveLength(1);
    // Plain WAVs: no smpl chunk the TR-8S would not read.
    expect(readFileSync(join(out, "ROLAND/TR-8S/SAMPLE/Glass/PdGlassC3.wav")).includes("smpl")).toBe(false);
    expect(pad.channels[0].length).toBe(12 * SR);
    const swell = await probe(join(out, "ROLAND/TR-8S/SAMPLE/Glass/SwGlassA3.wav"));
    expect([swell.channels, swell.durationSec]).toEqual([2, 3]); // one-shots keep their stereo and length
    const index = readFileSync(join(out, "Glass-index.txt"), "utf8");
    expect(index).toMatch(/UTILITY > SAMPLE: Import/);
    expect(index).toMatch(/PdGlassC3\.wav\s+pad loop from glass_take2, root C3, 12\.0 s sustain, mono/);
    expect(existsSync(join(out, ".patina-kit.json"))).toBe(true);
    expect(files(root).some((f) => f.includes("patina-kit-"))).toBe(false); // no temporary folder left
  });

  it("gives a byte-identical kit for the same inputs, replaces its own earlier kit, never touches the export", async () => {
    const r = await kit(["export/tr8s", "--device", "tr8s", "--out", "card2", "--name", "Glass"]);
    expect(r.code).toBe(0);
    expect(treeHash(join(root, "card2"))).toEqual(treeHash(join(root, "card")));
    const again = await kit(["export/tr8s", "--device", "tr8s", "--out", "card2", "--name", "Glass"]);
    expect(again.code).toBe(0);
    expect(treeHash(join(root, "card2"))).toEqual(treeHash(join(root, "card")));
    expect(treeHash(exportDir)).toEqual(before);
  });

  it("refuses an --out that holds other files or lies inside the export folder", async () => {
    mkdirSync(join(root, "mine"));
    writeFileSync(join(root, "mine", "letter.txt"), "keep me\n");
    const r = await kit(["export/tr8s", "--device", "tr8s", "--out", "mine"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mine: --out is a folder with other files in it, not a kit patina wrote/);
    expect(readFileSync(join(root, "mine", "letter.txt"), "utf8")).toBe("keep me\n");
    const inside = await kit(["export/tr8s", "--device", "tr8s", "--out", "export/tr8s/kit"]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/--out must be outside the export folder/);
  });

  it("refuses a kit over the device's memory with the numbers, and writes nothing", async () => {
    // A new device is a new profile: a TR-8S with 30 s of memory.
    const profile = readFileSync(join(import.meta.dirname, "../../config/devices/tr8s.yaml"), "utf8")
      .replace(/name: tr8s/, "name: tiny")
      .replace(/total_sec: 600/, "total_sec: 30");
    writeFileSync(join(root, "tiny.yaml"), profile);
    const r = await kit(["export/tr8s", "--device", "tiny.yaml", "--out", "tiny-card"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /holds 30 s of sample memory .*need at least [\d.]+ s .* over\. The first \d would fit: use --count \d/,
    );
    expect(existsSync(join(root, "tiny-card"))).toBe(false);
  });

  it("takes the textures kept in the report, starred first; --key and --category filter them", async () => {
    const sel = join(root, "sel.json");
    await writeSelection(sel, {
      "dusk/pads/dusk_loop.wav": { state: "keep" },
      "glass_take2/hiss/hiss_loop_glass_take2_01.wav": { state: "keep", star: true },
      "glass_take2/pads/glass_take2_pad01.wav": { state: "reject" },
    });
    const r = await kit(["export/tr8s", "--device", "tr8s", "--from", sel, "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 sample\(s\), kept in .*sel\.json/);
    const lines = r.stdout.split("\n").filter((l) => l.includes("ROLAND/"));
    expect(lines[0]).toMatch(/HsGlass\.wav/);
    expect(lines[1]).toMatch(/LpDuskD3\.wav/);
    // D minor fits F major (its relative) but not E major; the hiss has no pitch and fits both.
    const relative = await kit(["export/tr8s", "--device", "tr8s", "--from", sel, "--key", "F", "--dry-run"]);
    expect(relative.stdout).toMatch(/2 sample\(s\)/);
    const other = await kit([
      "export/tr8s",
      "--device",
      "tr8s",
      "--from",
      sel,
      "--key",
      "E major",
      "--dry-run",
    ]);
    expect(other.stdout).toMatch(/1 sample\(s\)/);
    expect(other.stdout).toMatch(/1 whose key or root does not fit E major/);
    const cats = await kit(["export/tr8s", "--device", "tr8s", "--category", "swells,clouds", "--dry-run"]);
    expect(cats.stdout).toMatch(/3 sample\(s\)/);
  });
});

describe("patina kit for instruments and folders", () => {
  it("sfz: instruments beside samples/, every sample path resolves, the WAVs are the export's bytes", async () => {
    const r = await kit(["export/tr8s", "--device", "sfz", "--out", "sfz-kit"]);
    expect(r.code, r.stderr).toBe(0);
    const out = join(root, "sfz-kit");
    const sfz = files(out).filter((f) => f.endsWith(".sfz"));
    expect(sfz).toEqual(["pads.sfz", "swells.sfz", "unpitched.sfz"]);
    for (const f of sfz) {
      for (const m of readFileSync(join(out, f), "utf8").matchAll(/^sample=(.+)$/gm)) {
        expect(existsSync(join(out, m[1])), m[1]).toBe(true);
      }
    }
    const copied = readFileSync(join(out, "samples/pads/glass_take2_pad01.wav"));
    expect(copied.equals(readFileSync(join(exportDir, "glass_take2/pads/glass_take2_pad01.wav")))).toBe(true);
  });

  it("decentsampler: presets whose sample paths resolve; folder: WAVs in category folders", async () => {
    expect((await kit(["export/tr8s", "--device", "decentsampler", "--out", "ds-kit"])).code).toBe(0);
    const ds = join(root, "ds-kit");
    for (const f of files(ds).filter((x) => x.endsWith(".dspreset"))) {
      for (const m of readFileSync(join(ds, f), "utf8").matchAll(/path="([^"]+)"/g)) {
        expect(existsSync(join(ds, m[1])), m[1]).toBe(true);
      }
    }
    expect((await kit(["export/tr8s", "--device", "folder", "--out", "wavs"])).code).toBe(0);
    expect(files(join(root, "wavs")).filter((f) => f.endsWith(".wav"))).toEqual([
      "clouds/cloud_dusk_01.wav",
      "hiss/hiss_loop_glass_take2_01.wav",
      "pads/dusk_loop.wav",
      "pads/glass_take2_pad01.wav",
      "pads/glass_take2_pad02.wav",
      "swells/dusk_swell01.wav",
      "swells/glass_take2_swell01.wav",
    ]);
  });

  it("works on a whole batch export (by_source/...) as one pack", async () => {
    const r = await kit(["batch/export", "--device", "tr8s", "--out", "batch-card", "--count", "8"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/8 sample\(s\)/);
    const index = readFileSync(join(root, "batch-card", "patina-index.txt"), "utf8");
    expect(index).toMatch(/from by_source\/album_01\//);
    expect(index).toMatch(/from by_source\/album_02\//);
    expect(readManifest(join(batchDir, "manifest.csv"))).toHaveLength(16);
  });

  it("finds the choices made on the batch export's page when kitting one track's folder", async () => {
    const sel = join(batchDir, "selection.json");
    await writeSelection(batchDir, {
      "by_source/album_02/ember/pads/ember_pad01.wav": { state: "keep" },
      "by_source/album_02/salt/swells/salt_swell01.wav": { state: "keep", star: true },
      "by_source/album_01/reed/pads/reed_pad01.wav": { state: "keep" },
    });
    try {
      const r = await kit(["batch/export/by_source/album_02", "--device", "tr8s", "--dry-run"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`2 sample(s), kept in ${sel}`);
      const lines = r.stdout.split("\n").filter((l) => l.includes("ROLAND/"));
      expect(lines[0]).toMatch(/SwSalt\w*\.wav .*swell from salt/);
      expect(lines[1]).toMatch(/PdEmber\w*\.wav .*pad loop from ember/);
    } finally {
      rmSync(sel);
    }
  });

  it("names an unknown device with a suggestion (exit 2), and needs --out or --dry-run", async () => {
    const r = await kit(["export/tr8s", "--device", "tr8", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown device "tr8": did you mean tr8s\?/);
    const noOut = await kit(["export/tr8s", "--device", "sfz"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out is needed/);
  });
});
