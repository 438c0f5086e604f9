import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import { Resampler, resample, resampledLength } from "../../src/dsp/resample.js";
import { Rng } from "../../src/dsp/rng.js";

const sine = (n: number, f: number, sr: number, amp = 0.5, phase = 0): Float32Array =>
  new Float32Array(n).map((_, i) => amp * Math.sin(2 * Math.PI * f * (i / sr) + phase));

/** Solve a small linear system (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const k = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= k * m[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let j = r + 1; j < n; j++) s -= m[r][j] * x[j];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * THD+N in dB: least-squares fit of a*sin + b*cos + dc at the known frequency over [from, to); the
 * residual (everything that is not the sine) relative to the fitted sine's power.
 */
function thdN(y: Float32Array, f: number, sr: number, from: number, to: number): number {
  const ata = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const atb = [0, 0, 0];
  for (let i = from; i < to; i++) {
    const row = [Math.sin((2 * Math.PI * f * i) / sr), Math.cos((2 * Math.PI * f * i) / sr), 1];
    for (let r = 0; r < 3; r++) {
      atb[r] += row[r] * y[i];
      for (let c = 0; c < 3; c++) ata[r][c] += row[r] * row[c];
    }
  }
  const [a, b, dc] = solve(ata, atb);
  let e = 0;
  let p = 0;
  for (let i = from; i < to; i++) {
    const m = a * Math.sin((2 * Math.PI * f * i) / sr) + b * Math.cos((2 * Math.PI * f * i) / sr);
    e += (y[i] - m - dc) ** 2;
    p += m * m;
  }
  return 10 * Math.log10(e / p);
}

