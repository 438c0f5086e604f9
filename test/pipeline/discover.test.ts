import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { defaultCacheDir, discoverCachePath } from "../../src/io/cache.js";
import { compareNames, hasExtension, isSkippedDirName, isSkippedFileName } from "../../src/io/walk.js";
import {
  discover,
  formatDiscoverDetails,
  formatDiscoverSummary,
  formatUnreadable,
} from "../../src/pipeline/discover.js";
import { countingProbe, makeWav, stubProbe } from "./helpers.js";

let base: string;
let root: string;
let hasFifo = false;

const put = (rel: string, data: Uint8Array | string): void => {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
};

/** Every skipped folder name, each holding a valid WAV. */
const SKIPPED_DIRS = [
  "export",
  "exported",
  "exports",
  "node_modules",
  "venv",
  "env",
  "__pycache__",
  ".venv",
  ".git",
  ".github",
  ".pytest_cache",
  ".cache",
  ".hidden stuff",
];

/** Catalogued files in the documented walk order: a folder's files, then its subfolders. */
const EXPECTED = [
  "a.WAV",
  "B.Flac",
  "c.mp3",
  "d.aif",
  "e.AIFF",
  "linked.wav",
  "Env/adsr.wav",
  "Export/take.wav",
  "ext/o.wav",
  "sub/y.wav",
  "sub/Z.wav",
  "sub/deeper/x.wav",
];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "patina-discover-"));
  root = join(base, "archive");
  mkdirSync(root);
  // Audio in mixed-case extensions; content is WAV everywhere (format comes from content, not name).
  put("a.WAV", makeWav(8000)); // 1.00 s
  put("B.Flac", makeWav(12345, 8000, 2)); // 1.54 s stereo
  put("c.mp3", makeWav(4000, 16000));
  put("d.aif", makeWav(800));
  put("e.AIFF", makeWav(800));
  put("notes.txt", "not audio, wrong extension");
  // OS metadata files.
  put("Thumbs.db", "x");
  put(".DS_Store", "x");
  put("._a.wav", makeWav(10));
  // Unreadable: text named .wav, empty file, dangling link.
  put("fake.wav", "this is a text file, not audio\n");
  put("empty.wav", "");
  symlinkSync(join(root, "missing-target.wav"), join(root, "broken.wav"));
  for (const d of SKIPPED_DIRS) put(`${d}/skipped.wav`, makeWav(100));
  // A musician's folders that only look like skipped ones in another letter case: walked.
  put("Env/adsr.wav", makeWav(100));
  put("Export/take.wav", makeWav(100));
  put("sub/Z.wav", makeWav(100));
  put("sub/y.wav", makeWav(100));
  put("sub/deeper/x.wav", makeWav(100));
  put("sub/node_modules/m.wav", makeWav(100));
  // Loops: a link to the parent, a link to the root itself.
  symlinkSync("..", join(root, "sub", "loop"));
  symlinkSync(".", join(root, "self"));
  // A folder outside the archive linked in twice, with a link to itself inside it.
  const outside = join(base, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "o.wav"), makeWav(100));
  symlinkSync(outside, join(outside, "again"));
  symlinkSync(outside, join(root, "ext"));
  symlinkSync(outside, join(root, "ext2"));
  // File links: to audio outside (followed) and to audio inside the archive (a duplicate: skipped).
  writeFileSync(join(base, "outside-file.wav"), makeWav(100));
  symlinkSync(join(base, "outside-file.wav"), join(root, "linked.wav"));
  symlinkSync(join("sub", "y.wav"), join(root, "latest.wav"));
  try {
    execFileSync("mkfifo", [join(root, "pipe.wav")]);
    hasFifo = true;
  } catch {
    hasFifo = false;
  }
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe("walk rules", () => {
  it("names skipped folders and files exactly as documented (case-sensitive)", () => {
    for (const d of SKIPPED_DIRS) expect(isSkippedDirName(d)).toBe(true);
    for (const d of ["Bounces", "environment", "exporter", "envy", "songs", "Env", "ENV", "Export", "Venv"])
      expect(isSkippedDirName(d)).toBe(false);
    for (const f of ["Thumbs.db", ".DS_Store", "._x.wav"]) expect(isSkippedFileName(f)).toBe(true);
    for (const f of ["a.wav", "_x.wav", ".x.wav", "THUMBS.DB", "thumbs.db"])
      expect(isSkippedFileName(f)).toBe(false);
  });

  it("matches audio extensions in any letter case", () => {
    // Every extension the decoders read: .wave and .aifc (AIFF-C, as some DAWs bounce) too.
    for (const f of [
      "a.wav",
      "a.WAV",
      "a.Wav",
      "a.aiff",
      "a.AIF",
      "a.aifc",
      "a.wave",
      "a.flac",
      "a.FLAC",
      "a.mp3",
      "a.Mp3",
    ]) {
      expect(hasExtension(f)).toBe(true);
    }
    for (const f of ["a.ogg", "a.wav.txt", "wav", ".wav", "a.waves"]) expect(hasExtension(f)).toBe(false);
  });

  it("orders names case-insensitively, then by code unit, on the NFC form", () => {
    const names = ["b.wav", "A.wav", "a.wav", "B.wav", "e\u0301.wav", "\u00e9.wav", "10.wav", "2.wav"];
    const sorted = [...names].sort(compareNames);
    expect(sorted).toEqual([
      "10.wav",
      "2.wav",
      "A.wav",
      "a.wav",
      "B.wav",
      "b.wav",
      "e\u0301.wav",
      "\u00e9.wav",
    ]);
  });
});

