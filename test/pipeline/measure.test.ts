import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { Rng } from "../../src/dsp/rng.js";
import { seamMetrics } from "../../src/dsp/seam.js";
import { gradeTexture, measureTexture, placeLoopSeam } from "../../src/pipeline/measure.js";

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
  it("grades an audible seam B and silence F", () => {
    expect(gradeTexture(m, th)).toEqual({ grade: "B", reason: "loop seam dips" });
    const silent = measureTexture(
      { sampleRate: SR, channels: [new Float32Array(SR)] },
      false,
      DEFAULT_CONFIG,
    );
    expect(silent.brightness).toBe("silent");
    expect(gradeTexture(silent, th).grade).toBe("F");
  });
  it("grades a clipped texture F", () => {
    const x = gappyLoop().map((v) => v * 4);
    const clipped = measureTexture({ sampleRate: SR, channels: [x] }, false, DEFAULT_CONFIG);
    expect(gradeTexture(clipped, th)).toEqual({ grade: "F", reason: "clipped" });
  });
});
