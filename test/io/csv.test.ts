import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "../../src/io/csv.js";

/** The parser as first written, a character at a time: the reference the sliced one must equal. */
function parseCsvReference(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const nonEmpty = rows.filter((r) => !(r.length === 1 && r[0] === ""));
  if (nonEmpty.length === 0) return [];
  const header = nonEmpty[0].map((h) => h.replace(/^\uFEFF/, ""));
  return nonEmpty.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""])));
}

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

  it("parses any text exactly as the character-at-a-time reference does (quotes, CRLF, ragged rows)", () => {
    const chars = fc.constantFrom("a", "b", ",", '"', "\n", "\r", " ", "\uFEFF");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (cs) => {
        const text = cs.join("");
        expect(parseCsv(text)).toEqual(parseCsvReference(text));
      }),
      { seed: 16, numRuns: 2000 },
    );
  });
});
