import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FrameFeatures } from "../../src/analysis/features.js";
import { WindowStatsIndex } from "../../src/analysis/windows.js";
import { ParameterError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";

const HOP = 512;
const RATE = 44100;

function randomFeatures(n: number, seed: number): { f: FrameFeatures; onsets: Int32Array; hits: Int32Array } {
  const rng = new Rng(seed);
  const arr = (gen: () => number): Float32Array => Float32Array.from({ length: n }, gen);
  const f: FrameFeatures = {
    sampleRate: RATE,
    fftSize: 2048,
    hopSize: HOP,
    sampleCount: n * HOP,
    frameCount: n,
    rmsDb: arr(() => rng.uniform(-90, 0)),
    crest: arr(() => rng.uniform(1, 10)),
    dcOffset: arr(() => rng.uniform(-0.05, 0.05)),
    clipCount: arr(() => (rng.next() < 0.05 ? rng.int(1, 20) : 0)),
    flatness: arr(() => rng.next()),
    centroidHz: arr(() => rng.uniform(0, 10000)),
    onsetStrength: arr(() => rng.uniform(0, 5)),
    chroma: new Float32Array(12 * n),
    transientDb: new Float32Array(n),
  };
  const onsets: number[] = [];
  const hits: number[] = [];
  for (let i = 0; i < n; i++) if (rng.next() < 0.04) onsets.push(i);
  for (let i = 0; i < n; i++) if (rng.next() < 0.01) hits.push(i);
  return { f, onsets: Int32Array.from(onsets), hits: Int32Array.from(hits) };
}

describe("WindowStatsIndex precision", () => {
  it("keeps a quiet window's level exact after loud frames (no prefix-sum cancellation)", () => {
    const { f, onsets } = randomFeatures(3000, 5);
    f.rmsDb.fill(0);
    f.rmsDb[2999] = -90;
    const s = new WindowStatsIndex(f, onsets).frames(2999, 3000);
    expect(Math.abs(s.powerDb - -90)).toBeLessThan(1e-6);
    expect(s.meanCentroidHz).toBeCloseTo(f.centroidHz[2999], 3);
  });
});

describe("WindowStatsIndex", () => {
  const { f, onsets, hits } = randomFeatures(3000, 21);
  const LEAD = 13;
  const index = new WindowStatsIndex(f, onsets, hits, LEAD);

  it("matches brute-force recomputation over random frame ranges", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2999 }), fc.integer({ min: 1, max: 600 }), (start, len) => {
        const end = Math.min(3000, start + len);
        const s = index.frames(start, end);
        const n = end - start;
        let db = 0;
        let db2 = 0;
        let pow = 0;
        let amp = 0;
        let ampC = 0;
        let flat = 0;
        let clip = 0;
        let dc = 0;
        let maxDc = 0;
        let strength = 0;
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let i = start; i < end; i++) {
          lo = Math.min(lo, f.rmsDb[i]);
          hi = Math.max(hi, f.rmsDb[i]);
          db += f.rmsDb[i];
          db2 += f.rmsDb[i] ** 2;
          pow += 10 ** (f.rmsDb[i] / 10);
          amp += 10 ** (f.rmsDb[i] / 20);
          ampC += 10 ** (f.rmsDb[i] / 20) * f.centroidHz[i];
          flat += f.flatness[i];
          clip += f.clipCount[i];
          dc += f.dcOffset[i];
          maxDc = Math.max(maxDc, Math.abs(f.dcOffset[i]));
          strength += f.onsetStrength[i];
        }
        const count = Array.from(onsets).filter((o) => o >= start && o < end).length;
        const hitCount = Array.from(hits).filter((h) => h >= start - LEAD && h < end).length;
        const mean = db / n;
        // Least-squares line through (i, rmsDb[i]), its change over n frames.
        let sxy = 0;
        let sxx = 0;
        for (let i = start; i < end; i++) {
          sxy += (i - (start + end - 1) / 2) * (f.rmsDb[i] - mean);
          sxx += (i - (start + end - 1) / 2) ** 2;
        }
        const trend = sxx > 0 ? (sxy / sxx) * n : 0;
        expect(s.frames).toBe(n);
        expect(s.meanRmsDb).toBeCloseTo(mean, 6);
        expect(s.rmsDbVariance).toBeCloseTo(Math.max(0, db2 / n - mean * mean), 4);
        expect(s.powerDb).toBeCloseTo(10 * Math.log10(pow / n), 6);
        expect(s.meanCentroidHz).toBeCloseTo(ampC / amp, 3);
        expect(s.meanFlatness).toBeCloseTo(flat / n, 8);
        expect(s.meanOnsetStrength).toBeCloseTo(strength / n, 6);
        expect(s.clipCount).toBe(clip);
        expect(s.meanDc).toBeCloseTo(dc / n, 9);
        expect(s.maxAbsDc).toBe(maxDc);
        expect(s.onsetCount).toBe(count);
        expect(s.hitCount).toBe(hitCount);
        expect(s.levelRangeDb).toBeCloseTo(hi - lo, 5);
        expect(s.levelTrendDb).toBeCloseTo(trend, 4);
        expect(s.onsetRate).toBeCloseTo(count / ((n * HOP) / RATE), 9);
      }),
      { numRuns: 150 },
    );
  });

  it("variance of a constant level is 0 and of alternating levels is exact", () => {
    const { f: g } = randomFeatures(100, 3);
    g.rmsDb.fill(-20);
    const idx = new WindowStatsIndex(g, new Int32Array(0));
    expect(idx.frames(0, 100).rmsDbVariance).toBeCloseTo(0, 9);
    for (let i = 0; i < 100; i++) g.rmsDb[i] = i % 2 ? -10 : -30;
    expect(new WindowStatsIndex(g, new Int32Array(0)).frames(0, 100).rmsDbStd).toBeCloseTo(10, 6);
  });

  it("maps time windows to frame-centre ranges and takes rates over the requested duration", () => {
    const w = index.window(1, 3);
    expect(w.startFrame).toBe(Math.ceil(RATE / HOP));
    expect(w.endFrame).toBe(Math.ceil((3 * RATE) / HOP));
    expect(w.durationSec).toBe(2);
    expect(w.onsetRate).toBeCloseTo(w.onsetCount / 2, 12);
  });

  it("slides 2 s windows every 0.5 s over the whole track, all inside it", () => {
    const total = (3000 * HOP) / RATE;
    const ws = index.sliding(2, 0.5);
    expect(ws.length).toBe(Math.floor((total - 2) / 0.5) + 1);
    expect(ws[1].startSec).toBe(0.5);
    for (const w of ws) {
      expect(w.endSec).toBeLessThanOrEqual(total + 1e-9);
      expect(Math.abs(w.frames - (2 * RATE) / HOP)).toBeLessThanOrEqual(1);
    }
  });

  it("rejects empty or out-of-range windows and unsorted onsets", () => {
    expect(() => index.frames(10, 10)).toThrow(ParameterError);
    expect(() => index.frames(0, 3001)).toThrow(/3001/);
    expect(() => index.sliding(0, 0.5)).toThrow(ParameterError);
    expect(() => new WindowStatsIndex(f, Int32Array.from([5, 3]))).toThrow(/ascending/);
    expect(() => new WindowStatsIndex(f, Int32Array.from([3000]))).toThrow(/outside/);
    expect(() => new WindowStatsIndex(f, onsets, Int32Array.from([7, 2]))).toThrow(/hit frames/);
  });
});
