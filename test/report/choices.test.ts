import { describe, expect, it } from "vitest";
import type { SelectionFile } from "../../src/core/export-files.js";
import {
  type Choices,
  choicesFromFile,
  latestChoice,
  mergeChoices,
  selectionEntries,
} from "../../src/report/choices.js";
import { CLIENT_JS, SHARED_JS } from "../../src/report/client.js";
import { displayName } from "../../src/report/page-data.js";
import { nearest } from "../../src/report/similar.js";

const T0 = Date.parse("2026-01-01T10:00:00.000Z");
const file = (updated: string, textures: SelectionFile["textures"]): SelectionFile => ({
  version: 1,
  updated,
  textures,
});

describe("choices", () => {
  it("reads a selection file as choices made at its time; a star on a rejected texture is dropped", () => {
    const c = choicesFromFile(
      file("2026-01-01T10:00:00.000Z", {
        "a.wav": { state: "keep", star: true },
        "b.wav": { state: "reject", star: true },
        "c.wav": { state: "keep" },
      }),
    );
    expect(c).toEqual({
      "a.wav": { state: "keep", star: true, at: T0 },
      "b.wav": { state: "reject", star: false, at: T0 },
      "c.wav": { state: "keep", star: false, at: T0 },
    });
    expect(choicesFromFile(null)).toEqual({});
  });

  it("merges per texture by time: the later decision wins, an unmarking included, and nothing is lost", () => {
    const disk = choicesFromFile(
      file("2026-01-01T10:00:00.000Z", {
        "kept-then-unmarked.wav": { state: "keep" },
        "rejected-on-disk.wav": { state: "reject" },
        "only-on-disk.wav": { state: "keep", star: true },
      }),
    );
    const browser: Choices = {
      "kept-then-unmarked.wav": { state: null, star: false, at: T0 + 5000 },
      "rejected-on-disk.wav": { state: "keep", star: false, at: T0 - 5000 },
      "only-in-browser.wav": { state: "reject", star: false, at: T0 - 1 },
    };
    const merged = mergeChoices(disk, browser);
    expect(merged["kept-then-unmarked.wav"].state).toBeNull();
    expect(merged["rejected-on-disk.wav"].state).toBe("reject");
    expect(merged["only-on-disk.wav"]).toEqual({ state: "keep", star: true, at: T0 });
    expect(merged["only-in-browser.wav"].state).toBe("reject");
    // Order of the arguments only matters on equal times.
    expect(mergeChoices(browser, disk)).toEqual(merged);
    expect(selectionEntries(merged)).toEqual({
      "only-in-browser.wav": { state: "reject" },
      "only-on-disk.wav": { state: "keep", star: true },
      "rejected-on-disk.wav": { state: "reject" },
    });
    expect(latestChoice(merged)).toBe(T0 + 5000);
    expect(latestChoice({})).toBe(0);
  });

  it("on equal times the second copy wins", () => {
    const a: Choices = { "x.wav": { state: "keep", star: false, at: T0 } };
    const b: Choices = { "x.wav": { state: "reject", star: false, at: T0 } };
    expect(mergeChoices(a, b)["x.wav"].state).toBe("reject");
  });
});

describe("the page's copy of the shared functions", () => {
  it("is part of a script that parses", () => {
    // new Function compiles without running: a syntax slip in any part fails here, not only in a browser.
    expect(() => new Function(CLIENT_JS)).not.toThrow();
  });

  // The page runs these functions from their source text: check that text, run outside TypeScript.
  const page = new Function(
    `${SHARED_JS}; return { displayName, nearest, choicesFromFile, mergeChoices, selectionEntries, latestChoice };`,
  )() as {
    displayName: typeof displayName;
    nearest: typeof nearest;
    choicesFromFile: typeof choicesFromFile;
    mergeChoices: typeof mergeChoices;
    selectionEntries: typeof selectionEntries;
    latestChoice: typeof latestChoice;
  };

  it("gives the same answers as the module's", () => {
    for (const [name, at] of [
      ["_pad01_mid.wav", 0],
      ["cloud__01_bright.wav", 6],
      ["other_pad01_bright.wav", -1],
      [".wav", 0],
    ] as const) {
      expect(page.displayName(name, at)).toBe(displayName(name, at));
    }
    const v = Float32Array.from([0, 0, 1, 1, 2, 2, Number.NaN, 0, 0.5, 0.4]);
    expect(page.nearest(v, 2, 0, 3, null)).toEqual(nearest(v, 2, 0, 3, null));
    const f = file("2026-01-01T10:00:00.000Z", { "a.wav": { state: "keep", star: true } });
    const b: Choices = { "a.wav": { state: null, star: false, at: T0 + 1 } };
    expect(page.mergeChoices(page.choicesFromFile(f), b)).toEqual(mergeChoices(choicesFromFile(f), b));
    expect(page.selectionEntries(choicesFromFile(f))).toEqual(selectionEntries(choicesFromFile(f)));
    expect(page.latestChoice(b)).toBe(T0 + 1);
  });
});