describe("discover", () => {
  it("finds the audio files in walk order, applying every skip rule", async () => {
    const res = await discover(root, { probe: stubProbe, cache: false });
    expect(res.rows.map((r) => r.rel_path)).toEqual(EXPECTED);
    expect(res.rows.map((r) => r.id)).toEqual(EXPECTED.map((_, i) => `audio_${String(i).padStart(4, "0")}`));
    expect(res.found).toBe(EXPECTED.length);
    const skipped = res.skippedEntries.map((s) => `${s.kind}:${s.relPath}`).sort();
    expect(skipped).toEqual(
      [
        ...SKIPPED_DIRS.map((d) => `folder:${d}`),
        "folder:sub/node_modules",
        "os-file:Thumbs.db",
        "os-file:.DS_Store",
        "os-file:._a.wav",
        "link:self",
        "link:sub/loop",
        "link:ext2",
        "link:ext/again",
        "link:latest.wav",
      ].sort(),
    );
    expect(res.skipped).toBe(res.skippedEntries.length);
    expect(res.otherFiles).toBe(1);
  });

  it("reports unreadable files with their reason and leaves them out", async () => {
    const seen: string[] = [];
    const res = await discover(root, {
      probe: stubProbe,
      cache: false,
      onUnreadable: (u) => seen.push(u.relPath),
    });
    const byPath = Object.fromEntries(res.unreadable.map((u) => [u.relPath, u]));
    const expected = ["broken.wav", "empty.wav", "fake.wav", ...(hasFifo ? ["pipe.wav"] : [])];
    expect(Object.keys(byPath).sort()).toEqual(expected);
    expect(seen.sort()).toEqual(expected);
    expect(byPath["fake.wav"].reason).toBe("not-audio");
    expect(byPath["empty.wav"].reason).toBe("zero-length");
    expect(byPath["broken.wav"].reason).toBe("io");
    expect(byPath["broken.wav"].message).toMatch(/ENOENT/);
    if (hasFifo) expect(byPath["pipe.wav"].message).toBe("not a regular file");
    // The absolute path is not repeated in the message: the report names the relative path.
    expect(byPath["fake.wav"].message).toBe("not a RIFF/WAVE file");
  });

  it("formats the lines the CLI prints", async () => {
    const res = await discover(root, { probe: stubProbe, cache: false });
    const fake = res.unreadable.find((u) => u.relPath === "fake.wav");
    expect(fake && formatUnreadable(fake)).toBe("unreadable: fake.wav (not-audio: not a RIFF/WAVE file)");
    // --verbose: the files left out (the folders are in the summary).
    expect(formatDiscoverDetails(res).filter((l) => l.startsWith("skipped"))).toEqual([
      "skipped os-file: ._a.wav (OS metadata file)",
      "skipped os-file: .DS_Store (OS metadata file)",
      "skipped link: latest.wav (link to a file inside the archive)",
      "skipped os-file: Thumbs.db (OS metadata file)",
    ]);
    const lines = formatDiscoverSummary(res, "cat.csv");
    const unreadable = hasFifo ? 4 : 3;
    // Every skipped folder, with why, in name order.
    expect(lines).toEqual([
      `Catalog written to cat.csv (${EXPECTED.length} rows).`,
      `Discovered: ${EXPECTED.length} found, ${res.skipped} skipped, ${unreadable} unreadable (0 from cache, ${EXPECTED.length + 2} probed).`,
      "Skipped 18 folders:",
      "  .cache/ (a cache folder)",
      "  .git/ (Git data)",
      "  .github/ (GitHub settings)",
      "  .hidden stuff/ (a hidden folder)",
      "  .pytest_cache/ (a Python cache)",
      "  .venv/ (a Python environment)",
      "  __pycache__/ (a Python cache)",
      "  env/ (a Python environment)",
      "  export/ (an export folder (patina's own output goes there))",
      "  exported/ (an export folder)",
      "  exports/ (an export folder)",
      "  ext/again/ (folder already walked)",
      "  ext2/ (folder already walked)",
      "  node_modules/ (JavaScript packages)",
      "  self/ (link to a folder inside the archive)",
      "  sub/loop/ (link to a folder inside the archive)",
      "  sub/node_modules/ (JavaScript packages)",
      "  venv/ (a Python environment)",
    ]);
  });

  it("reports progress: start, one tick per file, a log line per unreadable file, done", async () => {
    const events: string[] = [];
    const progress = {
      start: (total: number, label: string) => events.push(`start ${total} ${label}`),
      tick: (n = 1) => events.push(`tick ${n}`),
      log: (line: string) => events.push(`log ${line}`),
      done: () => events.push("done"),
    };
    const res = await discover(root, { probe: stubProbe, cache: false, progress });
    const probedFiles = EXPECTED.length + 2; // + empty.wav and fake.wav, which reach the probe
    expect(events[0]).toBe(`start ${probedFiles} Probing`);
    expect(events.filter((e) => e === "tick 1")).toHaveLength(probedFiles);
    expect(events.filter((e) => e.startsWith("log unreadable: "))).toHaveLength(res.unreadable.length);
    expect(events.at(-1)).toBe("done");
  });

  it("fills the row columns from the probe: duration 2 decimals, size in MiB 1 decimal", async () => {
    const res = await discover(root, { probe: stubProbe, cache: false });
    const b = res.rows.find((r) => r.rel_path === "B.Flac");
    // 12345 frames / 8000 Hz = 1.543125 s; 44 + 12345*4 bytes = 49424 B = 0.047 MiB.
    expect(b).toEqual({
      id: "audio_0001",
      rel_path: "B.Flac",
      duration_sec: 1.54,
      sample_rate: 8000,
      channels: 2,
      file_size_mb: 0,
    });
    expect(res.rows.find((r) => r.rel_path === "c.mp3")?.duration_sec).toBe(0.25);
  });

  it("keeps ids stable across runs, with and without the cache", async () => {
    const cachePath = join(base, "stable-cache.json");
    const a = await discover(root, { probe: stubProbe, cachePath });
    const b = await discover(root, { probe: stubProbe, cachePath });
    const c = await discover(root, { probe: stubProbe, cache: false, concurrency: 1 });
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).toEqual(a.rows);
    expect(b.cached).toBe(a.found + 2); // + the two cached content failures (empty, fake)
  });

  it("throws UsageError for a missing root or a file as root", async () => {
    await expect(discover(join(base, "nope"), { probe: stubProbe })).rejects.toBeInstanceOf(UsageError);
    await expect(discover(join(root, "a.WAV"), { probe: stubProbe })).rejects.toBeInstanceOf(UsageError);
  });

  it("says so with a hint when nothing is found", async () => {
    const empty = join(base, "empty-archive");
    mkdirSync(join(empty, "export"), { recursive: true });
    writeFileSync(join(empty, "export", "x.wav"), makeWav(10));
    const res = await discover(empty, { probe: stubProbe, cache: false });
    expect(res.found).toBe(0);
    const lines = formatDiscoverSummary(res);
    expect(lines[0]).toMatch(/^No audio files discovered under .* \(0 found, 1 skipped, 0 unreadable\)\.$/);
    expect(lines[1]).toMatch(/^Hint: .*\.wav .*\.mp3.*export/);
  });
});

