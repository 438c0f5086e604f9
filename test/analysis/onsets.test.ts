import { describe, expect, it } from "vitest";
import { analyzeFrames } from "../../src/analysis/frames.js";
import { detectOnsets } from "../../src/analysis/onsets.js";
import { analyzeSamples } from "../../src/analysis/track.js";
import { ParameterError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";
import { addClicks, chord, harmonicTone, midiHz, SR, whiteNoise } from "./signals.js";

const TOL = 0.015;

/** Recall and precision of detections against known times, each truth matched at most once. */
function score(found: ArrayLike<number>, truth: readonly number[]): { recall: number; precision: number } {
  const used = new Set<number>();
  let hits = 0;
  for (const t of truth) {
    for (let k = 0; k < found.length; k++) {
      if (!used.has(k) && Math.abs(found[k] - t) <= TOL) {
        used.add(k);
        hits++;
        break;
      }
    }
  }
  return { recall: hits / truth.length, precision: found.length ? used.size / found.length : 1 };
}

function clickTimes(seed: number, dur: number): number[] {
  const rng = new Rng(seed);
  const times: number[] = [];
  for (let t = 0.5; t < dur - 0.5; t += rng.uniform(0.12, 0.6)) times.push(Math.round(t * SR) / SR);
  return times;
}

describe("onset detection", () => {
  // The track's own start (sound from sample 0) is an onset too; the comparison window leaves
  // the first and last 0.25 s out so only the clicks are judged.
  const inner = (times: ArrayLike<number>, dur: number): number[] =>
    Array.from(times).filter((t) => t > 0.25 && t < dur - 0.25);

  it("finds clicks inside a sustained tone: recall and precision >= 0.95 within ±15 ms", () => {
    const dur = 20;
    const times = clickTimes(5, dur);
    const x = harmonicTone(220, dur, [0.3, 0.15, 0.1, 0.05]);
    const floor = whiteNoise(x.length, 0.001, 9);
    for (let i = 0; i < x.length; i++) x[i] += floor[i];
    addClicks(x, times, 0.3);
    const found = inner(analyzeSamples(x, SR).onsetTimes, dur);
    const s = score(found, times);
    expect(times.length).toBeGreaterThan(40);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
  });

  it("finds soft clicks (-26 dB peak) under a louder chord at the same rates", () => {
    const dur = 15;
    const times = clickTimes(8, dur);
    const x = chord([57, 60, 64].map(midiHz), dur, 0.15);
    addClicks(x, times, 0.05, SR, 4);
    const s = score(inner(analyzeSamples(x, SR).onsetTimes, dur), times);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
  });

  it("reports a steady chord with almost no onsets (<= 1 per 10 s), also with a noise floor", () => {
    const dur = 30;
    const x = chord([57, 60, 64, 69].map(midiHz), dur, 0.12);
    const clean = analyzeSamples(x, SR).onsetTimes.length;
    const floor = whiteNoise(x.length, 0.003, 2);
    for (let i = 0; i < x.length; i++) x[i] += floor[i];
    const noisy = analyzeSamples(x, SR).onsetTimes.length;
    expect(clean).toBeLessThanOrEqual(dur / 10);
    expect(noisy).toBeLessThanOrEqual(dur / 10);
  });

  it("reports stationary white noise with almost no onsets (<= 1 per 10 s)", () => {
    const dur = 20;
    expect(analyzeSamples(whiteNoise(dur * SR, 0.3), SR).onsetTimes.length).toBeLessThanOrEqual(dur / 10);
  });

  it("stays aligned within ±15 ms with other framings (1024/256, 4096/512)", () => {
    const dur = 8;
    const times = clickTimes(13, dur);
    const x = harmonicTone(330, dur, [0.3, 0.1]);
    addClicks(x, times, 0.3);
    for (const framing of [
      { fftSize: 1024, hopSize: 256 },
      { fftSize: 4096, hopSize: 512 },
    ]) {
      const s = score(inner(analyzeSamples(x, SR, framing).onsetTimes, dur), times);
      expect(s.recall, JSON.stringify(framing)).toBeGreaterThanOrEqual(0.95);
      expect(s.precision, JSON.stringify(framing)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("keeps the minimum spacing and returns frame-centre times", () => {
    const env = new Float32Array(200);
    env[50] = 10;
    env[51] = 9;
    env[53] = 12; // within 30 ms of frame 50: only the larger survives as the local max
    env[120] = 8;
    const o = detectOnsets(env, SR, 512);
    expect(Array.from(o.frames)).toEqual([53, 120]);
    expect(o.times[0]).toBeCloseTo((53 * 512) / SR, 12);
  });

  it("rejects bad options", () => {
    const env = new Float32Array(10);
    expect(() => detectOnsets(env, SR, 512, { minSpacingSec: -1 })).toThrow(ParameterError);
    expect(() => detectOnsets(env, 0, 512)).toThrow(/sampleRate/);
    expect(() => detectOnsets(env, SR, 512, { deltaDb: Number.NaN })).toThrow(/deltaDb/);
  });

  it("envelope is 0 in silence", () => {
    const f = analyzeFrames(new Float32Array(SR), { sampleRate: SR });
    expect(Math.max(...f.onsetStrength)).toBe(0);
  });
});
