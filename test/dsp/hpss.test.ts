import { describe, expect, it } from "vitest";
import { hpss } from "../../src/dsp/hpss.js";
import { Rng } from "../../src/dsp/rng.js";
import { istft, stft } from "../../src/dsp/stft.js";
import { SR, sine } from "./helpers.js";

/** Amplitude of the `freq` component of y (least-squares fit of a sine and cosine). */
function toneAmplitude(y: Float32Array, freq: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const a = (2 * Math.PI * freq * i) / SR;
    s += y[i] * Math.sin(a);
    c += y[i] * Math.cos(a);
  }
  return (2 * Math.hypot(s, c)) / y.length;
}

/** Energy within +-3 ms of each click, after removing the fitted tone (the part the clicks own). */
function clickEnergy(y: Float32Array, clicks: number[], freq: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const a = (2 * Math.PI * freq * i) / SR;
    s += y[i] * Math.sin(a);
    c += y[i] * Math.cos(a);
  }
  const bs = (2 * s) / y.length;
  const bc = (2 * c) / y.length;
  const w = Math.round(0.003 * SR);
  let e = 0;
  for (const t of clicks) {
    for (let i = t - w; i <= t + w; i++) {
      const a = (2 * Math.PI * freq * i) / SR;
      const r = y[i] - bs * Math.sin(a) - bc * Math.cos(a);
      e += r * r;
    }
  }
  return e;
}

describe("HPSS", () => {
  const tone = sine(440, 3, 0.3);
  const clicks: number[] = [];
  const x = tone.slice();
  for (let t = 0.25; t < 2.8; t += 0.25) {
    const i = Math.round(t * SR);
    clicks.push(i);
    x[i] += 0.8;
  }
  const { harmonic, percussive } = hpss(x);
  const clickIn = clicks.length * 0.8 * 0.8;

  it("percussive part: most of the click energy (>= -1 dB), the sine at <= -40 dB", () => {
    const clickShare = 10 * Math.log10(clickEnergy(percussive, clicks, 440) / clickIn);
    const sineLeak = 20 * Math.log10(toneAmplitude(percussive, 440) / 0.3);
    expect(clickShare).toBeGreaterThan(-1);
    expect(sineLeak).toBeLessThan(-40);
  });
  it("harmonic part: the sine within 0.1 dB, clicks at <= -18 dB", () => {
    expect(Math.abs(20 * Math.log10(toneAmplitude(harmonic, 440) / 0.3))).toBeLessThan(0.1);
    expect(10 * Math.log10(clickEnergy(harmonic, clicks, 440) / clickIn)).toBeLessThan(-18);
  });
  it("the parts sum back to the input (error < -80 dB)", () => {
    let e = 0;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      e += (harmonic[i] + percussive[i] - x[i]) ** 2;
      s += x[i] ** 2;
    }
    expect(10 * Math.log10(e / s)).toBeLessThan(-80);
  });
  it("silence splits into silence; empty input is refused", () => {
    const r = hpss(new Float32Array(4000));
    expect(r.harmonic.every((v) => v === 0) && r.percussive.every((v) => v === 0)).toBe(true);
    expect(() => hpss(new Float32Array(0))).toThrow(/empty/);
    expect(() => hpss(new Float32Array(100), { harmonicKernel: 0 })).toThrow(/harmonicKernel/);
  });
});

/** Mirror an index into [0, n) as the separation does at the spectrogram's edges. */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
  return j;
}

function medianOf(values: number[]): number {
  const v = Float32Array.from(values).sort();
  return v[v.length >> 1];
}

/** The textbook separation, spelled out with sorts: what the kernels must compute. */
function referenceHpss(x: Float32Array, fftSize: number, hop: number, hk: number, pk: number): Float32Array {
  const spec = stft(x, { fftSize, hopSize: hop });
  const { frames, bins, stride, data } = spec;
  const mag = (t: number, k: number): number =>
    Math.hypot(data[t * stride + 2 * k], data[t * stride + 2 * k + 1]);
  const out = new Float32Array(data.length);
  for (let t = 0; t < frames; t++) {
    const m = Array.from({ length: bins }, (_, k) => mag(t, k));
    for (let k = 0; k < bins; k++) {
      const h = medianOf(Array.from({ length: hk }, (_, d) => mag(mirror(t + d - (hk >> 1), frames), k)));
      const q = medianOf(Array.from({ length: pk }, (_, d) => m[mirror(k + d - (pk >> 1), bins)]));
      const sum = h * h + q * q;
      const mh = sum > 1e-30 ? (h * h) / sum : 0.5;
      out[t * stride + 2 * k] = data[t * stride + 2 * k] * mh;
      out[t * stride + 2 * k + 1] = data[t * stride + 2 * k + 1] * mh;
    }
  }
  return istft({ ...spec, data: out });
}

describe("HPSS kernels", () => {
  it("match the textbook medians and masks, including spectrograms shorter than the median window", () => {
    const rng = new Rng(3);
    for (const [length, hk, pk] of [
      [40, 17, 5],
      [200, 17, 17],
      [700, 5, 3],
      [900, 17, 7],
    ]) {
      const x = Float32Array.from({ length }, () => rng.next() - 0.5);
      const got = hpss(x, { fftSize: 64, hopSize: 16, harmonicKernel: hk, percussiveKernel: pk }).harmonic;
      const want = referenceHpss(x, 64, 16, hk, pk);
      let e = 0;
      let s = 0;
      for (let i = 0; i < length; i++) {
        e += (got[i] - want[i]) ** 2;
        s += want[i] ** 2;
      }
      expect(10 * Math.log10(e / s)).toBeLessThan(-100);
    }
  });
});
