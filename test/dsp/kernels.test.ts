/**
 * Every WebAssembly kernel against its plain-JavaScript reference (`*-reference.ts`), one table:
 * each row lays out the same inputs in a fresh instance of each backend, calls the same function and
 * compares the output regions. Bit for bit, except where a kernel takes a logarithm, exponential or
 * power (AssemblyScript's own Math there, V8's here): within 4 ulp (relative 1e-15 in f64, 5e-7
 * in f32).
 */
import { describe, expect, it } from "vitest";
import { type AnalysisExports, analysisKernel } from "../../src/analysis/kernel.js";
import { type HpssExports, hpssKernel } from "../../src/dsp/hpss-kernel.js";
import { type ResampleExports, resampleKernel } from "../../src/dsp/resample-kernel.js";
import { Rng } from "../../src/dsp/rng.js";
import { type SampleExports, samplesKernel } from "../../src/dsp/sample-kernels.js";
import { type TapeExports, tapeKernel } from "../../src/dsp/tape-kernel.js";
import { type VocoderExports, vocoderKernel } from "../../src/dsp/vocoder-kernel.js";
import {
  align16,
  ensureMemory,
  type KernelBackend,
  type KernelExports,
  type ReusedKernel,
} from "../../src/dsp/wasm-module.js";

type Output = Float32Array | Float64Array | Int32Array | Uint8Array | number[];

/** Regions of a kernel instance's memory, laid out from its heap base in the order asked for. */
class Arena {
  private at: number;
  constructor(private readonly k: KernelExports) {
    this.at = align16(k.heapBase());
  }
  private take(bytes: number): number {
    const ptr = this.at;
    this.at = align16(ptr + bytes + 16);
    ensureMemory(this.k.memory, this.at);
    return ptr;
  }
  f32(values: ArrayLike<number> | number): number {
    const n = typeof values === "number" ? values : values.length;
    const p = this.take(n * 4);
    if (typeof values !== "number") new Float32Array(this.k.memory.buffer, p, n).set(values);
    return p;
  }
  f64(values: ArrayLike<number> | number): number {
    const n = typeof values === "number" ? values : values.length;
    const p = this.take(n * 8);
    if (typeof values !== "number") new Float64Array(this.k.memory.buffer, p, n).set(values);
    return p;
  }
  i32(values: ArrayLike<number>): number {
    const p = this.take(values.length * 4);
    new Int32Array(this.k.memory.buffer, p, values.length).set(values);
    return p;
  }
  u8(values: ArrayLike<number> | number): number {
    const n = typeof values === "number" ? values : values.length;
    const p = this.take(n);
    if (typeof values !== "number") new Uint8Array(this.k.memory.buffer, p, n).set(values);
    return p;
  }
  readF32 = (p: number, n: number): Float32Array => new Float32Array(this.k.memory.buffer, p, n).slice();
  readF64 = (p: number, n: number): Float64Array => new Float64Array(this.k.memory.buffer, p, n).slice();
  readU8 = (p: number, n: number): Uint8Array => new Uint8Array(this.k.memory.buffer, p, n).slice();
}

interface Row {
  name: string;
  /** Relative tolerance; 0 = bit-identical. */
  tolerance: number;
  run(backend: KernelBackend): Output[];
}

function row<E extends KernelExports>(
  kernel: ReusedKernel<E>,
  name: string,
  call: (k: E, a: Arena, rng: Rng) => Output[],
  tolerance = 0,
): Row {
  return {
    name,
    tolerance,
    run: (backend) => {
      const k = kernel.instance(backend);
      return call(k, new Arena(k), new Rng(name.length * 7919 + 17));
    },
  };
}

const noise = (rng: Rng, n: number, amp = 1): Float32Array =>
  Float32Array.from({ length: n }, () => rng.uniform(-amp, amp));
const positive = (rng: Rng, n: number): Float32Array =>
  Float32Array.from({ length: n }, () => rng.next() ** 3 * 100);

