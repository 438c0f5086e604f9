import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { toMono } from "../../src/core/audio.js";
import { crestFactorDb, peakDb, rmsDb } from "../../src/dsp/level.js";
import { Rng } from "../../src/dsp/rng.js";
import { seamMetrics } from "../../src/dsp/seam.js";
import { gradeTexture, measureTexture, placeLoopSeam } from "../../src/pipeline/measure.js";
import { meanCentroidHz } from "../../src/textures/common.js";

const SR = 44100;

/** A circular noise loop whose file boundary sits in a 60 ms near-silent gap: the seam dips. */
function gappyLoop(): Float32Array {
  const rng = new Rng(4);
  const x = new Float32Array(SR);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-0.3, 0.3);
  for (let i = 0; i < 1300; i++) {
    x[i] *= 0.05;
    x[x.length - 1 - i] *= 0.05;
  }
  return x;
}

describe("placeLoopSeam", () => {
  it("moves the boundary of a circular loop off a trough, keeping the same circle", () => {
    const x = gappyLoop();
    const before = seamMetrics(x, SR);
    expect(before.dipDb).toBeLessThan(-10);
    const { audio, rotation } = placeLoopSeam({ sampleRate: SR, channels: [x] });
    const y = audio.channels[0];
    const after = seamMetrics(y, SR);
    expect(after.dipDb).toBeGreaterThanOrEqual(-3);
    expect(after.clickDb).toBeLessThanOrEqual(6);
    expect(rotation).toBeGreaterThan(0);
    for (const i of [0, 1, 500, 20000, SR - 1]) expect(y[i]).toBe(x[(i + rotation) % SR]);
  });
});

describe("gradeTexture", () => {
  const th = DEFAULT_CONFIG.curation.thresholds;
  const m = measureTexture({ sampleRate: SR, channels: [gappyLoop()] }, true, DEFAULT_CONFIG);
  const costs = [{ what: "seam dip -14 dB", points: 42 }];
  it("grades by the score: A from 95, B from 70, C below, with the costs as the reason", () => {
    expect(gradeTexture(m, th, { score: 100, costs: [] })).toEqual({ grade: "A", reason: "" });
    expect(gradeTexture(m, th, { score: 95, costs: [{ what: "level range 4 dB", points: 5 }] })).toEqual({
      grade: "A",
      reason: "level range 4 dB -5",
    });
    expect(gradeTexture(m, th, { score: 94, costs }).grade).toBe("B");
    expect(gradeTexture(m, th, { score: 70, costs }).grade).toBe("B");
    expect(gradeTexture(m, th, { score: 58, costs })).toEqual({ grade: "C", reason: "seam dip -14 dB -42" });
  });
  it("grades silence F whatever the score", () => {
    const silent = measureTexture(
      { sampleRate: SR, channels: [new Float32Array(SR)] },
      false,
      DEFAULT_CONFIG,
    );
    expect(silent.brightness).toBe("silent");
    expect(gradeTexture(silent, th, { score: 100, costs: [] }).grade).toBe("F");
  });
  it("grades a clipped texture F", () => {
    const x = gappyLoop().map((v) => v * 4);
    const clipped = measureTexture({ sampleRate: SR, channels: [x] }, false, DEFAULT_CONFIG);
    expect(gradeTexture(clipped, th, { score: 100, costs: [] })).toEqual({ grade: "F", reason: "clipped" });
  });
});

describe("measureTexture", () => {
  const rng = new Rng(9);
  const left = new Float32Array(SR).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / SR));
  const right = new Float32Array(SR).map(() => rng.uniform(-0.2, 0.2));
  const stereo = { sampleRate: SR, channels: [left, right] };

  it("agrees with the level functions on the mono downmix (one fused pass), peak over the channels", () => {
    const m = measureTexture(stereo, false, DEFAULT_CONFIG);
    const mono = toMono(stereo);
    expect(m.peakDbfs).toBeCloseTo(Math.max(peakDb(left), peakDb(right)), 9);
    expect(m.rmsDb).toBeCloseTo(rmsDb(mono), 9);
    expect(m.crestDb).toBeCloseTo(crestFactorDb(mono), 9);
    expect(m.centroidHz).toBeCloseTo(meanCentroidHz(mono, SR), 6);
    expect(m.hasNaN).toBe(false);
  });

  it("uses measures the generator already took instead of recomputing them", () => {
    const known = { centroidHz: 1234, seam: { clickDb: 1.5, dipDb: -0.5 } };
    const m = measureTexture({ sampleRate: SR, channels: [left] }, true, DEFAULT_CONFIG, known);
    expect(m.centroidHz).toBe(1234);
    expect([m.seamDb, m.dipDb]).toEqual([1.5, -0.5]);
  });

  it("flags non-finite samples (graded F) instead of throwing", () => {
    const bad = left.slice();
    bad[100] = Number.NaN;
    const m = measureTexture({ sampleRate: SR, channels: [bad] }, false, DEFAULT_CONFIG);
    expect(m.hasNaN).toBe(true);
    expect(gradeTexture(m, DEFAULT_CONFIG.curation.thresholds, { score: 100, costs: [] })).toEqual({
      grade: "F",
      reason: "non-finite samples",
    });
  });
});
