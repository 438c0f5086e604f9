/**
 * The hand-over end to end, as a musician does it: `patina make` on a small working folder (in
 * process), the report page built and served, choices marked in headless Chromium with keys and
 * buttons (keep, star, reject), selection.json checked on disk, then `patina kit` of that export for
 * the TR-8S (the card folder: layout, names, WAV format, only the kept sounds with the starred first,
 * sustain lengths and joins, the index) and for SFZ and Decent Sampler (parsed back: paths, keys,
 * loop points) from the same choices. No system tools; no skip without a browser.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManifestRow } from "../../src/core/manifest.js";
import { decodeFile } from "../../src/io/decode.js";
import { readManifest } from "../../src/io/manifest.js";
import { writeWav } from "../../src/io/wav-writer.js";
import { type ReportServer, serveReport } from "../../src/report/serve.js";
import { runCli } from "../cli/helpers.js";
import { launchChromium } from "../support/browser.js";
import { tempDir } from "../support/temp.js";
import { addClickTrain, chord, whiteNoise } from "../textures/helpers.js";
import { treeHash } from "./helpers.js";

const SR = 44100;
let root: string;
let exportDir: string;
let rows: ManifestRow[];
let browser: Browser;
let server: ReportServer;

/** A stereo harmonic tone (8 partials, so its root is sure), each side with its own phases. */
const stereoTone = (hz: number, seed: number): Float32Array[] => [
  chord([hz], 8, 0.2, seed, SR, 8),
  chord([hz], 8, 0.2, seed + 100, SR, 8),
];

beforeAll(async () => {
  root = tempDir("patina-handover-");
  const glass = stereoTone(130.81, 5); // C3
  const wav = (path: string, channels: Float32Array[], bitDepth: 16 | 24 = 24) =>
    writeWav(join(root, path), { sampleRate: SR, channels }, { bitDepth });
  for (const d of ["source_audio", "pad_sources", "drums"]) mkdirSync(join(root, d));
  await wav("source_audio/Glass Take2.wav", glass);
  await wav("pad_sources/Glass Take2.wav", glass);
  await wav("pad_sources/dusk.wav", stereoTone(185.0, 7)); // F#3
  const drums = whiteNoise(SR * 4, 0.08, 9);
  addClickTrain(drums, 0.25, 0.6);
  await wav("drums/kit.wav", [drums, drums], 16);
  // Small and quick: one pad length, two pitches, no stretch; pads and drones in stereo, so the
  // TR-8S kit has stereo loops to render as mono sustains and a stereo one-shot that counts twice.
  writeFileSync(
    join(root, "config.yaml"),
    [
      "pad_miner:",
      "  target_durations_sec: [2.0]",
      "drones:",
      "  pitch_shift_semitones: [0, 7]",
      "  time_stretch_factors: [1.0]",
      "clouds:",
      "  clouds_per_source: 1",
      "  grains_per_cloud: 60",
      "export:",
      "  pads_stereo: true",
      "  swells_stereo: true",
      "",
    ].join("\n"),
  );
  const made = await runCli(["make", "--all", "--seed", "3"], { cwd: root });
  expect(made.code, made.stderr).toBe(0);
  exportDir = join(root, "export", "tr8s");
  rows = readManifest(join(exportDir, "manifest.csv")).filter((r) => r.saved);
  // The page as `patina report` builds it (make drew the images already).
  const page = await runCli(["report", "export/tr8s"], { cwd: root });
  expect(page.code, page.stderr).toBe(0);
  browser = (await launchChromium()).browser;
  server = await serveReport(exportDir, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

/** The one saved texture that fits, by what a musician sees on its card (kind, source, root). */
function texture(f: (r: ManifestRow) => boolean, what: string): ManifestRow {
  const found = rows.filter(f);
  expect(found.length, `${what} in ${rows.map((r) => r.file).join(", ")}`).toBeGreaterThan(0);
  return found.sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0];
}

/** What was chosen in the page. */
interface Choice {
  readonly row: ManifestRow;
  readonly state: "keep" | "reject";
  readonly star: boolean;
}

let chosen: Choice[];
let selectionOnDisk: { version: number; textures: Record<string, { state: string; star?: boolean }> };

/** The kit's marker file: which export texture each written sample is, in kit order. */
const marker = (dir: string): { samples: { file: string; from: string }[] } =>
  JSON.parse(readFileSync(join(dir, ".patina-kit.json"), "utf8"));

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.replace(/\\/g, "/"))
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** RIFF/WAVE header facts, read independently of patina's own reader. */
function wavInfo(bytes: Buffer): {
  format: number;
  channels: number;
  rate: number;
  bits: number;
  frames: number;
  chunks: string[];
} {
  expect(bytes.toString("ascii", 0, 4)).toBe("RIFF");
  expect(bytes.toString("ascii", 8, 12)).toBe("WAVE");
  const chunks: string[] = [];
  let fmt = { format: 0, channels: 0, rate: 0, bits: 0 };
  let dataBytes = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString("ascii", at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    chunks.push(id);
    if (id === "fmt ") {
      fmt = {
        format: bytes.readUInt16LE(at + 8),
        channels: bytes.readUInt16LE(at + 10),
        rate: bytes.readUInt32LE(at + 12),
        bits: bytes.readUInt16LE(at + 22),
      };
    }
    if (id === "data") dataBytes = size;
    at += 8 + size + (size % 2);
  }
  return { ...fmt, frames: dataBytes / (fmt.channels * (fmt.bits / 8)), chunks };
}

/** The bytes of a WAV's data chunk. */
function dataOf(bytes: Buffer): Buffer {
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32LE(at + 4);
    if (bytes.toString("ascii", at, at + 4) === "data") return bytes.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size % 2);
  }
  throw new Error("no data chunk");
}