const samples: Row[] = [
  row<SampleExports>(
    samplesKernel,
    "samples.scaleRound: 24-bit rescale with exact ties, odd length",
    (k, a, rng) => {
      const x = noise(rng, 1003);
      for (let i = 0; i < x.length; i += 7) x[i] = Math.fround((Math.round(x[i] * 1000) + 0.5) / 8388607);
      const p = a.f32(x);
      k.scaleRound(p, x.length, 8388607, 1 / 8388608);
      return [a.readF32(p, x.length)];
    },
  ),
  row<SampleExports>(samplesKernel, "samples.mixHalf", (k, a, rng) => {
    const pa = a.f32(noise(rng, 1001));
    const pb = a.f32(noise(rng, 1001));
    k.mixHalf(pa, pb, 1001);
    return [a.readF32(pa, 1001)];
  }),
  row<SampleExports>(samplesKernel, "samples.stats: with a NaN and an infinity, tail of 3", (k, a, rng) => {
    const x = noise(rng, 4099);
    x[2001] = Number.NaN;
    x[3000] = Number.POSITIVE_INFINITY;
    const p = a.f32(x);
    const out = a.f64(5);
    k.stats(p, x.length, out);
    const o1 = a.readF64(out, 5);
    k.stats(p, 2000, out);
    return [o1, a.readF64(out, 5)];
  }),
  row<SampleExports>(samplesKernel, "samples.affine", (k, a, rng) => {
    const p = a.f32(noise(rng, 1002));
    k.affine(p, 1002, 0.37, -0.125);
    return [a.readF32(p, 1002)];
  }),
  row<SampleExports>(samplesKernel, "samples.s16le and s24le: mono, stereo, three channels", (k, a, rng) => {
    const src = a.u8(Array.from({ length: 6 * 1001 }, () => rng.int(0, 255)));
    const dst = a.f32(1001);
    const out: Output[] = [];
    for (const [stride, offset] of [
      [2, 0],
      [4, 2],
      [6, 4],
    ]) {
      k.s16le(src, 1001, stride, offset, dst);
      out.push(a.readF32(dst, 1001));
    }
    for (const [stride, offset] of [
      [3, 0],
      [6, 3],
    ]) {
      k.s24le(src, 1001, stride, offset, dst);
      out.push(a.readF32(dst, 1001));
    }
    return out;
  }),
  row<SampleExports>(samplesKernel, "samples.pack24: mono and stereo, with clips and ties", (k, a, rng) => {
    const x = noise(rng, 1003, 1.2);
    x[5] = (2 ** 22 + 0.5) / 2 ** 23;
    x[6] = -0.5 / 2 ** 23;
    const p = a.f32(x);
    const dst = a.u8(6 * 1003 + 8);
    k.pack24(p, 1003, dst, 3);
    const mono = a.readU8(dst, 3 * 1003);
    k.pack24(p, 1003, dst + 3, 6);
    return [mono, a.readU8(dst, 6 * 1003)];
  }),
  row<SampleExports>(samplesKernel, "samples.f32ToS16: with clips, ties and a NaN", (k, a, rng) => {
    const x = noise(rng, 1005, 1.1);
    x[3] = 0.5 / 32768;
    x[4] = 1.5 / 32768;
    x[1004] = Number.NaN;
    const p = a.f32(x);
    const dst = a.u8(2 * 1005);
    k.f32ToS16(p, 1005, dst);
    return [a.readU8(dst, 2 * 1005)];
  }),
  row<SampleExports>(
    samplesKernel,
    "samples.columnStats: wide and narrow columns, an offset",
    (k, a, rng) => {
      const x = noise(rng, 2000);
      const p = a.f32(x);
      const out = a.f64(3 * 240);
      k.columnStats(p, 2000, 240, 0, 240, 0, out);
      const wide = a.readF64(out, 3 * 240);
      k.columnStats(p + 4 * 100, 5000, 7, 1, 3, 714 - 100, out);
      return [wide, a.readF64(out, 6)];
    },
  ),
];

/** setup + frameIn / olaAdd, shared by the two STFT kernels. */
function frameRows<
  E extends KernelExports & {
    frameIn(x: number, xLen: number, centre: number): void;
    olaAdd(out: number, outLen: number, start: number): void;
  },
>(
  kernel: ReusedKernel<E>,
  name: string,
  setup: (k: E, a: Arena, n: number, win: number, buf: number) => void,
): Row {
  return row<E>(kernel, `${name}.frameIn and olaAdd: interior and both edges`, (k, a, rng) => {
    const n = 64;
    const x = a.f32(noise(rng, 300));
    const win = a.f32(positive(rng, n));
    const buf = a.f32(n);
    setup(k, a, n, win, buf);
    const out = a.f32(noise(rng, 300));
    const res: Output[] = [];
    for (const centre of [100, 5, 290]) {
      k.frameIn(x, 300, centre);
      res.push(a.readF32(buf, n));
      k.olaAdd(out, 300, centre - n / 2);
    }
    return [...res, a.readF32(out, 300)];
  });
}

