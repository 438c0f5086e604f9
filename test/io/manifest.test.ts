import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import { MANIFEST_COLUMNS, type ManifestRow } from "../../src/core/manifest.js";
import { parseCsv, toCsv } from "../../src/io/csv.js";
import { formatManifest, parseManifest, readManifest, writeManifest } from "../../src/io/manifest.js";

const dir = mkdtempSync(join(tmpdir(), "patina-manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pad: ManifestRow = {
  file: "song/pads/song_pad01_mid.wav",
  source: "song",
  type: "pad",
  category: "pads",
  duration_sec: 8,
  rms_db: -18.25,
  peak_dbfs: -1,
  crest_factor: 3.5,
  centroid_hz: 1234.5,
  brightness: "mid",
  root_hz: 220,
  root_midi: 57,
  key: "A minor",
  loop: true,
  loop_start: 0,
  loop_end: 352800,
  loop_seam_db: 1.5,
  loop_dip_db: -0.4,
  grade: "A",
  grade_reason: "ok, clean",
  saved: true,
  seed: 42,
  params: { duration: 8, note: 'say "hi"', nested: { a: [1, 2] } },
  score: 92,
  duplicate_of: null,
  root_confidence: 0.93,
  root_cents: -12.5,
};

const swell: ManifestRow = {
  ...pad,
  file: "song/swells/song_stretch1.5x_swell01.wav",
  type: "swell",
  category: "swells",
  root_hz: null,
  root_midi: null,
  key: null,
  loop: false,
  loop_start: null,
  loop_end: null,
  loop_seam_db: null,
  loop_dip_db: null,
  grade: "F",
  saved: false,
  params: {},
  score: 0,
  duplicate_of: "song/swells/song_swell01.wav",
  root_confidence: 0.21,
  root_cents: null,
};

describe("manifest csv", () => {
  it("writes the columns in the exact contract order", () => {
    const header = formatManifest([pad]).split("\n")[0];
    expect(header).toBe(MANIFEST_COLUMNS.join(","));
    expect(header.startsWith("file,source,type,category,duration_sec")).toBe(true);
  });

  it("round-trips types: numbers, booleans, nulls, params JSON", async () => {
    const path = join(dir, "manifest.csv");
    await writeManifest(path, [pad, swell]);
    const back = readManifest(path);
    expect(back).toEqual([pad, swell]);
    expect(typeof back[0].duration_sec).toBe("number");
    expect(back[1].saved).toBe(false);
    expect(back[1].root_hz).toBeNull();
    expect(back[1].key).toBeNull();
    // No temporary file is left behind by the atomic write.
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes empty cells for null and quotes awkward fields", () => {
    const text = formatManifest([swell]);
    const cells = text.split("\n")[1];
    expect(cells).toContain(",,"); // null root_hz / root_midi / key
    const row = formatManifest([pad]).split("\n")[1];
    expect(row).toContain('"ok, clean"');
    expect(row).toContain('"{""duration"":8');
  });

  it("normalises Windows separators in file paths", () => {
    const text = formatManifest([{ ...pad, file: "song\\pads\\x.wav" }]);
    expect(parseManifest(text)[0].file).toBe("song/pads/x.wav");
  });

  it("names the line, column and bad value of an unreadable cell", () => {
    const text = formatManifest([pad]).replace(",8,-18.25,", ",eight,-18.25,");
    expect(() => parseManifest(text, "x/manifest.csv")).toThrow(ParameterError);
    expect(() => parseManifest(text, "x/manifest.csv")).toThrow(
      /x\/manifest\.csv: line 2: column "duration_sec" is not a number, got: "eight"/,
    );
    const badGrade = formatManifest([{ ...pad, grade: "Z" as "A" }]);
    expect(() => parseManifest(badGrade)).toThrow(/column "grade" is not one of A\|B\|C\|F, got: "Z"/);
  });

  it("rejects a manifest missing columns and reads an empty one as no rows", () => {
    expect(() => parseManifest("file,source\na.wav,a\n")).toThrow(/missing column\(s\): type, category/);
    expect(parseManifest("")).toEqual([]);
    expect(parseManifest(`${MANIFEST_COLUMNS.join(",")}\n`)).toEqual([]);
  });

  it("reads a manifest written before score, root_confidence, root_cents and duplicate_of (read as null)", () => {
    const added = ["score", "root_confidence", "root_cents", "duplicate_of"];
    expect(MANIFEST_COLUMNS.slice(-4)).toEqual(added);
    const old = MANIFEST_COLUMNS.filter((c) => !added.includes(c));
    for (const dropped of [added, ["score", "duplicate_of"], ["root_confidence", "root_cents"]]) {
      const header = MANIFEST_COLUMNS.filter((c) => !dropped.includes(c));
      const [rec] = parseCsv(formatManifest([pad]));
      const text = toCsv(header, [header.map((c) => rec[c])]);
      const nulls = Object.fromEntries(dropped.map((c) => [c, null]));
      expect(parseManifest(text), dropped.join(",")).toEqual([{ ...pad, ...nulls }]);
    }
    expect(old).toContain("params");
  });

  it("ignores extra columns (newer writers)", () => {
    const text = formatManifest([pad])
      .replace(/\n/, ",extra\n")
      .replace(/\n(.+)\n$/, "\n$1,zzz\n");
    expect(parseManifest(text)).toEqual([pad]);
  });

  it("reports a missing file with its path", () => {
    const missing = join(dir, "nope.csv");
    expect(() => readManifest(missing)).toThrow(/nope\.csv: cannot read manifest/);
  });
});
