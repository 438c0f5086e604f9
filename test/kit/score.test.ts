import { describe, expect, it } from "vitest";
import type { ManifestRow } from "../../src/core/manifest.js";
import { hasConfidentRoot, hasScoreColumn, scoreOf } from "../../src/kit/score.js";
import { row } from "./helpers.js";

describe("score and root confidence (columns a newer manifest adds)", () => {
  it("reads `score` when present, else stands in A=95, B=80, C=50, F=0", () => {
    expect([
      scoreOf(row({ file: "a" })),
      scoreOf(row({ file: "b", grade: "B" })),
      scoreOf(row({ file: "f", grade: "F" })),
    ]).toEqual([95, 80, 0]);
    expect(scoreOf(row({ file: "c", grade: "C" }))).toBe(50);
    const scored = { ...row({ file: "s", grade: "B" }), score: 73 } as ManifestRow;
    expect(scoreOf(scored)).toBe(73);
    expect(hasScoreColumn(scored)).toBe(true);
    expect(hasScoreColumn(row({ file: "a" }))).toBe(false);
  });

  it("trusts a present root until `root_confidence` says otherwise (below 0.5)", () => {
    expect(hasConfidentRoot(row({ file: "a", root_midi: 48 }))).toBe(true);
    expect(hasConfidentRoot(row({ file: "a", root_midi: null }))).toBe(false);
    expect(
      hasConfidentRoot({ ...row({ file: "a", root_midi: 48 }), root_confidence: 0.3 } as ManifestRow),
    ).toBe(false);
    expect(
      hasConfidentRoot({ ...row({ file: "a", root_midi: 48 }), root_confidence: 0.8 } as ManifestRow),
    ).toBe(true);
  });
});
