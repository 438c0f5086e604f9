import { describe, expect, it } from "vitest";
import { samples, seconds } from "../../src/core/units.js";
import { renderSustain } from "../../src/kit/sustain.js";
import { noise, SR, seamlessLoop, tone } from "./helpers.js";

const opts = { sampleRate: SR, seconds: seconds(12), releaseSec: seconds(1.5), attackMs: 5 };

/** Energy of the second difference in a 2 ms window centred on `at`. */
function clickEnergy(x: Float32Array, at: number): number {
  const w = Math.round(0.002 * SR);
  let e = 0;
  for (let i = at - (w >> 1); i < at - (w >> 1) + w; i++) {
    const v = x[i] - 2 * x[i - 1] + x[i - 2];
    e += v * v;
  }
  return e;
}

function rmsAround(x: Float32Array, at: number, ms: number): number {
  const w = Math.round((ms / 1000) * SR);
  let e = 0;
  for (let i = at - (w >> 1); i < at - (w >> 1) + w; i++) e += x[i] * x[i];
  return Math.sqrt(e / w);
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
const db = (r: number): number => 10 * Math.log10(r);

/**
 * The worst join, in dB against the sustain's interior: click (second-difference energy, 2 ms) and
 * dip (RMS, 50 ms), each join against the median of windows between the joins.
 */
function joinScores(y: Float32Array, period: number): { clickDb: number; dipDb: number } {
  const release = Math.round(1.5 * SR);
  const joins: number[] = [];
  for (let j = period; j < y.length - release - SR * 0.05; j += period) joins.push(j);
  const interior: number[] = [];
  for (let i = Math.round(0.05 * SR); i < y.length - release - SR * 0.05; i += Math.round(0.013 * SR)) {
    if (joins.every((j) => Math.abs(i - j) > 0.03 * SR)) interior.push(i);
  }
  const clickRef = median(interior.map((i) => clickEnergy(y, i)));
  const dipRef = median(interior.map((i) => rmsAround(y, i, 50)));
  return {
    clickDb: Math.max(...joins.map((j) => db(clickEnergy(y, j) / clickRef))),
    dipDb: Math.min(...joins.map((j) => 2 * db(rmsAround(y, j, 50) / dipRef))),
  };
}

describe("renderSustain", () => {
  // Material as a pad is mined from: a tone with some noise, longer than the loop.
  const material = tone(196, 4, 3);
  const air = noise(4, 9, 0.03);
  for (let i = 0; i < material.length; i++) material[i] += air[i];
  const loop = seamlessLoop(material, 2);

  it("repeats a seamless 2 s loop to 12 s with no click (< 3 dB) and no dip (> -1 dB) at the joins", () => {
    const [y] = renderSustain([loop], { start: samples(0), end: samples(loop.length) }, opts);
    expect(y.length).toBe(12 * SR);
    const s = joinScores(y, loop.length);
    expect(s.clickDb).toBeLessThan(3);
    expect(s.dipDb).toBeGreaterThan(-1);
    // Between the fades it is the loop, sample for sample.
    for (const i of [loop.length + 5, 3 * loop.length + 1234, 4 * loop.length - 1]) {
      expect(y[i]).toBe(loop[i % loop.length]);
    }
  });

  it("shows the click of a loop that is not seamless (a raw cut scores > 10 dB): the measure can fail", () => {
    // 2.0025 s of a 196 Hz tone is 392.49 periods: the cut lands half a period off.
    const raw = tone(196, 4, 3).slice(0, Math.round(2.0025 * SR));
    const [y] = renderSustain([raw], { start: samples(0), end: samples(raw.length) }, opts);
    expect(joinScores(y, raw.length).clickDb).toBeGreaterThan(10);
  });

  it("plays [0, end) once, then [start, end) again and again", () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => i / 1000);
    const [y] = renderSustain(
      [x],
      { start: samples(600), end: samples(900) },
      {
        sampleRate: 1000,
        seconds: seconds(3),
        releaseSec: seconds(0),
        attackMs: 0,
      },
    );
    expect(y.length).toBe(3000);
    expect(y[899]).toBeCloseTo(0.899, 6);
    expect(y[900]).toBeCloseTo(0.6, 6);
    expect(y[1199]).toBeCloseTo(0.899, 6);
    expect(y[1200]).toBeCloseTo(0.6, 6);
  });

  it("starts and ends in silence: 5 ms fade in, 1.5 s Hann release to exactly 0", () => {
    const [y] = renderSustain([loop, loop], { start: samples(0), end: samples(loop.length) }, opts).slice(
      0,
      1,
    );
    expect(Math.abs(y[0])).toBe(0);
    expect(Math.abs(y[y.length - 1])).toBe(0);
    // Half way through the release the gain is 0.5 (±0.01).
    const mid = y.length - Math.round(0.75 * SR);
    expect(Math.abs(y[mid] / loop[mid % loop.length] - 0.5)).toBeLessThan(0.01);
  });

  it("refuses a loop outside the audio and a sustain too short for its fades", () => {
    expect(() => renderSustain([loop], { start: samples(0), end: samples(loop.length + 1) }, opts)).toThrow(
      /loop must/,
    );
    expect(() =>
      renderSustain([loop], { start: samples(0), end: samples(100) }, { ...opts, seconds: seconds(1) }),
    ).toThrow(/cannot hold/);
  });
});