const hpss: Row[] = [
  frameRows<HpssExports>(hpssKernel, "hpss", (k, _a, n, win, buf) => k.setup(n, win, buf)),
  row<HpssExports>(hpssKernel, "hpss.magnitudes", (k, a, rng) => {
    const n = 128;
    k.setup(n, a.f32(n), a.f32(n));
    const spec = a.f32(noise(rng, n, 10));
    const mag = a.f32(n / 2 + 1);
    k.magnitudes(spec, mag);
    return [a.readF32(mag, n / 2 + 1)];
  }),
  row<HpssExports>(
    hpssKernel,
    "hpss.medianAlongTime: 40 frames and fewer frames than the window",
    (k, a, rng) => {
      const n = 64;
      const bins = n / 2 + 1;
      const hk = 17;
      k.setup(n, a.f32(n), a.f32(n));
      const windows = a.f32(bins * hk);
      const ring = a.f32((hk + 1) * bins);
      const res: Output[] = [];
      for (const frames of [40, 5, 1]) {
        const v = positive(rng, frames * bins);
        for (let i = 0; i < v.length; i += 5) v[i] = v[(i * 7) % v.length]; // ties
        const mag = a.f32(v);
        k.medianAlongTime(mag, frames, hk, windows, ring);
        res.push(a.readF32(mag, frames * bins));
      }
      return res;
    },
  ),
  ...[2, 1.5].map((power) =>
    row<HpssExports>(
      hpssKernel,
      `hpss.masks: power ${power}`,
      (k, a, rng) => {
        const n = 128;
        const bins = n / 2 + 1;
        const pk = 9;
        k.setup(n, a.f32(n), a.f32(n));
        const spec = a.f32(noise(rng, n, 10));
        const harm = a.f32(positive(rng, bins));
        const m = a.f32(bins);
        const perc = a.f32(bins);
        const hS = a.f32(n);
        const pS = a.f32(n);
        k.masks(spec, harm, m, perc, a.f32(pk), pk, power, hS, pS);
        return [a.readF32(m, bins), a.readF32(perc, bins), a.readF32(hS, n), a.readF32(pS, n)];
      },
      power === 2 ? 0 : 5e-7,
    ),
  ),
];

const vocoder: Row[] = [
  row<VocoderExports>(vocoderKernel, "vocoder.atan2 and sincos over every quadrant", (k, _a, rng) => {
    const out: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const y = rng.uniform(-1, 1) * 10 ** rng.int(-6, 6);
      const x = i % 50 === 0 ? 0 : rng.uniform(-1, 1) * 10 ** rng.int(-6, 6);
      out.push(k.atan2(y, x));
      k.sincos(rng.uniform(-300, 300));
      out.push(k.sinResult(), k.cosResult());
    }
    return [out];
  }),
  frameRows<VocoderExports>(vocoderKernel, "vocoder", (k, a, n, win, buf) =>
    k.setup(n, win, buf, a.f32(n / 2 + 1), a.f32(n / 2 + 2)),
  ),
  row<VocoderExports>(
    vocoderKernel,
    "vocoder.synthFrame: reset, then locked and unlocked frames",
    (k, a, rng) => {
      const n = 256;
      const bins = n / 2 + 1;
      k.setup(n, a.f32(n), a.f32(n), a.f32(bins), a.f32(bins + 1));
      const specs = [a.f32(n), a.f32(n)];
      const thetas = [a.f32(bins), a.f32(bins)];
      const synth = a.f32(n);
      const res: Output[] = [];
      // A few partials over noise, so that there are peaks to lock to.
      for (let frame = 0; frame < 5; frame++) {
        const s = noise(rng, n, 0.01);
        for (const b of [7, 19, 20, 55]) {
          s[2 * b] = rng.uniform(-5, 5);
          s[2 * b + 1] = rng.uniform(-5, 5);
        }
        new Float32Array(k.memory.buffer, specs[frame % 2], n).set(s);
        const c = frame % 2;
        k.synthFrame(
          specs[c],
          specs[1 - c],
          thetas[c],
          thetas[1 - c],
          synth,
          frame === 0 ? 1 : 0,
          frame === 4 ? 0 : 1,
          300 + frame,
          256,
        );
        res.push(a.readF32(synth, n), a.readF32(thetas[c], bins));
      }
      return res;
    },
  ),
];

