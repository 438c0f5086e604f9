import { describe, expect, it } from "vitest";
import { seedFromString } from "../../src/dsp/rng.js";
import { parseKeyArg } from "../../src/kit/keys.js";
import { type AudioReader, type Candidate, SELECT_DEFAULTS, selectTextures } from "../../src/kit/select.js";
import { CorrelationAudio } from "../../src/kit/similarity.js";
import { candidate, noise, SR } from "./helpers.js";

const DIMS = ["mel00_mean", "mel01_mean", "flatness_db", "chroma_C"];
const base = { ...SELECT_DEFAULTS, count: null, defaultCount: 4, categories: null, key: null, dims: DIMS };

/** Every file exists; openings are seeded noise by `audioSeed` (same seed = same audio). */
function reader(
  audioSeed: (c: Candidate) => number = (c) => seedFromString(c.id),
): AudioReader & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    exists: async () => true,
    opening: async (c) => {
      opened.push(c.id);
      return new CorrelationAudio([noise(0.5, audioSeed(c))], SR);
    },
  };
}

/** A spread of fingerprints: points scattered deterministically, far apart for different `k`. */
const at = (k: number): number[] => [
  10 * Math.sin(k * 1.7),
  10 * Math.cos(k * 2.3),
  5 * Math.sin(k * 0.9),
  3 * Math.cos(k * 3.1),
];