describe("discovery cache", () => {
  it("probes nothing on an unchanged archive, only changed files after edits", async () => {
    const arch = join(base, "cache-archive");
    for (const n of ["one.wav", "two.wav", "three.wav", "bad.wav"]) {
      mkdirSync(arch, { recursive: true });
      writeFileSync(join(arch, n), n === "bad.wav" ? "text" : makeWav(800));
    }
    const cacheDir = join(base, "cache");
    const cachePath = await discoverCachePath(arch, cacheDir);

    const first = countingProbe();
    const r1 = await discover(arch, { probe: first.probe, cacheDir });
    expect(first.calls.length).toBe(4);
    expect(r1.probed).toBe(4);
    expect(r1.found).toBe(3);
    const cacheMtime = statSync(cachePath).mtimeMs;

    const second = countingProbe();
    const r2 = await discover(arch, { probe: second.probe, cacheDir });
    expect(second.calls).toEqual([]);
    expect(r2.rows).toEqual(r1.rows);
    expect(r2.unreadable).toEqual(r1.unreadable);
    expect(statSync(cachePath).mtimeMs).toBe(cacheMtime); // not rewritten when nothing changed

    // A changed mtime and a changed size each cause exactly one re-probe.
    utimesSync(join(arch, "one.wav"), new Date(), new Date(Date.now() - 60_000));
    writeFileSync(join(arch, "two.wav"), makeWav(1600));
    const third = countingProbe();
    const r3 = await discover(arch, { probe: third.probe, cacheDir });
    expect(third.calls.map((p) => p.slice(arch.length + 1)).sort()).toEqual(["one.wav", "two.wav"]);
    expect(r3.rows.find((r) => r.rel_path === "two.wav")?.duration_sec).toBe(0.2);

    // A removed file drops out of the cache file.
    rmSync(join(arch, "three.wav"));
    const fourth = countingProbe();
    await discover(arch, { probe: fourth.probe, cacheDir });
    expect(fourth.calls).toEqual([]);
    const saved = JSON.parse(readFileSync(cachePath, "utf8")) as { entries: Record<string, unknown> };
    expect(Object.keys(saved.entries).sort()).toEqual(["bad.wav", "one.wav", "two.wav"]);
  });

  it("lives in $XDG_CACHE_HOME/patina (else ~/.cache/patina), one file per archive real path", async () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" })).toBe(join("/x/cache", "patina"));
    // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
    expect(defaultCacheDir({ XDG_CACHE_HOME: "cache", HOME: "/home/u" })).toBe(
      join("/home/u", ".cache", "patina"),
    );
    expect(defaultCacheDir({ HOME: "/home/u" })).toBe(join("/home/u", ".cache", "patina"));
    const arch = join(base, "keyed");
    mkdirSync(arch);
    symlinkSync(arch, join(base, "keyed-link"));
    const viaLink = await discoverCachePath(join(base, "keyed-link"), "/c");
    expect(viaLink).toBe(await discoverCachePath(arch, "/c"));
    expect(viaLink).toMatch(/^\/c\/discover\/[0-9a-f]{32}\.json$/);
    expect(viaLink).not.toBe(await discoverCachePath(join(base, "cache-archive"), "/c"));
  });

  it("ignores a corrupt cache with a warning and rebuilds it", async () => {
    const arch = join(base, "corrupt-cache");
    mkdirSync(arch);
    writeFileSync(join(arch, "a.wav"), makeWav(80));
    // The default cache folder: $XDG_CACHE_HOME/patina, a temporary folder in tests (test/setup.ts).
    const cachePath = await discoverCachePath(arch, defaultCacheDir());
    mkdirSync(dirname(cachePath), { recursive: true });
    writeFileSync(cachePath, "{ not json");
    const p = countingProbe();
    const r = await discover(arch, { probe: p.probe });
    expect(p.calls.length).toBe(1);
    expect(r.warnings[0]).toMatch(/discovery cache ignored: .* is not valid JSON/);
    const again = countingProbe();
    const r2 = await discover(arch, { probe: again.probe });
    expect(again.calls.length).toBe(0);
    expect(r2.warnings).toEqual([]);
  });

  it("does not cache I/O failures (they may go away without the file changing)", async () => {
    const arch = join(base, "io-fail");
    mkdirSync(arch);
    writeFileSync(join(arch, "a.wav"), makeWav(80));
    let fail = true;
    const probe = async (path: string) => {
      if (fail) throw Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
      return stubProbe(path);
    };
    const r1 = await discover(arch, { probe });
    expect(r1.unreadable).toEqual([
      { relPath: "a.wav", reason: "io", message: "EMFILE: too many open files" },
    ]);
    fail = false;
    const r2 = await discover(arch, { probe });
    expect(r2.found).toBe(1);
  });
});

