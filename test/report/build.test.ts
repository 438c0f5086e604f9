import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { writeManifest } from "../../src/io/manifest.js";
import { buildReport, ImagePrimer } from "../../src/report/build.js";
import { type CardData, imagePath } from "../../src/report/model.js";
import { decodeCards, type PageData } from "../../src/report/page-data.js";
import { BATCH_RESULTS, SR, setColumns, smallPack, writePack } from "./helpers.js";

const base = mkdtempSync(join(tmpdir(), "patina-report-build-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The page's data as the browser reads it: the two script files beside index.html. */
function embedded(htmlPath: string): { cards: CardData[]; data: PageData } {
  const html = readFileSync(htmlPath, "utf8");
  expect(html).toContain('<script src=".report/cards.js"></script>');
  const read = (name: string, variable: string): Record<string, unknown> => {
    const text = readFileSync(join(dirname(htmlPath), ".report", name), "utf8");
    const m = new RegExp(`^window\\.${variable} = (".*");\\n$`, "s").exec(text);
    if (!m) throw new Error(`${name} is not a data script`);
    return JSON.parse(JSON.parse(m[1]));
  };
  const cards = read("cards.js", "patinaCards");
  const similar = read("similar.js", "patinaSimilar");
  expect(similar.stamp).toBe(cards.stamp);
  const data = { ...cards, map: similar.map, near: similar.near } as PageData;
  return { cards: decodeCards(data), data };
}

/** Every file under dir, relative, forward slashes. */
function tree(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? tree(dir, r) : [r];
  });
}