describe("automatic selection", () => {
  it("spreads the count over categories (equal shares) before taking a category's fifth", async () => {
    const cands = [
      ...Array.from({ length: 8 }, (_, i) =>
        candidate({ file: `p${i}`, category: "pads", source: `s${i}` }, at(i * 10)),
      ),
      candidate({ file: "c0", category: "clouds", type: "cloud", source: "c", grade: "B" }, at(200)),
      candidate({ file: "h0", category: "hiss", type: "hiss_loop", source: "h", grade: "B" }, at(300)),
    ];
    const sel = await selectTextures(cands, { ...base, count: 6 }, reader());
    const cats = sel.picks.map((p) => p.candidate.row.category);
    // Shares of 2: the B-graded cloud and hiss get in although 8 A-graded pads wait.
    expect(cats.filter((c) => c === "clouds")).toHaveLength(1);
    expect(cats.filter((c) => c === "hiss")).toHaveLength(1);
    expect(cats.filter((c) => c === "pads")).toHaveLength(4);
    // The last two pads came after the other categories ran out.
    expect(sel.picks.filter((p) => /past its share/.test(p.reason))).toHaveLength(2);
  });

  it("spreads over sources: the second from a source costs it the source penalty", async () => {
    const cands = [
      candidate({ file: "a1", source: "a" }, at(0)),
      candidate({ file: "a2", source: "a" }, at(10)),
      candidate({ file: "b1", source: "b", grade: "B" }, at(20)),
    ];
    // A (95) - 10 for the second from "a" = 85 > B (80): a2 still wins; with a 30-point penalty b1 does.
    const soft = await selectTextures(cands, { ...base, count: 2 }, reader());
    expect(soft.picks.map((p) => p.candidate.id)).toEqual(["a1", "a2"]);
    const hard = await selectTextures(cands, { ...base, count: 2, sourcePenalty: 30 }, reader());
    expect(hard.picks.map((p) => p.candidate.id)).toEqual(["a1", "b1"]);
    expect(hard.picks[1].reason).toMatch(/^score 80/);
  });

  it("keeps near-duplicates out: no two picks closer than the fingerprint distance", async () => {
    const cands = [
      candidate({ file: "a", source: "x" }, at(0)),
      candidate(
        { file: "a-twin", source: "y" },
        at(0).map((v) => v + 0.01),
      ),
      candidate({ file: "b", source: "z", grade: "B" }, at(50)),
    ];
    const sel = await selectTextures(cands, { ...base, count: 2 }, reader());
    expect(sel.picks.map((p) => p.candidate.id)).toEqual(["a", "b"]);
    expect(sel.notes.join("\n")).toMatch(/1 too close in timbre to a pick \(fingerprint distance < 0\.35\)/);
  });

  it("keeps a copy of a pick's audio out (correlation > 0.98), comparing audio only where a copy is plausible", async () => {
    const cands = [
      candidate({ file: "a", source: "s" }, at(0)),
      candidate({ file: "a-louder", source: "s" }, at(40)), // far in timbre, same source, same audio
      candidate({ file: "b", source: "s" }, at(80)),
      candidate({ file: "elsewhere", source: "t", grade: "B" }, at(120)),
    ];
    // "a" and "a-louder" hold the same audio (the correlation does not see the gain).
    const r = reader((c) => (c.id === "a" || c.id === "a-louder" ? 1 : seedFromString(c.id)));
    const sel = await selectTextures(cands, { ...base, count: 3 }, r);
    expect(sel.picks.map((p) => p.candidate.id)).toEqual(["a", "b", "elsewhere"]);
    expect(sel.notes.join("\n")).toMatch(/1 whose audio correlates above 0\.98/);
    // "elsewhere" is from another source and far in timbre: its audio was never read.
    expect(r.opened).not.toContain("elsewhere");
  });

  it("never picks rejected, F-graded or unsaved textures, and honours --category and --key", async () => {
    const cands = [
      candidate({ file: "rej" }, at(0), { state: "reject" }),
      candidate({ file: "f", grade: "F" }, at(10)),
      candidate({ file: "gone", saved: false }, at(20)),
      candidate({ file: "in-key", key: "C major", source: "k1" }, at(30)),
      candidate({ file: "off-key", key: "E major", source: "k2" }, at(40)),
      candidate({ file: "root-in", root_midi: 57, source: "k3" }, at(50)),
      candidate({ file: "hiss", category: "hiss", type: "hiss_loop", source: "k4" }, at(60)),
    ];
    const sel = await selectTextures(cands, { ...base, count: 10, key: parseKeyArg("Am") }, reader());
    expect(sel.picks.map((p) => p.candidate.id).sort()).toEqual(["hiss", "in-key", "root-in"]);
    expect(sel.notes).toEqual(
      expect.arrayContaining([
        "1 rejected in the report",
        "2 graded F or not saved",
        "1 whose key or root does not fit A minor",
      ]),
    );
    const pads = await selectTextures(cands, { ...base, count: 10, categories: ["hiss"] }, reader());
    expect(pads.picks.map((p) => p.candidate.id)).toEqual(["hiss"]);
  });

  it("is deterministic: the same inputs give the same picks in the same order", async () => {
    const cands = Array.from({ length: 40 }, (_, i) =>
      candidate(
        { file: `t${String(i).padStart(2, "0")}`, source: `s${i % 5}`, category: i % 2 ? "pads" : "clouds" },
        at(i),
      ),
    );
    const a = await selectTextures(cands, { ...base, count: 12 }, reader());
    const b = await selectTextures([...cands].reverse(), { ...base, count: 12 }, reader());
    expect(b.picks.map((p) => p.candidate.id)).toEqual(a.picks.map((p) => p.candidate.id));
    expect(a.picks).toHaveLength(12);
  });
});

describe("chosen in the report", () => {
  it("takes the kept textures, starred first, then by score; --count keeps the first ones", async () => {
    const cands = [
      candidate({ file: "kept-b", grade: "B" }, null, { state: "keep" }),
      candidate({ file: "kept-a" }, null, { state: "keep" }),
      candidate({ file: "starred-b", grade: "B" }, null, { state: "keep", star: true }),
      candidate({ file: "rejected" }, null, { state: "reject" }),
      candidate({ file: "unmarked" }),
    ];
    const all = await selectTextures(cands, base, reader());
    expect(all.mode).toBe("chosen");
    expect(all.picks.map((p) => p.candidate.id)).toEqual(["starred-b", "kept-a", "kept-b"]);
    expect(all.picks[0].reason).toMatch(/^starred in the report/);
    const two = await selectTextures(cands, { ...base, count: 2 }, reader());
    expect(two.picks.map((p) => p.candidate.id)).toEqual(["starred-b", "kept-a"]);
    expect(two.notes).toContain("1 kept texture(s) over --count 2 left out (lowest scores)");
  });
});