describe("discover with patina's own probe", () => {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "audio");
  const ffprobe = JSON.parse(readFileSync(join(fixtures, "probe.json"), "utf8")) as Record<
    string,
    { sample_rate: number; channels: number; ffmpeg_decoded_frames: number }
  >;
  // Fixture -> name in the archive: awkward names, mixed-case extensions, content not matching the name.
  const layout: [string, string][] = [
    ["wav_s16.wav", "Songs/01 Track One (final).WAV"],
    ["flac_44_16.Flac", "Songs/Café b.Flac"],
    ["aiff_s16.aiff", "Songs/c.AIF"],
    ["mp3_cbr_stereo.mp3", "d.MP3"],
    ["flac_named_as.mp3", "e flac really.mp3"],
    ["mp3_long_vbr.mp3", "Songs/sub/f.mp3"],
    ["text_named_as.wav", "notes.wav"],
    ["bad_empty.wav", "empty.wav"],
  ];

  it("catalogues real WAV/FLAC/AIFF/MP3 headers and rejects non-audio named .wav", async () => {
    const arch = join(base, "real-probe");
    for (const [src, dst] of layout) {
      mkdirSync(dirname(join(arch, dst)), { recursive: true });
      copyFileSync(join(fixtures, src), join(arch, dst));
    }
    const res = await discover(arch, { cache: false });
    expect(res.rows.map((r) => r.rel_path)).toEqual([
      "d.MP3",
      "e flac really.mp3",
      "Songs/01 Track One (final).WAV",
      "Songs/c.AIF",
      "Songs/Café b.Flac",
      "Songs/sub/f.mp3",
    ]);
    for (const row of res.rows) {
      const src = layout.find(([, dst]) => dst === row.rel_path)?.[0] ?? "";
      const ref = ffprobe[src];
      expect({ rate: row.sample_rate, ch: row.channels }).toEqual({
        rate: ref.sample_rate,
        ch: ref.channels,
      });
      // The probe's duration is the decoded (gapless) length; the catalog rounds it to 2 decimals.
      const decodedSec = ref.ffmpeg_decoded_frames / ref.sample_rate;
      expect(Math.abs(row.duration_sec - decodedSec)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    expect(res.unreadable.map((u) => [u.relPath, u.reason])).toEqual([
      ["empty.wav", "zero-length"],
      ["notes.wav", "not-audio"],
    ]);
  });
});