describe("resample", () => {
  // What is left of a sine after resampling is float32 rounding, not the filter (a sine in the
  // passband is only scaled, which the fit absorbs): f32 coefficients and output alone give about
  // -149 dB at 48 -> 44.1 kHz (measured with f64 sums), the kernel's f32 sums over 96 taps bring it
  // to -142 dB, the README's figure. The bounds are those measurements plus 2 dB, room for a change
  // of summation order or coefficient rounding; a real defect (a wrong coefficient, phase step or
  // timing, aliasing) costs tens of dB. The old bound of -90 dB let 50 dB of that through.
  it("1 kHz sine 48 kHz -> 44.1 kHz: THD+N below -140 dB away from the edges (README: about -142)", () => {
    const y = resample(sine(48000, 1000, 48000), 48000, 44100);
    const db = thdN(y, 1000, 44100, 2000, y.length - 2000);
    expect(db).toBeLessThan(-140);
  });

  it.each([
    // from, to, bound (measured: -142.0, -143.2, -144.6, -138.9 dB)
    [44100, 48000, -140],
    [96000, 44100, -141],
    [22050, 44100, -142],
    [44100, 32000, -136.5],
  ])("1 kHz sine %i -> %i Hz: THD+N below %d dB", (from, to, bound) => {
    const y = resample(sine(from, 1000, from), from, to);
    expect(thdN(y, 1000, to, 2000, y.length - 2000)).toBeLessThan(bound);
  });

  it("preserves timing: output k equals the sine evaluated at k / toRate (no group delay)", () => {
    for (const [from, to] of [
      [48000, 44100],
      [44100, 48000],
    ]) {
      const y = resample(sine(from, 1000, from, 0.5, 0.3), from, to);
      const ideal = sine(y.length, 1000, to, 0.5, 0.3);
      let maxErr = 0;
      for (let i = 500; i < y.length - 500; i++) maxErr = Math.max(maxErr, Math.abs(y[i] - ideal[i]));
      // A delay of even 1/100 sample would give 0.5 * 2pi * 1000 / 44100 / 100 = 7e-4.
      expect(maxErr).toBeLessThan(1e-5);
    }
  });

  it("aliases are removed: a 30 kHz tone at 96 kHz is gone after conversion to 44.1 kHz", () => {
    const y = resample(sine(96000, 30000, 96000), 96000, 44100);
    let rms = 0;
    for (let i = 1000; i < y.length - 1000; i++) rms += y[i] * y[i];
    rms = Math.sqrt(rms / (y.length - 2000));
    expect(20 * Math.log10(rms / (0.5 / Math.SQRT2))).toBeLessThan(-100);
  });

  it("output length is round(n * to / from)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom(8000, 22050, 32000, 44100, 48000, 88200, 96000),
        fc.constantFrom(22050, 44100, 48000),
        (n, from, to) => {
          const y = resample(new Float32Array(n), from, to);
          expect(y.length).toBe(Math.round((n * to) / from));
          expect(resampledLength(n, from, to)).toBe(y.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("streaming in arbitrary block sizes gives exactly the one-shot result", () => {
    const rng = new Rng(11);
    const x = new Float32Array(20000).map(() => rng.uniform(-0.5, 0.5));
    const whole = resample(x, 48000, 44100);
    const rs = new Resampler(48000, 44100);
    const parts: Float32Array[] = [];
    for (let p = 0; p < x.length; ) {
      const n = rng.int(1, 3000);
      parts.push(rs.process(x.subarray(p, p + n)));
      p += n;
    }
    parts.push(rs.flush());
    const joined = new Float32Array(parts.reduce((s, q) => s + q.length, 0));
    let o = 0;
    for (const q of parts) {
      joined.set(q, o);
      o += q.length;
    }
    expect(joined.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) if (joined[i] !== whole[i]) expect.fail(`differs at ${i}`);
  });

  it("a long signal in one call gives exactly what short blocks give (the kernel works in blocks)", () => {
    const rng = new Rng(13);
    const x = new Float32Array(400_000).map(() => rng.uniform(-0.5, 0.5));
    for (const [from, to] of [
      [48000, 44100],
      [22050, 44100],
      [96000, 22050],
    ]) {
      const whole = resample(x, from, to);
      const rs = new Resampler(from, to);
      const parts: number[] = [];
      for (let p = 0; p < x.length; p += 4000) parts.push(...rs.process(x.subarray(p, p + 4000)));
      parts.push(...rs.flush());
      expect(whole.length).toBe(parts.length);
      let differ = 0;
      for (let i = 0; i < whole.length; i++) if (!Object.is(whole[i], parts[i])) differ++;
      expect(differ).toBe(0);
    }
  });

  it("a resampler started mid-signal (outputStart) reproduces the whole-signal outputs", () => {
    const rng = new Rng(12);
    const x = new Float32Array(30000).map(() => rng.uniform(-0.5, 0.5));
    const whole = resample(x, 44100, 48000);
    const rs = new Resampler(44100, 48000, { outputStart: 12345 });
    const y = rs.process(x.subarray(rs.inputStart));
    for (let i = 0; i < 5000; i++) if (y[i] !== whole[12345 + i]) expect.fail(`differs at ${12345 + i}`);
  });

  it("odd rate pairs (large phase counts) use interpolated coefficients and stay clean: THD+N below -148 dB", () => {
    const y = resample(sine(44101, 1000, 44101), 44101, 44100);
    expect(y.length).toBe(44100);
    // Summed in f64: measured -150.7 dB (the output's f32 rounding), bound 2 dB above as above.
    expect(thdN(y, 1000, 44100, 2000, y.length - 2000)).toBeLessThan(-148);
  });

  it("equal rates pass through; bad rates are refused", () => {
    const x = new Float32Array([1, 2, 3]);
    expect(Array.from(resample(x, 44100, 44100))).toEqual([1, 2, 3]);
    expect(() => new Resampler(0, 44100)).toThrow(ParameterError);
    expect(() => new Resampler(44100.5, 48000)).toThrow(/fromRate must be a positive integer, got: 44100.5/);
  });
});
