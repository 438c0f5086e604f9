import { describe, expect, it } from "vitest";
import { analyzeFrames } from "../../src/analysis/frames.js";
import { analyzeSamples } from "../../src/analysis/track.js";
import {
  bandPowersInto,
  pickHits,
  TRANSIENT_BANDS,
  transientBandBins,
  transientStrength,
} from "../../src/analysis/transients.js";
import { realFft } from "../../src/dsp/fft.js";
import { filter, highpass } from "../../src/dsp/filters.js";
import { hannPeriodic } from "../../src/dsp/window.js";
import { chord, harmonicTone, SR, whiteNoise } from "./signals.js";

/** A kick: a sine falling from 135 to 45 Hz, 110 ms decay, peak `gain`. */
function addKick(x: Float32Array, atSec: number, gain: number): void {
  const at = Math.round(atSec * SR);
  let ph = 0;
  for (let i = 0; i < 0.35 * SR && at + i < x.length; i++) {
    const t = i / SR;
    ph += (2 * Math.PI * (45 + 90 * Math.exp(-t * 30))) / SR;
    x[at + i] += gain * Math.exp(-t * 9) * Math.sin(ph);
  }
}

/** A hi-hat: white noise high-passed at 7 kHz with a 15 ms decay. */
function addHat(x: Float32Array, atSec: number, gain: number, seed: number): void {
  const burst = filter(whiteNoise(Math.round(0.1 * SR), 1, seed), highpass(7000, SR, 4));
  const at = Math.round(atSec * SR);
  for (let i = 0; i < burst.length && at + i < x.length; i++)
    x[at + i] += gain * Math.exp(-i / (0.015 * SR)) * burst[i];
}

const A_MINOR = [220, 261.63, 329.63];
const times = (from: number, step: number, to: number): number[] => {
  const out: number[] = [];
  for (let t = from; t < to; t += step) out.push(t);
  return out;
};

