import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import {
  findManifestFolders,
  findSelection,
  parseSelection,
  readExportFingerprints,
  readExportRows,
  readSelection,
  writeSelection,
} from "../../src/io/export-folder.js";
import { formatManifest } from "../../src/io/manifest.js";
import { baseRow } from "../report/helpers.js";

const base = mkdtempSync(join(tmpdir(), "patina-export-folder-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function track(dir: string, files: string[], dims: string[] | null): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.csv"),
    formatManifest(files.map((f) => baseRow({ file: f, source: "s", type: "pad", category: "pads" }))),
  );
  if (dims) {
    const textures = Object.fromEntries(files.map((f, i) => [f, dims.map((_, j) => i + j)]));
    writeFileSync(join(dir, "fingerprints.json"), JSON.stringify({ version: 1, dims, textures }));
  }
}

describe("export folder", () => {
  it("reads a batch export's per-track manifests and fingerprints rebased onto the root", async () => {
    const root = join(base, "batch");
    track(join(root, "by_source", "b_track"), ["pads/b_pad01_mid.wav"], ["x", "y"]);
    track(join(root, "by_source", "a_track"), ["pads/a_pad01_mid.wav", "hiss/h.wav"], ["x", "y"]);
    track(join(root, "by_source", "c_old"), ["pads/c.wav"], null);
    track(join(root, "by_source", "d_other"), ["pads/d.wav"], ["z"]);
    expect(await findManifestFolders(root)).toEqual([
      "by_source/a_track",
      "by_source/b_track",
      "by_source/c_old",
      "by_source/d_other",
    ]);
    const rows = await readExportRows(root);
    expect(rows.map((r) => r.file)).toEqual([
      "by_source/a_track/pads/a_pad01_mid.wav",
      "by_source/a_track/hiss/h.wav",
      "by_source/b_track/pads/b_pad01_mid.wav",
      "by_source/c_old/pads/c.wav",
      "by_source/d_other/pads/d.wav",
    ]);
    const fp = await readExportFingerprints(root);
    expect(fp?.dims).toEqual(["x", "y"]);
    // The old folder has none and the one with other dimensions is left out.
    expect(Object.keys(fp?.textures ?? {}).sort()).toEqual([
      "by_source/a_track/hiss/h.wav",
      "by_source/a_track/pads/a_pad01_mid.wav",
      "by_source/b_track/pads/b_pad01_mid.wav",
    ]);
    expect(fp?.textures["by_source/a_track/hiss/h.wav"]).toEqual([1, 2]);
  });

  it("a make export's own manifest wins over subfolders; no manifest is a usage error", async () => {
    const root = join(base, "make");
    track(root, ["pads/p.wav"], null);
    track(join(root, "sub"), ["pads/q.wav"], null);
    expect((await readExportRows(root)).map((r) => r.file)).toEqual(["pads/p.wav"]);
    expect(await readExportFingerprints(root)).toBeNull();
    const empty = join(base, "empty");
    mkdirSync(empty);
    await expect(readExportRows(empty)).rejects.toBeInstanceOf(UsageError);
  });

  it("selection round-trips atomically and bad files are named", async () => {
    const dir = join(base, "sel");
    mkdirSync(dir);
    expect(await readSelection(dir)).toBeNull();
    const written = await writeSelection(
      dir,
      { "pads/p.wav": { state: "keep", star: true }, "hiss/h.wav": { state: "reject" } },
      new Date("2026-12-06T12:00:00Z"),
    );
    expect(written.updated).toBe("2026-12-06T12:00:00.000Z");
    expect(await readSelection(dir)).toEqual(written);
    expect(JSON.parse(readFileSync(join(dir, "selection.json"), "utf8")).version).toBe(1);
    expect(() =>
      parseSelection('{"version":1,"updated":"x","textures":{"a":{"state":"maybe"}}}', "s.json"),
    ).toThrow(/s\.json: not a patina selection file: textures\.a\.state/);
    expect(() => parseSelection("{", "s.json")).toThrow(/not valid JSON/);
  });

  it("finds a track folder's choices in the batch export's selection above it, rebased", async () => {
    const root = join(base, "batch-sel");
    track(root, ["by_source/a/pads/p.wav", "by_source/b/pads/q.wav"], null);
    track(join(root, "by_source", "a"), ["pads/p.wav"], null);
    track(join(root, "by_source", "b"), ["pads/q.wav"], null);
    expect(await findSelection(join(root, "by_source", "a"))).toBeNull();
    await writeSelection(root, {
      "by_source/a/pads/p.wav": { state: "keep", star: true },
      "by_source/b/pads/q.wav": { state: "reject" },
    });
    expect(await findSelection(join(root, "by_source", "a"))).toEqual({
      path: join(root, "selection.json"),
      textures: { "pads/p.wav": { state: "keep", star: true } },
    });
    // The root's own file, as it is; a folder's own file wins over the one above.
    expect((await findSelection(root))?.textures).toHaveProperty(["by_source/b/pads/q.wav"]);
    await writeSelection(join(root, "by_source", "b"), { "pads/q.wav": { state: "keep" } });
    expect(await findSelection(join(root, "by_source", "b"))).toEqual({
      path: join(root, "by_source", "b", "selection.json"),
      textures: { "pads/q.wav": { state: "keep" } },
    });
  });
});