describe("buildReport", () => {
  const pack = smallPack();
  const saved = pack.filter((p) => p.row.saved);

  it("renders images for every saved texture and embeds one card each", async () => {
    const dir = join(base, "one", "export");
    writePack(dir, pack);
    const res = await buildReport(dir, { title: "My pack" });
    expect(res.htmlPath).toBe(join(dir, "index.html"));
    expect(res.textures).toBe(saved.length);
    expect(res.sources).toBe(2);
    expect([res.rendered, res.reused]).toEqual([saved.length, 0]);
    expect(res.batchResultsPath).toBeNull();
    const { cards } = embedded(res.htmlPath);
    expect(cards.map((c) => c.file).sort()).toEqual(saved.map((p) => p.row.file).sort());
    for (const c of cards) {
      expect(c.waveform).toBe(true);
      const wave = PNG.sync.read(readFileSync(join(dir, imagePath(c.file, "wave"))));
      expect([wave.width, wave.height]).toEqual([480, 64]);
      const wantSpec = c.category === "pads" || c.category === "clouds";
      expect(c.spectrogram).toBe(wantSpec);
      if (c.spectrogram) {
        const spec = PNG.sync.read(readFileSync(join(dir, imagePath(c.file, "spec"))));
        expect([spec.width, spec.height]).toEqual([240, 48]);
      }
    }
    // Loop points became seconds at the file's rate; the whole-file pad is marked so.
    const inner = cards.find((c) => c.file.endsWith("/song_pitch+7_loop_warm.wav"))!;
    expect(inner.wholeLoop).toBe(false);
    expect(inner.loopStartSec).toBeCloseTo(Math.round(0.5 * SR) / SR, 5);
    expect(inner.loopEndSec).toBeCloseTo(Math.round(2.5 * SR) / SR, 5);
    expect(cards.find((c) => c.file.endsWith("/song_pad01_mid.wav"))!.wholeLoop).toBe(true);
    const html = readFileSync(res.htmlPath, "utf8");
    expect(html).toContain("<title>My pack</title>");
    expect(html).not.toContain("song_pad02_dark.wav");
    // Nothing temporary is left next to the outputs.
    expect(tree(dir).filter((f) => /\.tmp$|\.tmp\./.test(f))).toEqual([]);
  });

  it("re-renders only WAVs newer than their images", async () => {
    const dir = join(base, "cache", "export");
    writePack(dir, pack);
    await buildReport(dir);
    const again = await buildReport(dir);
    expect([again.rendered, again.reused]).toEqual([0, saved.length]);
    // A WAV whose mtime changed (rewritten, or copied over) is drawn again, and only that one.
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, "song/swells/song_stretch1.5x_swell01.wav"), future, future);
    const third = await buildReport(dir);
    expect([third.rendered, third.reused]).toEqual([1, saved.length - 1]);
    // A deleted image is redrawn even though its WAV is unchanged.
    rmSync(join(dir, ".report/song/clouds/cloud_song_01_bright.spec.png"));
    expect((await buildReport(dir)).rendered).toBe(1);
    expect((await buildReport(dir, { force: true })).rendered).toBe(saved.length);
    // Another image size invalidates the cache.
    expect((await buildReport(dir, { waveform: { width: 200, height: 40 } })).rendered).toBe(saved.length);
  });

  it("takes images drawn from samples in memory (ImagePrimer) as fresh, and draws the same pixels", async () => {
    const primedDir = join(base, "primed", "export");
    const plainDir = join(base, "plain", "export");
    writePack(primedDir, pack);
    writePack(plainDir, pack);
    const primer = new ImagePrimer(primedDir);
    for (const p of saved) {
      if (p.audio) await primer.add(p.row.file, p.row.category, { sampleRate: SR, channels: p.audio });
    }
    const withAudio = saved.filter((p) => p.audio);
    expect(primer.primed.size).toBe(withAudio.length);
    const res = await buildReport(primedDir, { primed: primer.primed });
    expect([res.rendered, res.reused]).toEqual([saved.length - withAudio.length, withAudio.length]);
    // The same images as drawing from the written WAV: the 16-bit file differs from the samples by
    // its quantisation noise, a level step or two in the quietest spectrogram cells.
    await buildReport(plainDir);
    const pngs = tree(join(primedDir, ".report")).filter((f) => f.endsWith(".png"));
    expect(pngs.length).toBeGreaterThan(withAudio.length);
    for (const f of pngs) {
      const a = PNG.sync.read(readFileSync(join(primedDir, ".report", f)));
      const b = PNG.sync.read(readFileSync(join(plainDir, ".report", f)));
      // Summed RGB difference above 8 is more than about two colour-map steps.
      let differing = 0;
      for (let i = 0; i < a.data.length; i += 4) {
        const d =
          Math.abs(a.data[i] - b.data[i]) +
          Math.abs(a.data[i + 1] - b.data[i + 1]) +
          Math.abs(a.data[i + 2] - b.data[i + 2]);
        if (d > 8) differing++;
      }
      expect(differing, f).toBeLessThanOrEqual(a.width * a.height * 0.001);
    }
    // A WAV changed after it was primed is drawn again from disk.
    const first = withAudio[0].row.file;
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(primedDir, first), future, future);
    const again = await buildReport(primedDir, { primed: primer.primed });
    expect(again.rendered).toBe(1);
    // A file the primer cannot find is simply not primed.
    await primer.add("nowhere/pads/x.wav", "pads", { sampleRate: SR, channels: [new Float32Array(10)] });
    expect(primer.primed.has("nowhere/pads/x.wav")).toBe(false);
  });

  it("warns about a saved row whose WAV is missing and keeps its card without images", async () => {
    const dir = join(base, "missing", "export");
    writePack(dir, pack);
    rmSync(join(dir, "song/hiss/hiss_loop_song_01.wav"));
    writeFileSync(join(dir, "song/swells/song_stretch1.5x_swell01.wav"), "not a wav at all");
    const res = await buildReport(dir);
    expect(res.textures).toBe(saved.length);
    expect(res.warnings).toHaveLength(2);
    expect(res.warnings.join("\n")).toMatch(
      /hiss_loop_song_01\.wav: listed as saved in the manifest but the file is missing/,
    );
    expect(res.warnings.join("\n")).toMatch(/song_stretch1\.5x_swell01\.wav: cannot draw/);
    const cards = embedded(res.htmlPath).cards;
    expect(cards.find((c) => c.file.endsWith("/hiss_loop_song_01.wav"))!.waveform).toBe(false);
    expect(readFileSync(res.htmlPath, "utf8")).toContain("2 warnings");
  });

  it("finds batch_results.json in the export folder or above it, or where told", async () => {
    const root = join(base, "batch");
    const dir = join(root, "export", "tr8s");
    writePack(dir, pack);
    writeFileSync(join(root, "batch_results.json"), JSON.stringify(BATCH_RESULTS));
    const res = await buildReport(dir);
    expect(res.batchResultsPath).toBe(join(root, "batch_results.json"));
    expect(readFileSync(res.htmlPath, "utf8")).toContain("songs/broken.wav");
    // A profile's export sits one level deeper: <out>/export/tr8s/bright.
    const bright = join(root, "export", "tr8s", "bright");
    writePack(bright, pack.slice(0, 1));
    expect((await buildReport(bright)).batchResultsPath).toBe(join(root, "batch_results.json"));
    const elsewhere = join(base, "elsewhere.json");
    writeFileSync(elsewhere, JSON.stringify({ ...BATCH_RESULTS, total: 99 }));
    const told = await buildReport(dir, { batchResultsPath: elsewhere });
    expect(told.batchResultsPath).toBe(elsewhere);
    expect(readFileSync(told.htmlPath, "utf8")).toContain("<b>99</b> tracks");
    writeFileSync(elsewhere, "{ not json");
    const bad = await buildReport(dir, { batchResultsPath: elsewhere });
    expect(bad.batchResultsPath).toBeNull();
    expect(bad.warnings.join("\n")).toMatch(/elsewhere\.json: cannot read batch results/);
  });

  it("collects per-track manifests when the export folder has none of its own", async () => {
    const dir = join(base, "bysource", "export");
    writePack(join(dir, "by_source", "song"), pack);
    writePack(join(dir, "by_source", "other"), pack.slice(0, 1));
    const res = await buildReport(dir);
    expect(res.textures).toBe(saved.length + 1);
    const files = embedded(res.htmlPath).cards.map((c) => c.file);
    expect(files).toContain("by_source/song/song/pads/song_pad01_mid.wav");
    expect(files).toContain("by_source/other/song/pads/song_pad01_mid.wav");
    for (const f of files) expect(existsSync(join(dir, f))).toBe(true);
  });

  it("fails clearly without a manifest or an export folder", async () => {
    const empty = join(base, "empty");
    mkdirSync(empty, { recursive: true });
    await expect(buildReport(empty)).rejects.toThrow(UsageError);
    await expect(buildReport(empty)).rejects.toThrow(/no manifest\.csv/);
    await expect(buildReport(join(base, "nope"))).rejects.toThrow(/export folder not found/);
  });

  it("writes a page with no cards for an empty manifest", async () => {
    const dir = join(base, "zero");
    mkdirSync(dir, { recursive: true });
    await writeManifest(join(dir, "manifest.csv"), []);
    const res = await buildReport(dir);
    expect(res.textures).toBe(0);
    expect(embedded(res.htmlPath).cards).toEqual([]);
  });
});

