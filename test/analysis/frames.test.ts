import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLIP_LEVEL, RMS_FLOOR_DB } from "../../src/analysis/features.js";
import { analyzeFrames, FrameAnalyzer } from "../../src/analysis/frames.js";
import { frameCountFor, sampleRangeToFrames } from "../../src/analysis/framing.js";
import { analysisKernel } from "../../src/analysis/kernel.js";
import { ParameterError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";
import { harmonicTone, midiHz, SR, whiteNoise } from "./signals.js";

const SMALL = { fftSize: 64, hopSize: 16 };

describe("framing arithmetic (property)", () => {
  it("an n-sample signal gives ceil(n / hop) frames: exactly those centred inside the signal", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.constantFrom(8, 16, 32), (n, hop) => {
        const f = analyzeFrames(new Float32Array(n).fill(0.1), {
          sampleRate: 1000,
          fftSize: 64,
          hopSize: hop,
        });
        const count = frameCountFor(n, hop);
        expect(f.frameCount).toBe(count);
        expect(count).toBe(Math.ceil(n / hop));
        expect(sampleRangeToFrames(0, n, hop, count)).toEqual({ start: 0, end: count });
        // Last centre inside, the next one outside.
        expect((count - 1) * hop).toBeLessThan(n);
        expect(count * hop).toBeGreaterThanOrEqual(n);
        for (const a of [f.rmsDb, f.flatness, f.onsetStrength, f.centroidHz, f.clipCount]) {
          expect(a.length).toBe(count);
        }
        expect(f.chroma.length).toBe(12 * count);
      }),
      { numRuns: 60 },
    );
  });

  it("a sample range maps to exactly the frames whose centres lie in it; adjacent ranges tile", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 600 }),
        fc.constantFrom(128, 256, 512),
        (s0, len1, len2, frames, hop) => {
          const s1 = s0 + len1;
          const s2 = s1 + len2;
          const a = sampleRangeToFrames(s0, s1, hop, frames);
          const b = sampleRangeToFrames(s1, s2, hop, frames);
          expect(a.end).toBe(b.start);
          let wrong = 0;
          for (let i = 0; i < frames; i++) {
            const inside = i * hop >= s0 && i * hop < s1;
            if (inside !== (i >= a.start && i < a.end)) wrong++;
          }
          expect(wrong).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("FrameAnalyzer", () => {
  it("starts from a clean state on a kernel instance a finished analyser handed back", () => {
    const x = whiteNoise(SR / 2, 0.2);
    harmonicTone(220, x.length / SR, [0.3], SR, 2, x);
    const first = analyzeFrames(x, { sampleRate: SR });
    const made = analysisKernel.instancesMade;
    // Another analysis in between leaves other content (and other flux state) in the instance.
    analyzeFrames(whiteNoise(SR, 0.9), { sampleRate: SR, fftSize: 4096, hopSize: 1024 });
    const again = analyzeFrames(x, { sampleRate: SR });
    // Both ran on the instance the first analysis released (so its state was there to clear).
    expect(analysisKernel.instancesMade).toBe(made);
    expect(again.onsetStrength).toEqual(first.onsetStrength);
    expect(again.chroma).toEqual(first.chroma);
    expect(again.flatness).toEqual(first.flatness);
  });

  it("gives bit-identical features for random chunk sizes and for the whole array", () => {
    const rng = new Rng(11);
    const x = whiteNoise(SR / 2 + 123, 0.4);
    harmonicTone(330, x.length / SR, [0.3, 0.1], SR, 2, x);
    const whole = analyzeFrames(x, { sampleRate: SR });
    for (let trial = 0; trial < 3; trial++) {
      const a = new FrameAnalyzer({ sampleRate: SR });
      let pos = 0;
      while (pos < x.length) {
        const n = Math.min(x.length - pos, rng.int(0, 3000));
        a.push(x.subarray(pos, pos + n));
        pos += n;
      }
      const parts = a.finish();
      expect(parts.frameCount).toBe(whole.frameCount);
      for (const key of [
        "rmsDb",
        "crest",
        "dcOffset",
        "clipCount",
        "flatness",
        "centroidHz",
        "onsetStrength",
        "chroma",
      ] as const) {
        expect(parts[key], key).toEqual(whole[key]);
      }
    }
  });

  it("measures a sine's RMS without its DC offset (±0.01 dB), its crest as it came (±0.5 %) and the offset", () => {
    const n = SR;
    const x = new Float32Array(n);
    // 20 whole periods per 2048-sample frame, so every frame's mean square is the ideal one.
    const hz = (20 * SR) / 2048;
    for (let i = 0; i < n; i++) x[i] = 0.1 + 0.5 * Math.sin((2 * Math.PI * hz * i) / SR);
    const f = analyzeFrames(x, { sampleRate: SR });
    // The line removal leaves the 430 Hz sine (RMS 0.5 / sqrt 2; it takes 0.007 dB of it) and
    // removes the 0.1; the crest (peak over RMS) is of the samples as they came.
    const ms = 0.5 * 0.5 * 0.5;
    const raw = ms + 0.1 * 0.1;
    const mid = 40;
    expect(Math.abs(f.rmsDb[mid] - 10 * Math.log10(ms))).toBeLessThanOrEqual(0.01);
    expect(f.dcOffset[mid]).toBeCloseTo(0.1, 3);
    expect(f.crest[mid] / (0.6 / Math.sqrt(raw))).toBeGreaterThan(0.995);
    expect(f.crest[mid] / (0.6 / Math.sqrt(raw))).toBeLessThan(1.005);
    // Edge frames count only real samples: no dip at the start.
    expect(Math.abs(f.rmsDb[0] - f.rmsDb[mid])).toBeLessThan(0.3);
  });

  it("measures a decaying tone's level under a +0.07 DC offset and 5 Hz rumble as without them (±0.5 dB down to -45 dB)", () => {
    const n = 3 * SR;
    const tone = new Float32Array(n);
    const dirty = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // 40 dB of exponential decay over 3 s, as a release tail.
      const v = 0.3 * 10 ** ((-(40 / 3) * (i / SR)) / 20) * Math.sin((2 * Math.PI * 330 * i) / SR);
      tone[i] = v;
      dirty[i] = v + 0.07 + 0.02 * Math.sin((2 * Math.PI * 5 * i) / SR);
    }
    const clean = analyzeFrames(tone, { sampleRate: SR });
    const f = analyzeFrames(dirty, { sampleRate: SR });
    let worst = 0;
    let compared = 0;
    for (let i = 2; i < f.frameCount - 2; i++) {
      if (clean.rmsDb[i] < -45) continue;
      worst = Math.max(worst, Math.abs(f.rmsDb[i] - clean.rmsDb[i]));
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
    expect(worst).toBeLessThan(0.5);
    // Without the high-pass the offset alone would hold the tail at 20 log10(0.07) = -23 dB.
    expect(f.rmsDb[f.frameCount - 3]).toBeLessThan(-40);
    expect(f.dcOffset[f.frameCount >> 1]).toBeCloseTo(0.07, 2);
  });

  it("puts a sine's centroid on its frequency (±1 %) and noise's near the middle of the band", () => {
    const tone = analyzeFrames(harmonicTone(1000, 0.5, [0.5]), { sampleRate: SR });
    expect(tone.centroidHz[10]).toBeGreaterThan(990);
    expect(tone.centroidHz[10]).toBeLessThan(1010);
    const noise = analyzeFrames(whiteNoise(SR / 2, 0.5), { sampleRate: SR });
    // White noise: flat spectrum over 0..11025 Hz -> centroid 11025 Hz (±3 %).
    expect(Math.abs(noise.centroidHz[10] - SR / 4) / (SR / 4)).toBeLessThan(0.03);
  });

  it("gives white noise flatness near e^-gamma = 0.56 and a tone flatness below 0.01", () => {
    const noise = analyzeFrames(whiteNoise(SR, 0.5), { sampleRate: SR });
    let m = 0;
    for (let i = 5; i < 80; i++) m += noise.flatness[i];
    m /= 75;
    // The periodogram of white noise is exponentially distributed: geometric/arithmetic mean = e^-0.5772.
    expect(m).toBeGreaterThan(0.53);
    expect(m).toBeLessThan(0.59);
    const tone = analyzeFrames(harmonicTone(220, 0.5), { sampleRate: SR });
    expect(tone.flatness[10]).toBeLessThan(0.01);
  });

  it("counts clipped samples once each, in the frame that owns them", () => {
    const x = new Float32Array(SR / 4);
    const clipped = [100, 5000, 5001, 9000, 10239];
    for (const i of clipped) x[i] = i % 2 ? -1 : 1;
    x[7000] = CLIP_LEVEL - 0.001;
    const f = analyzeFrames(x, { sampleRate: SR });
    let total = 0;
    for (const c of f.clipCount) total += c;
    expect(total).toBe(clipped.length);
    expect(f.clipCount[Math.floor(5000 / 512)]).toBe(2);
  });

  it("puts a tone's chroma energy on its pitch class (>= 80 % of the total)", () => {
    for (const midi of [57, 63, 70]) {
      const f = analyzeFrames(harmonicTone(midiHz(midi), 0.5, [0.5, 0.25, 0.12, 0.06]), { sampleRate: SR });
      const c = f.chroma.subarray(12 * 10, 12 * 11);
      const sum = c.reduce((s, v) => s + v, 0);
      // Partials 1, 2, 4 share the pitch class; partial 3 is the fifth.
      expect(c[midi % 12] / sum, `midi ${midi}`).toBeGreaterThan(0.8);
    }
  });

  it("returns finite, floored values for silence", () => {
    const f = analyzeFrames(new Float32Array(5000), { sampleRate: SR });
    for (let i = 0; i < f.frameCount; i++) {
      expect(f.rmsDb[i]).toBe(RMS_FLOOR_DB);
      expect(f.centroidHz[i]).toBe(0);
      expect(f.crest[i]).toBe(0);
      expect(f.onsetStrength[i]).toBe(0);
      expect(Number.isFinite(f.flatness[i])).toBe(true);
    }
  });

  it("works with other framings", () => {
    const x = harmonicTone(1000, 0.2, [0.5]);
    const f = analyzeFrames(x, { sampleRate: SR, fftSize: 4096, hopSize: 1024 });
    expect(f.frameCount).toBe(Math.ceil(x.length / 1024));
    expect(Math.abs(f.centroidHz[4] - 1000)).toBeLessThan(10);
    const g = analyzeFrames(x, { sampleRate: SR, ...SMALL });
    expect(g.frameCount).toBe(Math.ceil(x.length / 16));
  });

  it("rejects bad parameters and non-finite input with the bad value in the message", () => {
    expect(() => new FrameAnalyzer({ sampleRate: 0 })).toThrow(/sampleRate.*0/);
    expect(() => new FrameAnalyzer({ sampleRate: SR, fftSize: 1000 })).toThrow(ParameterError);
    expect(() => new FrameAnalyzer({ sampleRate: SR, hopSize: 300 })).toThrow(/300/);
    const a = new FrameAnalyzer({ sampleRate: SR });
    const bad = new Float32Array(4096);
    bad[3000] = Number.NaN;
    expect(() => a.push(bad)).toThrow(/non-finite/);
    const b = new FrameAnalyzer({ sampleRate: SR });
    b.finish();
    expect(() => b.push(new Float32Array(10))).toThrow(ParameterError);
  });
});
