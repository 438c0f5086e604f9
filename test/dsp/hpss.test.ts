import { describe, expect, it } from "vitest";
import { hpss } from "../../src/dsp/hpss.js";
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