describe("transient strength", () => {
  it("equals an independent recomputation (line removed per frame, FFT, float64 band sums) within 0.05 dB", () => {
    const x = chord(A_MINOR, 4, 0.05);
    addKick(x, 1.3, 0.1);
    addHat(x, 2.6, 0.05, 3);
    const noise = whiteNoise(x.length, 0.002, 9);
    for (let i = 0; i < x.length; i++) x[i] += 0.07 + noise[i];
    const f = analyzeFrames(x, { sampleRate: SR });
    // The reference: centred frames; a full frame loses its least-squares line, then the window.
    const n = 2048;
    const hop = 512;
    const fft = realFft(n);
    const w = hannPeriodic(n);
    let wsum = 0;
    for (let i = 0; i < n; i++) wsum += w[i];
    const edges = transientBandBins(SR, n);
    const levels = new Float32Array(f.frameCount * TRANSIENT_BANDS);
    const frame = new Float32Array(n);
    const bands = new Float64Array(TRANSIENT_BANDS);
    for (let t = 0; t < f.frameCount; t++) {
      const s0 = t * hop - n / 2;
      const full = s0 >= 0 && s0 + n <= x.length;
      let a = 0;
      let b = 0;
      if (full) {
        let mx = 0;
        for (let i = 0; i < n; i++) mx += x[s0 + i] / n;
        let sjx = 0;
        let sjj = 0;
        for (let i = 0; i < n; i++) {
          sjx += (i - (n - 1) / 2) * (x[s0 + i] - mx);
          sjj += (i - (n - 1) / 2) ** 2;
        }
        b = sjx / sjj;
        a = mx - (b * (n - 1)) / 2;
      }
      for (let i = 0; i < n; i++) {
        const j = s0 + i;
        frame[i] = j >= 0 && j < x.length ? (x[j] - (full ? a + b * i : 0)) * w[i] : 0;
      }
      const s = fft.forward(frame);
      let total = 0;
      bands.fill(0);
      for (let k = 1; k <= n / 2; k++) {
        const p = s[2 * k] ** 2 + s[2 * k + 1] ** 2;
        total += k < n / 2 ? p : 0;
        for (let b = 0; b < TRANSIENT_BANDS; b++) if (k >= edges[b] && k < edges[b + 1]) bands[b] += p;
      }
      bandPowersInto(total, bands, 0, (2 / wsum) ** 2, levels, t * TRANSIENT_BANDS);
    }
    const ref = transientStrength(levels, SR / hop);
    let worst = 0;
    for (let t = 0; t < f.frameCount; t++) worst = Math.max(worst, Math.abs(ref[t] - f.transientDb[t]));
    expect(worst).toBeLessThan(0.05);
    expect(Math.max(...f.transientDb)).toBeGreaterThan(6);
  });

  it("finds a soft kick every 2.5 s under a sustained chord within ±15 ms, where the onset flux finds at most one", () => {
    const x = chord(A_MINOR, 20, 0.05);
    const kicks = times(1.3, 2.5, 19);
    for (const t of kicks) addKick(x, t, 0.05);
    const a = analyzeSamples(x, SR);
    expect(a.onsetTimes.filter((t) => t > 0.25).length).toBeLessThanOrEqual(1);
    expect(a.hits.times.length).toBe(kicks.length);
    for (const [i, h] of a.hits.times.entries()) expect(Math.abs(h - kicks[i])).toBeLessThanOrEqual(0.015);
  });

  it("finds hi-hats 30 dB under a dark chord in the air band within ±15 ms", () => {
    const x = chord(A_MINOR, 10, 0.05);
    const hats = times(0.75, 1.1, 9.5);
    hats.forEach((t, i) => {
      addHat(x, t, 0.01, i + 1);
    });
    const a = analyzeSamples(x, SR);
    expect(a.hits.times.length).toBe(hats.length);
    for (const [i, h] of a.hits.times.entries()) expect(Math.abs(h - hats[i])).toBeLessThanOrEqual(0.015);
  });

  it("reports no hit where sound rises and stays (a chord joining another) or beats and drifts", () => {
    const x = chord(A_MINOR, 12, 0.04);
    // A low fifth enters at 4 s and a high triad at 8 s, each with a 5 ms attack.
    for (const [at, notes] of [
      [4, [110, 164.8]],
      [8, [523.25, 659.26, 784]],
    ] as const) {
      const y = chord(notes, 12 - at, 0.05);
      for (let i = 0; i < y.length; i++) x[i + at * SR] += y[i] * Math.min(1, i / (0.005 * SR));
    }
    // Slow tremolo (+-1.5 dB at 0.5 Hz) and two tones 1 Hz apart beating.
    harmonicTone(440, 12, [0.02], SR, 5, x);
    harmonicTone(441, 12, [0.02], SR, 6, x);
    for (let i = 0; i < x.length; i++) x[i] *= 10 ** ((1.5 * Math.sin((2 * Math.PI * 0.5 * i) / SR)) / 20);
    const a = analyzeSamples(x, SR);
    expect(Array.from(a.hits.times).filter((t) => t > 0.25)).toEqual([]);
  });

  it("mistakes white noise for hits at most once in 10 s (measured: once in 60 s)", () => {
    const a = analyzeSamples(whiteNoise(30 * SR, 0.1, 3), SR);
    expect(a.hits.times.length).toBeLessThanOrEqual(3);
  });

  it("reads a loop circularly: a hit at the loop point is found once, at its frame", () => {
    const frames = 200;
    const power = new Float32Array(frames * TRANSIENT_BANDS).fill(1e-3);
    // Frame 1 of a loop: the kick band jumps 20 dB for 3 frames.
    for (const t of [1, 2, 3]) power[t * TRANSIENT_BANDS] = 10 ** ((-10 - 3 * (t - 1)) / 10);
    const rate = SR / 512;
    const open = transientStrength(power, rate);
    const loop = transientStrength(power, rate, true);
    expect(open[1]).toBe(0);
    expect(loop[1]).toBeCloseTo(20, 1);
    expect(Array.from(pickHits(loop, rate))).toEqual([1]);
  });
});