describe("buildReport cache", () => {
  it("redraws a WAV replaced by an older file", async () => {
    const dir = join(base, "older", "export");
    const pack = smallPack();
    writePack(dir, pack);
    await buildReport(dir);
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, "song/pads/song_pad01_mid.wav"), past, past);
    expect((await buildReport(dir)).rendered).toBe(1);
  });
});

describe("buildReport housekeeping", () => {
  it("deletes images of textures that left the manifest, and nothing else", async () => {
    const dir = join(base, "prune", "export");
    const pack = smallPack();
    writePack(dir, pack);
    await buildReport(dir);
    const before = tree(join(dir, ".report")).filter((f) => f.endsWith(".png"));
    writeFileSync(join(dir, ".report", "notes.txt"), "mine");
    // Drop the cloud (waveform + spectrogram) from the manifest.
    await writeManifest(
      join(dir, "manifest.csv"),
      pack.map((p) => p.row).filter((r) => r.category !== "clouds"),
    );
    const res = await buildReport(dir);
    expect(res.pruned).toBe(2);
    const after = tree(join(dir, ".report")).filter((f) => f.endsWith(".png"));
    expect(before.filter((f) => !after.includes(f)).sort()).toEqual([
      "song/clouds/cloud_song_01_bright.spec.png",
      "song/clouds/cloud_song_01_bright.wave.png",
    ]);
    expect(existsSync(join(dir, ".report", "notes.txt"))).toBe(true);
    expect(existsSync(join(dir, "song/clouds/cloud_song_01_bright.wav"))).toBe(true);
  });
});

