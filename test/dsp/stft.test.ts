import { describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import {
  forEachStftFrame,
  istft,
  OverlapAdd,
  stft,
  stftFrameCount,
  windowedFrame,
} from "../../src/dsp/stft.js";
import { hannPeriodic } from "../../src/dsp/window.js";
import { SR, sine, whiteNoise } from "./helpers.js";

function errorDb(x: Float32Array, y: Float32Array, from: number, to: number): number {
  let e = 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    e += (x[i] - y[i]) ** 2;
    s += x[i] ** 2;
  }
  return 10 * Math.log10(e / s);
}

describe("STFT / ISTFT", () => {
  it("reconstructs white noise to better than -80 dB away from the edges (defaults 2048/512)", () => {
    const x = whiteNoise(SR * 2, 11);
    const spec = stft(x);
    expect(spec.fftSize).toBe(2048);
    expect(spec.hopSize).toBe(512);
    expect(spec.frames).toBe(stftFrameCount(x.length, 512));
    const y = istft(spec);
    expect(y.length).toBe(x.length);
    expect(errorDb(x, y, 2048, x.length - 2048)).toBeLessThan(-80);
    // The per-sample normalisation makes even the edges exact.
    expect(errorDb(x, y, 0, x.length)).toBeLessThan(-80);
  });
  it("overlap-add normalisation is exact at every sample, also with hops that do not divide the window", () => {
    // Frames x * w added with weight w and divided by the summed w^2 give x back everywhere,
    // including the edges, where fewer frames reach (the vocoder compresses with such hops).
    const x = whiteNoise(9000, 13);
    const w = hannPeriodic(2048);
    const frame = new Float32Array(2048);
    for (const hop of [512, 358, 500, 1024]) {
      const ola = new OverlapAdd(x.length, w, hop, 0.5);
      for (let m = 0; m * hop - 1024 < x.length; m++) {
        windowedFrame(x, m * hop, w, frame);
        ola.add(frame);
      }
      const y = ola.finish();
      const half = new Float32Array(x.length).map((_, i) => 0.5 * x[i]);
      expect(errorDb(half, y, 0, 1024)).toBeLessThan(-100);
      expect(errorDb(half, y, 0, x.length)).toBeLessThan(-100);
      expect(errorDb(half, y, x.length - 1024, x.length)).toBeLessThan(-100);
    }
  });
  it("reconstructs at other sizes and at 50 % overlap", () => {
    const x = whiteNoise(20000, 12);
    for (const [fftSize, hopSize] of [
      [1024, 256],
      [512, 256],
      [4096, 1024],
    ]) {
      expect(errorDb(x, istft(stft(x, { fftSize, hopSize })), fftSize, x.length - fftSize)).toBeLessThan(-80);
    }
  });
  it("puts a bin-centred sine in its bin with the Hann amplitude", () => {
    const k = 40;
    const x = sine((k * SR) / 2048, 0.5, 1);
    const spec = stft(x);
    const t = 10;
    const o = t * spec.stride;
    const mag = Math.hypot(spec.data[o + 2 * k], spec.data[o + 2 * k + 1]);
    // A periodic Hann window sums to N/2; a unit sine puts half of that in its bin: N/4.
    expect(Math.abs(mag / (2048 / 4) - 1)).toBeLessThan(1e-4);
  });
  it("visits the same frames without storing them", () => {
    const x = whiteNoise(10000, 13);
    const spec = stft(x);
    let maxDiff = 0;
    const n = forEachStftFrame(x, {}, (t, s) => {
      for (let i = 0; i < s.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(s[i] - spec.data[t * spec.stride + i]));
    });
    expect(n).toBe(spec.frames);
    expect(maxDiff).toBe(0);
  });
  it("rejects empty input, NaN samples and a hop that leaves gaps", () => {
    expect(() => stft(new Float32Array(0))).toThrow(/empty/);
    expect(() => stft(Float32Array.of(1, Number.NaN))).toThrow(/NaN/);
    expect(() => stft(new Float32Array(100), { hopSize: 2000 })).toThrow(ParameterError);
    expect(() => stft(new Float32Array(100), { fftSize: 1000, hopSize: 250 })).toThrow(/1000/);
  });
  it("silence gives an all-zero spectrogram and back", () => {
    const y = istft(stft(new Float32Array(3000)));
    expect(y.every((v) => v === 0)).toBe(true);
  });
});
