/**
 * Issue "musical truth": pads come from the body of a sound (not from release tails held up by a
 * DC offset), hold no drum hit, and no pad lies inside another.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/dsp/rng.js";
import { minePads } from "../../src/textures/pads.js";
import type { Texture } from "../../src/textures/types.js";
import { A_MINOR, addKick, chord, heldAndReleased, memorySource, SR } from "./helpers.js";

const span = (t: Texture): [number, number] => [
  t.params.source_start_sec as number,
  t.params.source_end_sec as number,
];

/** Largest minus smallest RMS (dB) of the 50 ms blocks of x[s0, s1). */
function levelRangeDb(x: Float32Array, s0: number, s1: number): number {
  const block = Math.round(0.05 * SR);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let b = s0; b + block <= s1; b += block) {
    let e = 0;
    for (let i = b; i < b + block; i++) e += x[i] * x[i];
    const db = 10 * Math.log10(e / block + 1e-20);
    lo = Math.min(lo, db);
    hi = Math.max(hi, db);
  }
  return hi - lo;
}

describe("pads from the body of a sound", () => {
  // Three chords held 4 s, each released over 8 s at -7.5 dB/s, all on a +0.07 DC offset.
  const { x: clean, held } = heldAndReleased(3, 4, 8, 7.5);
  const withDc = clean.map((v) => v + 0.07);

  it("mines pads from the held chords, not the tails, under a +0.07 DC offset: level range <= 6 dB (50 ms blocks)", async () => {
    const r = await minePads(memorySource("dc", withDc), {}, new Rng(1));
    expect(r.textures.length).toBeGreaterThanOrEqual(2);
    for (const t of r.textures) {
      const [a, b] = span(t);
      // Inside a held chord (the release starts at its end), with the loop maker's margins.
      expect(held.some(([h0, h1]) => a >= h0 && b <= h1 + 0.05)).toBe(true);
      expect(levelRangeDb(clean, Math.round(a * SR), Math.round(b * SR))).toBeLessThanOrEqual(6);
      expect(Math.abs(t.params.window_level_trend_db as number)).toBeLessThanOrEqual(3);
      // The pad itself carries no offset.
      const ch = t.audio.channels[0];
      let mean = 0;
      for (let i = 0; i < ch.length; i++) mean += ch[i];
      expect(Math.abs(mean / ch.length)).toBeLessThan(1e-4);
    }
  });

  it("rejects a release tail as decaying and says so when only tails are left", async () => {
    // Only the tails: 8 s releases at -4 dB/s (each window falls by 9 dB and more).
    const tails = heldAndReleased(2, 0.5, 8, 4).x.map((v) => v + 0.07);
    const r = await minePads(memorySource("tails", tails.subarray(Math.round(0.6 * SR))), {}, new Rng(1));
    expect(r.textures).toEqual([]);
    expect(r.skipped).toMatch(/decaying by more than 3 dB \(a release tail\)/);
  });
});

describe("no drum hit inside a pad", () => {
  // A sustained chord with a soft kick every 2.5 s (peak 0.05 under a chord peaking near 0.3): the
  // onset flux does not see the kicks at all.
  const kicks: number[] = [];
  const x = chord(A_MINOR, 40, 0.06, 1);
  for (let t = 0.38; t < 39.5; t += 2.5) {
    addKick(x, t, 0.05);
    kicks.push(t);
  }
  const src = memorySource("kick", x);

  it("finds every kick under the chord within ±15 ms where the onset flux finds at most one", () => {
    expect(src.analysis.onsetTimes.length).toBeLessThanOrEqual(1);
    expect(src.analysis.hits.times.length).toBe(kicks.length);
    for (const [i, h] of src.analysis.hits.times.entries())
      expect(Math.abs(h - kicks[i])).toBeLessThan(0.015);
  });

  it("mines pads only between the kicks: no kick attack from 100 ms before a pad to its end", async () => {
    const r = await minePads(src, {}, new Rng(1));
    // 2 s pads fit between kicks 2.5 s apart; 3.5 s pads cannot.
    expect(r.textures.length).toBeGreaterThanOrEqual(2);
    for (const t of r.textures) {
      const [a, b] = span(t);
      expect(t.params.window_hits).toBe(0);
      // The loop's crossfade reads 100 ms past its end: no kick there either.
      for (const k of kicks) expect(k < a - 0.1 || k > b + 0.1).toBe(true);
    }
    expect(r.skipped).toMatch(/no 3\.5 s window passed .*holding a percussive hit/);
  });
});

describe("no pad inside another", () => {
  it("keeps a 2 s pad out of a 3.5 s pad of the same region (overlap <= 25 % of the shorter)", async () => {
    // 12 s of steady chord: room for three 2 s pads, then the 3.5 s ones must give way.
    const r = await minePads(memorySource("steady", chord(A_MINOR, 12, 0.08, 1)), {}, new Rng(1));
    const two = r.textures.filter((t) => t.params.target_duration_sec === 2);
    const long = r.textures.filter((t) => t.params.target_duration_sec === 3.5);
    expect(two).toHaveLength(3);
    expect(long.length).toBeLessThan(3);
    for (const l of long) {
      for (const s of two) {
        const [a0, a1] = span(l);
        const [b0, b1] = span(s);
        const overlap = Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
        expect(overlap / (b1 - b0)).toBeLessThanOrEqual(0.25);
      }
    }
  });
});