const open = async (url: string): Promise<{ page: Page; errors: string[] }> => {
  // Tall enough that every card of the small pack is in the page (the list is virtual).
  const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("html[data-complete=true]", { state: "attached" });
  return { page, errors };
};

describe("from make to a TR-8S card and an SFZ instrument, choosing in the page", () => {
  it("made a pack with pitched stereo loops, a stereo swell, clouds and hiss", () => {
    const kinds = new Set(rows.map((r) => r.type));
    for (const t of ["pad", "loop", "swell", "cloud", "hiss_loop", "hiss_flicker"])
      expect(kinds).toContain(t);
  });

  it("marks keep, star and reject in the served page with keys and buttons; selection.json follows", async () => {
    const pad = texture((r) => r.type === "pad" && r.root_midi === 48, "a pad rooted on C3");
    const loop = texture((r) => r.type === "loop" && r.root_midi === 54, "a drone loop on F#3");
    const swell = texture((r) => r.type === "swell" && r.root_midi === 54, "a swell on F#3");
    const hiss = texture((r) => r.type === "hiss_loop", "a hiss loop");
    const cloud = texture((r) => r.type === "cloud" && r.source === "Glass_Take2", "a cloud");
    const other = texture((r) => r.type === "loop" && r.root_midi === 55, "a drone loop on G3");
    const flicker = texture((r) => r.type === "hiss_flicker", "a hiss flicker");
    const { page, errors } = await open(server.url);
    expect(await page.locator("article.card").count()).toBe(rows.length);
    const card = (r: ManifestRow) => page.locator(`article.card[data-file="${r.file}"]`);
    // Listen first: Space on the pad's card plays it, Space again stops.
    await card(pad).focus();
    await page.keyboard.press("Space");
    await page.waitForFunction(
      `patinaReport.state().playing === patinaReport.indexOf(${JSON.stringify(pad.file)})`,
    );
    await page.keyboard.press("Space");
    await page.waitForFunction("patinaReport.state().playing === -1");
    // Keys: s keeps and stars the pad; k keeps the swell and the hiss; x rejects a flicker.
    await page.keyboard.press("s");
    await card(swell).focus();
    await page.keyboard.press("k");
    await card(hiss).focus();
    await page.keyboard.press("k");
    await card(flicker).focus();
    await page.keyboard.press("x");
    // Buttons: keep the F#3 loop and the cloud, reject the G3 loop.
    await card(loop).locator("button.k").click();
    await card(cloud).locator("button.k").click();
    await card(other).locator("button.x").click();
    chosen = [
      { row: pad, state: "keep", star: true },
      { row: loop, state: "keep", star: false },
      { row: swell, state: "keep", star: false },
      { row: hiss, state: "keep", star: false },
      { row: cloud, state: "keep", star: false },
      { row: other, state: "reject", star: false },
      { row: flicker, state: "reject", star: false },
    ];
    expect(await page.locator("#chosen").textContent()).toMatch(/^5 kept \(1 starred\), 2 rejected/);
    expect(await card(pad).locator("button.s").getAttribute("aria-pressed")).toBe("true");
    expect(await card(other).locator("button.x").getAttribute("aria-pressed")).toBe("true");
    // The server writes the choices beside the manifest.
    await page.waitForFunction(`patinaReport.state().disk === "ok"`, undefined, { timeout: 10_000 });
    selectionOnDisk = JSON.parse(readFileSync(join(exportDir, "selection.json"), "utf8"));
    expect(selectionOnDisk.version).toBe(1);
    expect(selectionOnDisk.textures).toEqual(
      Object.fromEntries(
        chosen.map((c) => [c.row.file, c.star ? { state: c.state, star: true } : { state: c.state }]),
      ),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  describe("patina kit --device tr8s", () => {
    let card: string;
    let kitDir: string;
    let dry: string;
    let before: Record<string, string>;
    const kept = (): Choice[] => chosen.filter((c) => c.state === "keep");

    beforeAll(async () => {
      before = treeHash(exportDir);
      const d = await runCli(["kit", "export/tr8s", "--device", "tr8s", "--dry-run"], { cwd: root });
      expect(d.code, d.stderr).toBe(0);
      dry = d.stdout;
      const r = await runCli(
        ["kit", "export/tr8s", "--device", "tr8s", "--out", "card", "--name", "Glass Dusk"],
        {
          cwd: root,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      card = join(root, "card");
      kitDir = join(card, "ROLAND/TR-8S/SAMPLE/Glass-Dusk");
    });

    it("the dry run says what it takes from the page, and why the sustains are mono", () => {
      expect(dry).toContain(
        `Kit "patina" for the Roland TR-8S: 5 sample(s), kept in ${join(exportDir, "selection.json")}`,
      );
      expect(dry).toMatch(
        /loops rendered as 12\.0 s sustains \(mono, 1\.5 s release\): the Roland TR-8S has no loop points/,
      );
      // The pad and the drone loop are stereo exports; the hiss loop is mono already.
      expect(dry).toMatch(
        /2 stereo loop\(s\) mixed to mono for their sustains: in stereo they would use 48\.0 s instead of 24\.0 s of the Roland TR-8S's 600 s/,
      );
      expect(dry).toContain("Dry run: nothing written.");
    });

    it("lays the card out as the TR-8S imports it: ROLAND/TR-8S/SAMPLE/<kit>/, one folder level, short safe names", () => {
      const all = files(card);
      const wavs = all.filter((f) => f.endsWith(".wav"));
      expect(all.filter((f) => !f.endsWith(".wav")).sort()).toEqual([
        ".patina-kit.json",
        "Glass-Dusk-index.txt",
      ]);
      expect(wavs).toHaveLength(5);
      const stems: string[] = [];
      for (const f of wavs) {
        const below = f.split("/").slice(3); // after ROLAND/TR-8S/SAMPLE
        expect(f.startsWith("ROLAND/TR-8S/SAMPLE/"), f).toBe(true);
        expect(below.length, f).toBeLessThanOrEqual(2); // at most one folder level
        expect(below[0]).toBe("Glass-Dusk");
        expect(below[0].length).toBeLessThanOrEqual(16);
        const stem = posix.basename(f, ".wav");
        // ASCII letters and digits: FAT-safe, shown whole on the device (16 characters).
        expect(stem, f).toMatch(/^[A-Za-z0-9]{1,16}$/);
        stems.push(stem);
      }
      expect(new Set(stems.map((s) => s.toLowerCase())).size).toBe(stems.length);
      // Names that say what they are; sharps as "s".
      expect(stems).toEqual(
        expect.arrayContaining(["PdGlassC3", "LpDuskFs3", "SwDuskFs3", "HsKit", "ClGlass"]),
      );
    });

    it("holds exactly the kept textures, the starred one first, then by score", () => {
      const m = marker(card);
      const want = kept();
      expect(m.samples.map((s) => s.from).sort()).toEqual(want.map((c) => c.row.file).sort());
      expect(m.samples[0].from).toBe(chosen.find((c) => c.star)?.row.file);
      const scores = m.samples.slice(1).map((s) => rows.find((r) => r.file === s.from)?.score ?? -1);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const c of chosen.filter((x) => x.state === "reject")) {
        expect(m.samples.some((s) => s.from === c.row.file)).toBe(false);
      }
    });

    it("writes plain 44.1 kHz 16/24-bit PCM WAVs: loops as 12 s mono sustains, one-shots as exported", async () => {
      const m = marker(card);
      for (const s of m.samples) {
        const row = rows.find((r) => r.file === s.from)!;
        const info = wavInfo(readFileSync(join(card, s.file)));
        expect(info.format, s.file).toBe(1);
        expect(info.rate, s.file).toBe(44100);
        expect([16, 24], s.file).toContain(info.bits);
        expect(info.chunks, s.file).not.toContain("smpl"); // no loop points the device would ignore
        const src = wavInfo(readFileSync(join(exportDir, row.file)));
        if (row.loop) {
          expect([info.channels, info.frames], s.file).toEqual([1, 12 * SR]);
        } else {
          // A one-shot plays as it was made: its length, its channels (the swell is stereo), its samples.
          expect([info.channels, info.frames], s.file).toEqual([src.channels, src.frames]);
          if (src.bits === info.bits) {
            expect(
              dataOf(readFileSync(join(card, s.file))).equals(
                dataOf(readFileSync(join(exportDir, row.file))),
              ),
              s.file,
            ).toBe(true);
          }
        }
      }
      const swell = m.samples.find((s) => s.file.endsWith("/SwDuskFs3.wav"))!;
      expect(wavInfo(readFileSync(join(card, swell.file))).channels).toBe(2);
    });

    it("sustains repeat the loop exactly, with no click at the joins, from silence to silence", async () => {
      const m = marker(card);
      for (const name of ["LpDuskFs3", "PdGlassC3", "HsKit"]) {
        const s = m.samples.find((x) => x.file.endsWith(`/${name}.wav`))!;
        const row = rows.find((r) => r.file === s.from)!;
        const y = (await decodeFile(join(card, s.file))).channels[0];
        const start = row.loop_start!;
        const period = row.loop_end! - start;
        const releaseFrom = y.length - Math.round(1.5 * SR);
        // Periodic after the first pass: every repeat is the loop again, sample for sample.
        let differ = 0;
        for (let k = row.loop_end!; k + period < releaseFrom; k++) if (y[k] !== y[k + period]) differ++;
        expect(differ, name).toBe(0);
        // The step across each join is no bigger than the largest step inside the loop.
        let inside = 0;
        for (let k = start + 1; k < row.loop_end!; k++) inside = Math.max(inside, Math.abs(y[k] - y[k - 1]));
        for (let j = row.loop_end!; j < releaseFrom; j += period) {
          expect(Math.abs(y[j] - y[j - 1]), `${name} at ${(j / SR).toFixed(2)} s`).toBeLessThanOrEqual(
            inside,
          );
        }
        expect(Math.abs(y[0]), name).toBeLessThan(1e-3); // 5 ms fade in
        expect(y[y.length - 1], name).toBe(0); // release to silence
      }
    });

    it("writes the index: what each name is, the memory used, and how to import", () => {
      const index = readFileSync(join(card, "Glass-Dusk-index.txt"), "utf8");
      expect(index).toMatch(/UTILITY > SAMPLE: Import/);
      for (const s of marker(card).samples) {
        expect(index).toContain(s.file);
        expect(index).toContain(`from ${s.from}`);
      }
      expect(index).toMatch(/LpDuskFs3\.wav\s+drone loop from dusk, root F#3, 12\.0 s sustain, mono/);
      // Memory counted the TR-8S's way: mono seconds, stereo twice.
      let mono = 0;
      for (const f of files(kitDir)) {
        const w = wavInfo(readFileSync(join(kitDir, f)));
        mono += (w.frames / w.rate) * w.channels;
      }
      expect(index).toContain(`Sample memory used: ${mono.toFixed(1)} s of 600 s`);
      expect(treeHash(exportDir)).toEqual(before); // the export folder is only read
    });
  });

  describe("the same choices as instruments", () => {
    let sfz: string;
    let ds: string;

    beforeAll(async () => {
      for (const [device, out] of [
        ["sfz", "sfz-kit"],
        ["decentsampler", "ds-kit"],
      ]) {
        const r = await runCli(["kit", "export/tr8s", "--device", device, "--out", out], { cwd: root });
        expect(r.code, r.stderr).toBe(0);
      }
      sfz = join(root, "sfz-kit");
      ds = join(root, "ds-kit");
    });

    /** Every region of every .sfz file, its opcodes as written. */
    function regions(): { file: string; op: Record<string, string> }[] {
      const out: { file: string; op: Record<string, string> }[] = [];
      for (const f of files(sfz).filter((x) => x.endsWith(".sfz"))) {
        let cur: Record<string, string> | null = null;
        for (const raw of readFileSync(join(sfz, f), "utf8").split("\n")) {
          const line = raw.replace(/\/\/.*$/, "").trim();
          if (line === "") continue;
          if (line.startsWith("<")) {
            cur = line === "<region>" ? {} : null;
            if (cur) out.push({ file: f, op: cur });
            continue;
          }
          if (cur === null) continue;
          // sample= runs to the end of its line; other opcodes are space-separated key=value.
          if (line.startsWith("sample=")) cur.sample = line.slice("sample=".length);
          else for (const kv of line.split(/\s+/)) cur[kv.split("=")[0]] = kv.split("=")[1];
        }
      }
      return out;
    }

    it("sfz: one region per kept sound, paths that resolve, keys by root, loops and one-shots as made", () => {
      const from = new Map(marker(sfz).samples.map((s) => [s.file, s.from]));
      const regs = regions();
      expect(regs).toHaveLength(5);
      expect(regs.map((r) => from.get(r.op.sample)).sort()).toEqual(
        chosen
          .filter((c) => c.state === "keep")
          .map((c) => c.row.file)
          .sort(),
      );
      for (const { file, op } of regs) {
        const row = rows.find((r) => r.file === from.get(op.sample))!;
        expect(op.sample, file).not.toMatch(/^\/|\\/); // relative, forward slashes
        const wav = join(dirname(join(sfz, file)), op.sample);
        expect(existsSync(wav), op.sample).toBe(true);
        const lo = Number(op.lokey);
        const hi = Number(op.hikey);
        const center = Number(op.pitch_keycenter);
        if (row.root_midi !== null) {
          // Pitched: mapped around its own root, transposed with the key.
          expect(center, row.file).toBe(row.root_midi);
          expect(lo <= center && center <= hi, row.file).toBe(true);
          expect(op.pitch_keytrack, row.file).toBeUndefined();
        } else {
          // No root: one key, its own pitch on it.
          expect([op.pitch_keytrack, lo === hi], row.file).toEqual(["0", true]);
        }
        if (row.loop) {
          const frames = wavInfo(readFileSync(wav)).frames;
          expect(op.loop_mode, row.file).toBe("loop_continuous");
          expect(Number(op.loop_start), row.file).toBe(row.loop_start);
          expect(Number(op.loop_end), row.file).toBe(row.loop_end! - 1); // inclusive
          expect(Number(op.loop_end), row.file).toBeLessThan(frames);
        } else {
          expect([op.loop_mode, op.loop_start], row.file).toEqual(["one_shot", undefined]);
        }
      }
      // The pad (C3) and the F#3 loop share the pads instrument without overlapping keys.
      const pads = regs
        .filter((r) => r.file === "pads.sfz")
        .map((r) => [Number(r.op.lokey), Number(r.op.hikey)]);
      expect(pads).toHaveLength(2);
      expect(pads[0][1]).toBeLessThan(pads[1][0]);
    });

    it("decentsampler: the same mapping in XML that parses back", () => {
      const from = new Map(marker(ds).samples.map((s) => [s.file, s.from]));
      const parser = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: "",
        isArray: (n) => n === "sample" || n === "group",
      });
      const samples: Record<string, string>[] = [];
      for (const f of files(ds).filter((x) => x.endsWith(".dspreset"))) {
        const doc = parser.parse(readFileSync(join(ds, f), "utf8"));
        for (const g of doc.DecentSampler.groups.group) samples.push(...g.sample);
      }
      expect(samples.map((s) => from.get(s.path)).sort()).toEqual(
        chosen
          .filter((c) => c.state === "keep")
          .map((c) => c.row.file)
          .sort(),
      );
      for (const s of samples) {
        const row = rows.find((r) => r.file === from.get(s.path))!;
        expect(existsSync(join(ds, s.path)), s.path).toBe(true);
        if (row.root_midi !== null) expect(Number(s.rootNote)).toBe(row.root_midi);
        else expect([s.pitchKeyTrack, s.loNote === s.hiNote]).toEqual(["0", true]);
        expect(s.loopEnabled, row.file).toBe(row.loop ? "true" : "false");
        if (row.loop)
          expect([Number(s.loopStart), Number(s.loopEnd)]).toEqual([row.loop_start, row.loop_end! - 1]);
      }
    });
  });
});