/** An analysis kernel set up on synthetic mel and chroma tables (n-point spectra). */
function analysisSetup(k: AnalysisExports, a: Arena, rng: Rng, n: number): void {
  const half = n / 2;
  const bins = half + 1;
  const nMel = 12;
  const melStart = [3];
  for (let q = 1; q < nMel + 2; q++) melStart.push(Math.min(half, melStart[q - 1] + 1 + ((q * 5) % 11)));
  const pc = Array.from({ length: bins * 16 }, () => rng.int(0, 12));
  k.setup(
    half,
    nMel,
    a.i32(melStart),
    a.f32(Float32Array.from({ length: bins }, () => rng.next())),
    a.f32(Float32Array.from({ length: bins }, () => rng.next())),
    a.u8(pc),
    2,
    half - 1,
    a.f32(bins + 4),
    a.f64(nMel + 2),
    a.f64(nMel + 2),
    a.f64(13),
    1e-7,
    2 / 300,
    1e-10,
    44100 / n,
  );
}

const analysis: Row[] = [
  row<AnalysisExports>(analysisKernel, "analysis.blockStats: clip level, a NaN", (k, a, rng) => {
    const x = noise(rng, 1027, 1.1);
    x[900] = Number.NaN;
    const p = a.f32(x);
    const out = a.f64(5);
    k.blockStats(p, 1027, 0.999, out);
    return [a.readF64(out, 5)];
  }),
  row<AnalysisExports>(analysisKernel, "analysis.windowMul and powerOrdered", (k, a, rng) => {
    const n = 256;
    const src = a.f32(noise(rng, n));
    const win = a.f32(positive(rng, n));
    const dst = a.f32(n);
    k.windowMul(src, win, dst, n);
    const pow = a.f32(n / 2 + 1);
    k.powerOrdered(dst, pow, n);
    return [a.readF32(dst, n), a.readF32(pow, n / 2 + 1)];
  }),
  row<AnalysisExports>(
    analysisKernel,
    "analysis.blockMoment and windowMulLine: odd tail, a line removed",
    (k, a, rng) => {
      const n = 1027;
      const src = a.f32(noise(rng, n));
      const moments = [k.blockMoment(src, n), k.blockMoment(src, 1024), k.blockMoment(src, 3)];
      const win = a.f32(positive(rng, 1024));
      const dst = a.f32(1024);
      k.windowMulLine(src, win, dst, 1024, 0.0731, -1.7e-5);
      return [moments, a.readF32(dst, 1024)];
    },
  ),
  row<AnalysisExports>(analysisKernel, "analysis.bandPowers: six bands, ragged edges", (k, a, rng) => {
    const bins = 513;
    const pow = a.f32(positive(rng, bins + 3));
    const edges = a.i32([1, 3, 10, 37, 90, 201, 513]);
    const out = a.f64(7);
    k.bandPowers(pow, bins, edges, 6, out);
    return [a.readF64(out, 7)];
  }),
  row<AnalysisExports>(
    analysisKernel,
    "analysis.spectral: flatness, centroid, chroma and onset strength over four frames",
    (k, a, rng) => {
      const n = 512;
      analysisSetup(k, a, rng, n);
      const pow = a.f32(n / 2 + 4);
      const out = a.f64(15);
      const res: Output[] = [];
      for (let frame = 0; frame < 4; frame++) {
        const p = positive(rng, n / 2 + 1);
        if (frame === 2) p.fill(0);
        new Float32Array(k.memory.buffer, pow, p.length).set(p);
        k.spectral(pow, out);
        res.push(a.readF64(out, 15));
      }
      return res;
    },
    1e-15,
  ),
  row<AnalysisExports>(analysisKernel, "analysis.centroidSums", (k, a, rng) => {
    const pow = a.f32(positive(rng, 1025));
    const out = a.f64([3, 4]);
    k.centroidSums(pow, 1025, out);
    k.centroidSums(pow, 37, out);
    return [a.readF64(out, 2)];
  }),
  row<AnalysisExports>(
    analysisKernel,
    "analysis.spectrogramColumn: wide and interpolated rows",
    (k, a, rng) => {
      const bins = 257;
      const height = 64;
      const pow = a.f32(positive(rng, bins));
      const lo: number[] = [];
      const hi: number[] = [];
      const pos: number[] = [];
      for (let y = 0; y < height; y++) {
        const wide = y >= 20;
        lo.push(wide ? 4 * (y - 20) + 10 : 1);
        hi.push(wide ? 4 * (y - 20) + 13 : 0);
        pos.push(wide ? 0 : 1 + y * 0.37);
      }
      const out = a.f32(height * 3);
      const max = k.spectrogramColumn(pow, a.i32(lo), a.i32(hi), a.f32(pos), height, bins, 1e4, out, 3);
      return [a.readF32(out, height * 3), [max]];
    },
    5e-7,
  ),
];

