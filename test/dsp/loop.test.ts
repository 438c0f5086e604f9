import { describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import { bandpass, filter, filterLoop, highpass, lowpass } from "../../src/dsp/filters.js";
import { loopSegmentLength, makeLoop } from "../../src/dsp/loop.js";
import { Rng } from "../../src/dsp/rng.js";
import { seamMetrics } from "../../src/dsp/seam.js";
import { chord, pinkNoise, SR, sine, sustainedRecording } from "./helpers.js";

const LOOP = 2 * SR; // 2 s pads, the drones' default loop length
const OPTS = { sampleRate: SR, lengthSamples: LOOP, crossfadeMs: 100, searchMs: 20 };

describe("seam metrics", () => {
  it("a whole number of sine cycles loops perfectly: 0 dB click and dip", () => {
    // Period 44 samples: the 2 ms (88-sample) click windows hold exactly two periods each.
    const x = sine(SR / 44, 44000 / SR, 0.5);
    const m = seamMetrics(x, SR);
    expect(Math.abs(m.clickDb)).toBeLessThan(0.1);
    expect(Math.abs(m.dipDb)).toBeLessThan(0.1);
  });
  it("a step at the seam is a click; a gap of silence at the seam is a dip", () => {
    const x = sine(441, 1, 0.5); // 441 whole cycles in 1 s
    const step = x.map((v, i) => v + (i < SR / 2 ? 0.1 : 0)); // jumps at the seam (and mid-loop)
    expect(seamMetrics(step, SR).clickDb).toBeGreaterThan(20);
    // 15 ms of silence either side of the seam: 30 of the 50 ms silent, -4 dB.
    const gap = x.map((v, i) => (i < 661 || i >= x.length - 661 ? 0 : v));
    expect(seamMetrics(gap, SR).dipDb).toBeLessThan(-3);
  });
  it("silence is 0 dB, not NaN; too-short loops are refused", () => {
    expect(seamMetrics(new Float32Array(SR), SR)).toEqual({ clickDb: 0, dipDb: 0 });
    expect(() => seamMetrics(new Float32Array(1000), SR)).toThrow(/1000/);
  });
});

describe("makeLoop", () => {
  const cases: Array<[string, Float32Array]> = [
    ["steady A minor chord (detuned voices)", chord(5)],
    ["pink noise", pinkNoise(5 * SR)],
    ["sustained bowed tone with vibrato, swell and breath noise", sustainedRecording(5)],
  ];
  for (const [name, x] of cases) {
    it(`${name}: click <= +6 dB, dip >= -3 dB, length within 1 % (segments at 3 offsets)`, () => {
      for (const offset of [0, 0.7 * SR, 1.4 * SR]) {
        const segment = x.subarray(offset, offset + loopSegmentLength(LOOP, SR));
        const r = makeLoop(segment, OPTS);
        expect(r.audio.length).toBe(r.loopEnd - r.loopStart);
        expect(Math.abs(r.audio.length - LOOP) / LOOP).toBeLessThanOrEqual(0.01);
        expect(r.clickDb).toBeLessThanOrEqual(6);
        expect(r.dipDb).toBeGreaterThanOrEqual(-3);
        // The reported scores are the seam metric of the returned audio.
        expect(seamMetrics(r.audio, SR).clickDb).toBeCloseTo(r.clickDb, 9);
      }
    });
  }

  it("naive cuts of the same chord at random points (no search, no crossfade) score click >= +20 dB", () => {
    const x = chord(3);
    const rng = new Rng(5);
    for (let k = 0; k < 5; k++) {
      const start = rng.int(0, SR);
      const naive = x.slice(start, start + LOOP);
      expect(seamMetrics(naive, SR).clickDb).toBeGreaterThanOrEqual(20);
    }
  });

  it("the loop keeps the exact length when lengthTolerance is 0", () => {
    const x = pinkNoise(4 * SR, 9);
    const r = makeLoop(x, { ...OPTS, lengthTolerance: 0 });
    expect(r.audio.length).toBe(LOOP);
    expect(r.clickDb).toBeLessThanOrEqual(6);
    expect(r.dipDb).toBeGreaterThanOrEqual(-3);
  });

  it("filtered loops stay seamless with filterLoop (a plain filter pass would click)", () => {
    const chordLoop = makeLoop(chord(4).subarray(0, loopSegmentLength(LOOP, SR)), OPTS).audio;
    const noiseLoop = makeLoop(pinkNoise(4 * SR, 3).subarray(0, loopSegmentLength(LOOP, SR)), OPTS).audio;
    const variants: Array<[string, Float32Array]> = [
      ["warm", filterLoop(chordLoop, lowpass(3000, SR, 4))],
      ["dark", filterLoop(chordLoop, lowpass(1500, SR, 4), { zeroPhase: true })],
      ["airy", filterLoop(noiseLoop, highpass(6000, SR, 4))],
      ["hiss band", filterLoop(noiseLoop, bandpass(5000, 14000, SR, 4))],
    ];
    for (const [, y] of variants) {
      const m = seamMetrics(y, SR);
      expect(m.clickDb).toBeLessThanOrEqual(6);
      expect(m.dipDb).toBeGreaterThanOrEqual(-3);
    }
    // A causal filter started from rest at the loop start rings in: the seam stands out.
    const plain = filter(chordLoop, highpass(1000, SR, 4));
    expect(seamMetrics(plain, SR).clickDb).toBeGreaterThan(6);
  });

  it("rejects a segment no longer than the loop, bad lengths and NaN", () => {
    expect(() => makeLoop(new Float32Array(SR), { sampleRate: SR, lengthSamples: SR })).toThrow(
      ParameterError,
    );
    expect(() => makeLoop(new Float32Array(SR), { sampleRate: SR, lengthSamples: 0 })).toThrow(/0/);
    expect(() => makeLoop(new Float32Array(SR), { sampleRate: SR, lengthSamples: Number.NaN })).toThrow(
      /NaN/,
    );
  });

  it("silence makes a silent loop with finite scores", () => {
    const r = makeLoop(new Float32Array(4 * SR), OPTS);
    expect(r.audio.every((v) => v === 0)).toBe(true);
    expect(r.clickDb).toBe(0);
    expect(r.dipDb).toBe(0);
  });
});

describe("makeLoop with no freedom of start or length", () => {
  it("keeps the segment's start and length and reports the two stretches' correlation (1e-9)", () => {
    // The channels of a stereo loop are cut this way, from the loop found on their mix.
    const x = pinkNoise(LOOP + 4410, 8, 0.3);
    const c = 4410;
    const loop = makeLoop(x, {
      sampleRate: SR,
      lengthSamples: LOOP,
      crossfadeMs: 100,
      searchMs: 0,
      startSearchMs: 0,
      lengthTolerance: 0,
    });
    expect([loop.loopStart, loop.loopEnd, loop.crossfadeSamples]).toEqual([0, LOOP, c]);
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i < c; i++) {
      xy += x[i] * x[LOOP + i];
      xx += x[i] * x[i];
      yy += x[LOOP + i] * x[LOOP + i];
    }
    expect(Math.abs(loop.correlation - xy / Math.sqrt(xx * yy))).toBeLessThan(1e-9);
    // Material that continues itself past the loop end correlates fully.
    const tone = sine(441, (LOOP + c) / SR, 0.5);
    const t = makeLoop(tone, { ...OPTS, searchMs: 0, startSearchMs: 0, lengthTolerance: 0 });
    expect(t.correlation).toBeGreaterThan(0.999);
  });
});
