import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import {
  type CatalogRow,
  formatCatalog,
  formatFromPath,
  parseCatalog,
  readCatalog,
  readSelection,
  writeCatalog,
} from "../../src/pipeline/catalog.js";
import { select, writeSelection } from "../../src/pipeline/select.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patina-catalog-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ROWS: CatalogRow[] = [
  {
    id: "audio_0000",
    rel_path: 'Bounces/Song, "One".wav',
    duration_sec: 245.5,
    sample_rate: 44100,
    channels: 2,
    file_size_mb: 41.3,
  },
  {
    id: "audio_0001",
    rel_path: "a|b/x.flac",
    duration_sec: 31,
    sample_rate: 48000,
    channels: 1,
    file_size_mb: 0,
  },
];

describe("catalog formats", () => {
  it("writes CSV with the exact header and fixed decimals", () => {
    expect(formatCatalog(ROWS, "csv")).toBe(
      [
        "id,rel_path,duration_sec,sample_rate,channels,file_size_mb",
        'audio_0000,"Bounces/Song, ""One"".wav",245.50,44100,2,41.3',
        "audio_0001,a|b/x.flac,31.00,48000,1,0.0",
        "",
      ].join("\n"),
    );
  });

  it("writes JSON as an array of the same objects with numbers as numbers", () => {
    const text = formatCatalog([{ ...ROWS[0], duration_sec: 1.23456, file_size_mb: 2.06 }], "json");
    expect(JSON.parse(text)).toEqual([
      {
        id: "audio_0000",
        rel_path: 'Bounces/Song, "One".wav',
        duration_sec: 1.23,
        sample_rate: 44100,
        channels: 2,
        file_size_mb: 2.1,
      },
    ]);
    expect(Object.keys(JSON.parse(text)[0])).toEqual([
      "id",
      "rel_path",
      "duration_sec",
      "sample_rate",
      "channels",
      "file_size_mb",
    ]);
  });

  it("writes a markdown table with pipes escaped", () => {
    expect(formatCatalog(ROWS, "markdown")).toBe(
      [
        "| id | rel_path | duration_sec | sample_rate | channels | file_size_mb |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        '| audio_0000 | Bounces/Song, "One".wav | 245.50 | 44100 | 2 | 41.3 |',
        "| audio_0001 | a\\|b/x.flac | 31.00 | 48000 | 1 | 0.0 |",
        "",
      ].join("\n"),
    );
  });

  it("takes the format from the flag, else the extension (CSV otherwise)", () => {
    expect(formatFromPath("x.JSON")).toBe("json");
    expect(formatFromPath("x.md")).toBe("markdown");
    expect(formatFromPath("x.markdown")).toBe("markdown");
    expect(formatFromPath("x.csv")).toBe("csv");
    expect(formatFromPath("x.txt")).toBe("csv");
    expect(formatFromPath("x.json", "csv")).toBe("csv");
  });

  it("round-trips CSV and JSON files and writes atomically (no temp file left)", async () => {
    for (const name of ["cat.csv", "cat.json"]) {
      const p = join(dir, name);
      const f = await writeCatalog(ROWS, p);
      expect(f).toBe(name.endsWith(".json") ? "json" : "csv");
      expect(await readCatalog(p)).toEqual(ROWS);
    }
    const p = join(dir, "table.md");
    expect(await writeCatalog(ROWS, p)).toBe("markdown");
    expect(readFileSync(p, "utf8")).toMatch(/^\| id \| rel_path/);
    expect(readdirSync(dir).filter((n) => n.includes("tmp"))).toEqual([]);
  });

  it("sniffs JSON content when the extension says nothing", () => {
    expect(parseCatalog(formatCatalog(ROWS, "json"), "catalog.txt")).toEqual(ROWS);
    expect(parseCatalog(formatCatalog(ROWS, "csv"), "catalog.txt")).toEqual(ROWS);
  });

  it("ignores extra columns and accepts numeric strings in JSON", () => {
    const text = JSON.stringify([{ ...ROWS[1], duration_sec: "31", note: "x" }]);
    expect(parseCatalog(text, "c.json")).toEqual([ROWS[1]]);
  });

  it("names the line, column and bad value of a broken catalog", () => {
    const csv =
      "id,rel_path,duration_sec,sample_rate,channels,file_size_mb\naudio_0000,a.wav,abc,44100,2,1.0\n";
    expect(() => parseCatalog(csv, "c.csv")).toThrow(ParameterError);
    expect(() => parseCatalog(csv, "c.csv")).toThrow(
      'c.csv: line 2 (a.wav): column duration_sec must be a number, got: "abc"',
    );
    const missing = "id,rel_path,duration_sec\naudio_0000,a.wav,3\n";
    expect(() => parseCatalog(missing, "m.csv")).toThrow("line 2 (a.wav): missing column sample_rate");
    expect(() => parseCatalog("{}", "c.json")).toThrow("must be an array");
    expect(() => parseCatalog("[1]", "c.json")).toThrow("item 0: expected an object, got: 1");
    expect(() => parseCatalog("| id |", "c.md")).toThrow(/markdown/);
    expect(() => parseCatalog("[", "c.json")).toThrow(/not valid JSON/);
  });

  it("reports a missing file as a ParameterError naming the path", async () => {
    const p = join(dir, "nope.csv");
    await expect(readCatalog(p)).rejects.toThrow(`${p}: cannot read file (ENOENT)`);
  });
});

describe("selection files", () => {
  it("writes catalog columns plus selection_score and reads them back", async () => {
    const res = select(ROWS);
    const p = join(dir, "sel.csv");
    expect(await writeSelection(res.selected, p)).toBe("csv");
    const text = readFileSync(p, "utf8");
    expect(text.split("\n")[0]).toBe(
      "id,rel_path,duration_sec,sample_rate,channels,file_size_mb,selection_score",
    );
    expect(text.split("\n")[1]).toBe('audio_0000,"Bounces/Song, ""One"".wav",245.50,44100,2,41.3,10');
    expect(await readSelection(p)).toEqual(res.selected);
    // A selection reads as a catalog too (select can be re-run on its own output).
    expect(await readCatalog(p)).toEqual(res.selected.map(({ selection_score: _s, ...r }) => r));
    const pj = join(dir, "sel.json");
    await writeSelection(res.selected, pj, "json");
    expect(JSON.parse(readFileSync(pj, "utf8"))[0].selection_score).toBe(10);
  });

  it("overwrites an existing file in place", async () => {
    const p = join(dir, "over.csv");
    writeFileSync(p, "old content");
    await writeCatalog(ROWS.slice(0, 1), p);
    expect(await readCatalog(p)).toEqual(ROWS.slice(0, 1));
  });
});