const resampling: Row[] = [
  ...[
    [147, 96, 1, 13],
    [160, 64, 0, 147],
    [3, 24, 2, 1],
  ].map(([m, taps, lq, lr]) =>
    row<ResampleExports>(
      resampleKernel,
      `resample.run: ${m} phases of ${taps} taps, step ${lq} + ${lr}/${m}`,
      (k, a, rng) => {
        const table = a.f32(noise(rng, m * taps));
        const x = noise(rng, 3000);
        const px = a.f32([...x, 0, 0, 0, 0, 0, 0, 0, 0]);
        const count = Math.floor((3000 - taps) / (lq + lr / m)) - 2;
        const out = a.f32(count);
        k.run(px, table, out, count, 1, 5 % m, lq, lr, m, taps);
        return [a.readF32(out, count)];
      },
    ),
  ),
  ...[0.613, 1, 1.4983070768766815, 2.37].map((speed) =>
    row<TapeExports>(tapeKernel, `tape.run: speed ${speed}, 20 taps padded to 24`, (k, a, rng) => {
      const phases = 16;
      const t8 = 24;
      const reach = 10;
      const bank = new Float32Array((phases + 1) * t8);
      for (let r = 0; r <= phases; r++) bank.set(noise(rng, 20), r * t8);
      const x = noise(rng, 3000);
      const px = a.f32([...x, 0, 0, 0, 0, 0, 0, 0, 0]);
      const m0 = 20;
      const count = Math.floor((3000 - 20) / speed) - m0 - 1;
      const out = a.f32(count);
      k.run(px, a.f32(bank), out, count, m0, speed, t8, reach - 1, phases);
      return [a.readF32(out, count)];
    }),
  ),
];

/** Largest relative difference (0 when bit-identical); Infinity when shapes or bits differ where exactness is asked. */
function difference(a: Output[], b: Output[], exact: boolean): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let r = 0; r < a.length; r++) {
    const x = a[r];
    const y = b[r];
    if (x.length !== y.length) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < x.length; i++) {
      if (Object.is(x[i], y[i])) continue;
      if (exact || !Number.isFinite(x[i]) || !Number.isFinite(y[i])) return Number.POSITIVE_INFINITY;
      worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), Math.abs(y[i])));
    }
  }
  return worst;
}

describe("kernel equals reference", () => {
  it.each([...samples, ...hpss, ...vocoder, ...analysis, ...resampling].map((r) => [r.name, r] as const))(
    "%s",
    (_name, r) => {
      const wasm = r.run("wasm");
      const js = r.run("js");
      expect(wasm.some((o) => o.length > 0)).toBe(true);
      expect(difference(wasm, js, r.tolerance === 0)).toBeLessThanOrEqual(r.tolerance);
    },
  );

  it("covers every function every kernel exports", () => {
    const covered = [...samples, ...hpss, ...vocoder, ...analysis, ...resampling]
      .map((r) => r.name)
      .join(" ");
    for (const [prefix, kernel] of [
      ["samples", samplesKernel],
      ["hpss", hpssKernel],
      ["vocoder", vocoderKernel],
      ["analysis", analysisKernel],
      ["resample", resampleKernel],
      ["tape", tapeKernel],
    ] as const) {
      const k = kernel.instance("wasm") as unknown as Record<string, unknown>;
      for (const name of Object.keys(k)) {
        if (name === "memory" || name === "heapBase" || name === "setup") continue;
        if (["sinResult", "cosResult"].includes(name)) continue;
        expect(covered, `${prefix}.${name}`).toMatch(new RegExp(`${prefix}\\.[\\w ,]*\\b${name}\\b`));
      }
    }
  });
});
