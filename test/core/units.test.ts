import { describe, expect, it } from "vitest";
import { toMono } from "../../src/core/audio.js";
import { ampToDb, dbToAmp, seconds, toSamples } from "../../src/core/units.js";

describe("units", () => {
  it("converts seconds to samples by rounding", () => {
    expect(toSamples(seconds(1.5), 44100)).toBe(66150);
    expect(toSamples(seconds(1 / 3), 48000)).toBe(16000);
  });
  it("round-trips dB and amplitude", () => {
    expect(ampToDb(0.5)).toBeCloseTo(-6.0206, 4);
    expect(dbToAmp(-6.0206)).toBeCloseTo(0.5, 4);
    expect(ampToDb(0)).toBe(Number.NEGATIVE_INFINITY);
  });
  it("downmixes by averaging", () => {
    const m = toMono({
      sampleRate: 8000,
      channels: [Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(0.5, 0.5)],
    });
    expect(Array.from(m)).toEqual([0.5, 0.5]);
  });
});
