/**
 * A seeded fuzz run kept in the suite: a few hundred mutants of the four containers (see
 * test/support/mutate.ts) through probe and a full streaming decode, one after the other in this
 * process. Each must give sane audio or a typed DecodeError in plain words; the audio decoded stays
 * proportional to the bytes the file holds (the deterministic bound on time), and the process stays
 * far below the 500 MB budget over the whole mix. `npm run fuzz` runs thousands.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exercise } from "../support/fuzz-check.js";
import { mutant } from "../support/mutate.js";

const SEED = 20261121;
const COUNT = 320;
const BUDGET_MB = 500;

const dir = mkdtempSync(join(tmpdir(), "patina-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fuzz: mutated WAV, AIFF, FLAC and MP3 files", () => {
  it(`${COUNT} mutants (seed ${SEED}): sane audio or a typed error in plain words, audio <= 64 frames per byte, RSS < ${BUDGET_MB} MB`, async () => {
    const problems: string[] = [];
    const reasons = new Map<string, number>();
    let read = 0;
    let peakRss = 0;
    for (let i = 0; i < COUNT; i++) {
      const m = mutant(SEED, i);
      const path = join(dir, m.name);
      writeFileSync(path, m.bytes);
      const o = await exercise(path, m.bytes.length);
      rmSync(path);
      if (o.ok) read++;
      else reasons.set(o.reason ?? "untyped", (reasons.get(o.reason ?? "untyped") ?? 0) + 1);
      for (const p of o.problems) problems.push(`#${i} ${m.seedFile} [${m.steps.join("; ")}]: ${p}`);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    expect(problems).toEqual([]);
    // The mutants exercise both sides: plenty are still readable, plenty are refused, for several reasons.
    expect(read).toBeGreaterThan(COUNT / 4);
    expect(COUNT - read).toBeGreaterThan(COUNT / 4);
    expect(reasons.size).toBeGreaterThanOrEqual(4);
    expect(peakRss / 2 ** 20).toBeLessThan(BUDGET_MB);
  });

  it("the mutator is seeded: the same seed and index give the same bytes", () => {
    const a = mutant(SEED, 17);
    const b = mutant(SEED, 17);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.steps).toEqual(b.steps);
    expect(Buffer.from(mutant(SEED + 1, 17).bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });
});
