import { describe, expect, it } from "vitest";
import { analyzeSamples, analyzeStream, SILENCE_DB } from "../../src/analysis/track.js";
import { ParameterError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";
import { addClicks, chord, harmonicTone, midiHz, SR, whiteNoise } from "./signals.js";

async function* chunksOf(
  channels: Float32Array[],
  seed: number,
): AsyncGenerator<{ channels: Float32Array[] }> {
  const rng = new Rng(seed);
  const n = channels[0].length;
  let pos = 0;
  while (pos < n) {
    const len = Math.min(n - pos, rng.int(1, 9000));
    yield { channels: channels.map((c) => c.slice(pos, pos + len)) };
    pos += len;
  }
}

describe("track analysis", () => {
  const dur = 4;
  const x = chord([57, 60, 64].map(midiHz), dur, 0.15);
  const noise = whiteNoise(x.length, 0.01);
  for (let i = 0; i < x.length; i++) x[i] += noise[i];
  addClicks(x, [1, 2.5], 0.3);

  it("streams random chunk sizes to the same features and onsets as the whole array", async () => {
    const whole = analyzeSamples(x, SR);
    for (const seed of [1, 2]) {
      const streamed = await analyzeStream(chunksOf([x], seed), { sampleRate: SR });
      expect(streamed.frameCount).toBe(whole.frameCount);
      expect(streamed.features.rmsDb).toEqual(whole.features.rmsDb);
      expect(streamed.features.onsetStrength).toEqual(whole.features.onsetStrength);
      expect(streamed.features.chroma).toEqual(whole.features.chroma);
      expect(streamed.features.flatness).toEqual(whole.features.flatness);
      expect(streamed.features.centroidHz).toEqual(whole.features.centroidHz);
      expect(streamed.onsetTimes).toEqual(whole.onsetTimes);
      expect(streamed.chroma).toEqual(whole.chroma);
    }
  });

  it("downmixes several channels by averaging", async () => {
    const left = harmonicTone(440, 1, [0.4]);
    const right = whiteNoise(left.length, 0.2);
    const mono = new Float32Array(left.length);
    for (let i = 0; i < mono.length; i++) mono[i] = (left[i] + right[i]) / 2;
    const stereo = await analyzeStream(chunksOf([left, right], 3), { sampleRate: SR });
    const ref = analyzeSamples(mono, SR);
    for (let i = 0; i < ref.frameCount; i++) {
      expect(Math.abs(stereo.features.rmsDb[i] - ref.features.rmsDb[i])).toBeLessThan(1e-4);
    }
  });

  it("holds duration, onsets, key, mean centroid and window stats", () => {
    const t = analyzeSamples(x, SR, { onProgress: undefined });
    expect(t.durationSec).toBeCloseTo(dur, 9);
    expect(t.frameCount).toBe(Math.ceil(x.length / 512));
    const inner = Array.from(t.onsetTimes).filter((v) => v > 0.25);
    expect(inner.length).toBe(2);
    expect(Math.abs(inner[0] - 1)).toBeLessThan(0.015);
    expect(t.key()?.name).toBe("A minor");
    // The track's mean centroid is the frames' centroids weighted by their RMS amplitude.
    let num = 0;
    let den = 0;
    for (let i = 0; i < t.frameCount; i++) {
      const amp = 10 ** (t.features.rmsDb[i] / 20);
      num += amp * t.features.centroidHz[i];
      den += amp;
    }
    expect(Math.abs(t.meanCentroidHz - num / den)).toBeLessThan(1e-6 * (num / den));
    // The -40 dBFS white noise floor lifts the magnitude-weighted centroid well above the chord's partials.
    expect(t.brightness()).toBe("mid");
    const w = t.window(0.5, 2.5);
    expect(w.onsetCount).toBe(1);
    expect(w.onsetRate).toBeCloseTo(0.5, 12);
    expect(t.frameRange(0.5, 2.5)).toEqual({ start: w.startFrame, end: w.endFrame });
    expect(t.frameTime(w.startFrame)).toBeGreaterThanOrEqual(0.5);
    expect(t.frameTime(w.startFrame - 1)).toBeLessThan(0.5);
    expect(t.slidingWindows(2, 0.5).length).toBe(5);
    expect(t.byteLength).toBeGreaterThan(t.frameCount * 80);
  });

  it("reports silence as silent, with no key and finite numbers", () => {
    const t = analyzeSamples(new Float32Array(SR), SR);
    expect(t.key()).toBeNull();
    expect(t.brightness()).toBe("silent");
    expect(t.overall.powerDb).toBeLessThan(SILENCE_DB);
    for (const v of Object.values(t.overall)) expect(Number.isFinite(v)).toBe(true);
    expect(t.onsetTimes.length).toBe(0);
  });

  it("rejects empty input and mismatched channels", async () => {
    expect(() => analyzeSamples(new Float32Array(0), SR)).toThrow(/empty/);
    await expect(analyzeStream(chunksOf([new Float32Array(0)], 1), { sampleRate: SR })).rejects.toThrow(
      ParameterError,
    );
    async function* bad(): AsyncGenerator<{ channels: Float32Array[] }> {
      yield { channels: [new Float32Array(10), new Float32Array(9)] };
    }
    await expect(analyzeStream(bad(), { sampleRate: SR })).rejects.toThrow(/10 vs 9/);
  });
});
