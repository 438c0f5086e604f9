import { describe, expect, it } from "vitest";
import { keyFit, noteName, parseKey, parseKeyArg } from "../../src/kit/keys.js";

describe("parseKey", () => {
  it.each([
    ["A minor", 9, "minor", "A minor"],
    ["Am", 9, "minor", "A minor"],
    ["a-min", 9, "minor", "A minor"],
    ["F#m", 6, "minor", "F# minor"],
    ["Bb major", 10, "major", "Bb major"],
    ["Eb", 3, "major", "Eb major"],
    ["C", 0, "major", "C major"],
    ["bm", 11, "minor", "B minor"],
  ])("reads %j as %i %s", (text, tonic, mode, name) => {
    expect(parseKey(text)).toEqual({ tonic, mode, name });
  });

  it("refuses what is not a key, with examples", () => {
    expect(parseKey("H minor")).toBeNull();
    expect(parseKey("A dorian")).toBeNull();
    expect(() => parseKeyArg("Q")).toThrow(/not a key; write e\.g\. --key "A minor"/);
  });
});

describe("keyFit", () => {
  const am = parseKeyArg("A minor");
  it("takes the same key and its relative, refuses a key a fifth away", () => {
    expect(keyFit({ key: "A minor", root_midi: null }, am)).toMatchObject({
      fits: true,
      reason: "key A minor",
    });
    expect(keyFit({ key: "C major", root_midi: null }, am).reason).toBe("key C major = relative of A minor");
    expect(keyFit({ key: "E minor", root_midi: 52 }, am).fits).toBe(false); // the key decides, not the root
  });

  it("judges a texture without a key by its root note, and one without pitch fits any key", () => {
    expect(keyFit({ key: null, root_midi: 52 }, am)).toEqual({ fits: true, reason: "root E3 is in A minor" });
    expect(keyFit({ key: null, root_midi: 49 }, am)).toEqual({
      fits: false,
      reason: "root C#3 is not in A minor",
    });
    expect(keyFit({ key: null, root_midi: null }, am)).toEqual({
      fits: true,
      reason: "no pitch: fits any key",
    });
  });

  it("names notes with C4 = 60", () => {
    expect(noteName(60)).toBe("C4");
    expect(noteName(61, "s")).toBe("Cs4");
    expect(noteName(21)).toBe("A0");
  });
});