describe("buildReport: choices, fingerprints and newer columns", () => {
  const pack = smallPack();
  const saved = pack.filter((p) => p.row.saved).map((p) => p.row);

  it("embeds selection.json and never changes it, so rebuilding loses no choice", async () => {
    const dir = join(base, "chosen", "export");
    writePack(dir, pack);
    const selection = {
      version: 1,
      updated: "2026-02-03T04:05:06.000Z",
      textures: {
        "song/pads/song_pad01_mid.wav": { state: "keep", star: true },
        "song/hiss/hiss_flicker_song_01.wav": { state: "reject" },
        "gone/from/the/manifest.wav": { state: "keep" },
      },
    };
    const text = `${JSON.stringify(selection, null, 2)}\n`;
    writeFileSync(join(dir, "selection.json"), text);
    const first = await buildReport(dir);
    expect(first.selection).toEqual({ kept: 2, rejected: 1 });
    expect(embedded(first.htmlPath).data.selection).toEqual(selection);
    await buildReport(dir, { force: true });
    expect(readFileSync(join(dir, "selection.json"), "utf8")).toBe(text);
    // An unreadable selection.json is reported, left alone and not embedded.
    writeFileSync(join(dir, "selection.json"), "{ half a file");
    const broken = await buildReport(dir);
    expect(broken.selection).toBeNull();
    expect(broken.warnings.join("\n")).toMatch(/selection\.json: not valid JSON.*will not overwrite it/);
    expect(embedded(broken.htmlPath).data.selection).toBeNull();
    expect(readFileSync(join(dir, "selection.json"), "utf8")).toBe("{ half a file");
  });

  it("maps the textures by their fingerprints when fingerprints.json is there, else by manifest columns", async () => {
    const dir = join(base, "fingerprinted", "export");
    writePack(dir, pack);
    const plain = await buildReport(dir);
    expect(plain.map).toBe("features");
    const textures: Record<string, number[]> = {};
    saved.forEach((r, i) => {
      textures[r.file] = [i, i * i, r.category === "hiss" ? 5 : 0];
    });
    delete textures["song/hiss/hiss_flicker_song_01.wav"];
    writeFileSync(
      join(dir, "fingerprints.json"),
      JSON.stringify({ version: 1, dims: ["a", "b", "c"], textures }),
    );
    const res = await buildReport(dir);
    expect(res.map).toBe("fingerprints");
    const { cards, data } = embedded(res.htmlPath);
    const x = (file: string): number => data.map!.x[cards.findIndex((c) => c.file === file)];
    expect(x("song/hiss/hiss_flicker_song_01.wav")).toBe(-1);
    expect(x("song/pads/song_pad01_mid.wav")).toBeGreaterThanOrEqual(0);
    expect(data.near!.m).toBeGreaterThanOrEqual(2);
    // A broken fingerprint file is a warning, and the map falls back to the manifest.
    writeFileSync(join(dir, "fingerprints.json"), JSON.stringify({ version: 2 }));
    const bad = await buildReport(dir);
    expect(bad.map).toBe("features");
    expect(bad.warnings.join("\n")).toMatch(/fingerprints: .*not a patina fingerprint file/);
  });

  it("reads score, root_confidence and root_cents from the manifest when the columns are there", async () => {
    const dir = join(base, "scored", "export");
    writePack(dir, pack);
    // The columns a newer make writes (whether or not the manifest reader here knows them yet).
    const rows = pack.map((p) => p.row);
    const line = (file: string): number => pack.findIndex((p) => p.row.file === file) + 1;
    setColumns(
      join(dir, "manifest.csv"),
      {
        score: (r) => line(r.file) * 10,
        root_confidence: (r) => line(r.file) / 10,
        root_cents: (r) => line(r.file) - 4,
      },
      rows,
    );
    const { cards, data } = embedded((await buildReport(dir)).htmlPath);
    for (const c of cards) {
      const i = line(c.file);
      expect([c.score, c.rootConfidence, c.rootCents]).toEqual([i * 10, i / 10, i - 4]);
    }
    expect(data.score).not.toBeNull();
    // A manifest without the columns (an older make's) has no score anywhere: the page sorts by grade.
    setColumns(join(dir, "manifest.csv"), { score: null, root_confidence: null, root_cents: null }, rows);
    expect(readFileSync(join(dir, "manifest.csv"), "utf8")).not.toMatch(/score/);
    const older = embedded((await buildReport(dir)).htmlPath);
    expect([older.data.score, older.data.rootConf, older.data.rootCents]).toEqual([null, null, null]);
  });
});
