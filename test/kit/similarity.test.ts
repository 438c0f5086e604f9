import { describe, expect, it } from "vitest";
import { audioCorrelation, CorrelationAudio, TimbreSpace } from "../../src/kit/similarity.js";
import { noise, SR, tone } from "./helpers.js";

const corr = (a: Float32Array, b: Float32Array): number =>
  audioCorrelation(new CorrelationAudio([a], SR), new CorrelationAudio([b], SR));

describe("audioCorrelation", () => {
  it("is 1 (±0.01) for the same audio at another gain or inverted, the overlap (±0.03) when offset", () => {
    const x = noise(4, 3);
    expect(
      corr(
        x,
        x.map((v) => v * 0.25),
      ),
    ).toBeGreaterThan(0.99);
    expect(
      corr(
        x,
        x.map((v) => -v),
      ),
    ).toBeGreaterThan(0.99);
    // The second starts 0.5 s into the first: 1.5 of the 2 compared seconds overlap (0.75).
    const late = x.subarray(SR / 2);
    expect(Math.abs(corr(x, late) - 0.75)).toBeLessThan(0.03);
  });

  it("stays low (< 0.1) for unrelated noises and is 0 against silence", () => {
    expect(corr(noise(3, 1), noise(3, 2))).toBeLessThan(0.1);
    expect(corr(noise(3, 1), new Float32Array(3 * SR))).toBe(0);
  });

  it("tells two tones a fifth apart (< 0.5) from a tone and its copy", () => {
    expect(corr(tone(220, 3, 1), tone(330, 3, 2))).toBeLessThan(0.5);
    expect(corr(tone(220, 3, 1), tone(220, 3, 1))).toBeGreaterThan(0.99);
  });
});

describe("TimbreSpace", () => {
  const dims = ["mel00_mean", "mel01_mean", "mel00_std", "flatness_db", "chroma_C", "chroma_Cs"];
  it("puts a vector at distance 0 from itself and unrelated vectors about sqrt(2) apart", () => {
    let seed = 1;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const pool = Array.from({ length: 400 }, () => dims.map(() => rnd() * 10));
    const space = new TimbreSpace(dims, pool);
    const z = pool.map((v) => space.standardise(v));
    expect(space.distance(z[0], z[0])).toBe(0);
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += space.distance(z[2 * i], z[2 * i + 1]) ** 2;
    expect(Math.sqrt(sum / 200)).toBeGreaterThan(1.3);
    expect(Math.sqrt(sum / 200)).toBeLessThan(1.5);
  });

  it("ignores a dimension that never varies", () => {
    const pool = [
      [0, 0, 0, 5, 0, 0],
      [1, 1, 1, 5, 1, 1],
    ];
    const space = new TimbreSpace(dims, pool);
    const a = space.standardise([0, 0, 0, 5, 0, 0]);
    const b = space.standardise([0, 0, 0, 99, 0, 0]);
    expect(space.distance(a, b)).toBe(0);
  });
});
