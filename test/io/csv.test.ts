import { describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "../../src/io/csv.js";

describe("csv", () => {
  it("round-trips awkward fields", () => {
    const text = toCsv(
      ["a", "b"],
      [
        ["x,y", 'say "hi"'],
        ["line\nbreak", 3],
      ],
    );
    expect(parseCsv(text)).toEqual([
      { a: "x,y", b: 'say "hi"' },
      { a: "line\nbreak", b: "3" },
    ]);
  });
});
