import { describe, expect, it } from "vitest";
import { Rng } from "../../src/dsp/rng.js";
import {
  affineInPlace,
  columnStats,
  floatToInt16,
  int16ToFloat,
  mixHalfInPlace,
  pack24Into,
  pcmIntLeToFloat,
  sampleStats,
  scaleRoundInPlace,
} from "../../src/dsp/sample-kernels.js";

function random(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.next() * 2 - 1;
  return x;
}

describe("sample kernels (WebAssembly SIMD)", () => {
  it("scaleRound equals the JavaScript double-precision round-half-even at every sample", () => {
    const magic = 6755399441055744;
    for (const bits of [16, 24]) {
      const up = 2 ** (bits - 1) - 1;
      const down = 1 / 2 ** (bits - 1);
      // Odd lengths exercise the scalar tail; exact halves (k + 0.5) / up test the tie rule.
      for (const n of [1, 3, 4, 7, 1001, 70_001]) {
        const x = random(n, n + bits);
        for (let i = 0; i < n; i += 17) x[i] = Math.fround((Math.round(x[i] * 1000) + 0.5) / up);
        const want = Float32Array.from(x, (v) => (v * up + magic - magic) * down);
        scaleRoundInPlace(x, up, down);
        expect(x).toEqual(want);
      }
    }
  });

  it("mixHalf equals (a + b) * 0.5 in JavaScript, also after the memory has grown", () => {
    for (const n of [2, 5, 64, 333_333, 9]) {
      const a = random(n, 1);
      const b = random(n, 2);
      const want = Float32Array.from(a, (v, i) => (v + b[i]) * 0.5);
      mixHalfInPlace(a, b);
      expect(a).toEqual(want);
      expect(b).toEqual(random(n, 2));
    }
  });

  it("stats give sum, energy and peak of known signals, and the first non-finite sample", () => {
    for (const n of [1, 6, 4096, 44_101]) {
      const x = random(n, n);
      let sum = 0;
      let sq = 0;
      let peak = 0;
      for (const v of x) {
        sum += v;
        sq += v * v;
        peak = Math.max(peak, Math.abs(v));
      }
      const st = sampleStats(x);
      expect(st.sum).toBeCloseTo(sum, 9);
      expect(st.sumSquares / sq).toBeCloseTo(1, 12);
      expect(st.peak).toBe(peak);
      expect(st.firstNonFinite).toBe(-1);
    }
    // A full-scale sine: energy n/2, peak 1.
    const sine = Float32Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * i) / 48 + 0.3));
    expect(sampleStats(sine).sumSquares / 2400).toBeCloseTo(1, 5);
    for (const [n, at, v] of [
      [1000, 0, Number.NaN],
      [1000, 517, Number.POSITIVE_INFINITY],
      [1003, 1001, Number.NEGATIVE_INFINITY],
    ]) {
      const x = random(n, 3);
      x[at] = v;
      x[n - 1] = Number.NaN;
      expect(sampleStats(x).firstNonFinite).toBe(at);
    }
  });

  it("affine maps x to x * gain + offset with one rounding", () => {
    const x = random(1001, 9);
    const want = Float32Array.from(x, (v) => v * 0.37 - 0.125);
    affineInPlace(x, 0.37, -0.125);
    expect(x).toEqual(want);
  });

  it("16- and 24-bit little-endian PCM converts exactly, for 1, 2 and 3 channels and any frame count", () => {
    const rng = new Rng(5);
    for (const bps of [2, 3] as const) {
      for (const nc of [1, 2, 3]) {
        for (const frames of [1, 7, 8, 9, 4099]) {
          const src = Uint8Array.from({ length: frames * nc * bps + 5 }, () => rng.int(0, 255));
          // Full scale both ways in the first frame.
          src.fill(0, 0, bps);
          src[bps - 1] = 0x80;
          const out = Array.from({ length: nc }, () => new Float32Array(frames + 3));
          pcmIntLeToFloat(src, bps, frames, out, 3);
          for (let c = 0; c < nc; c++) {
            const want = new Float32Array(frames + 3);
            for (let i = 0; i < frames; i++) {
              const p = (i * nc + c) * bps;
              const v =
                bps === 2
                  ? ((src[p + 1] << 24) | (src[p] << 16)) >> 16
                  : ((src[p + 2] << 24) | (src[p + 1] << 16) | (src[p] << 8)) >> 8;
              want[3 + i] = v / 2 ** (bps * 8 - 1);
            }
            expect(out[c]).toEqual(want);
          }
          expect(out[0][3]).toBe(-1);
        }
      }
    }
  });

  it("pack24 writes round(clip(x * 2^23)) little-endian, mono and stereo interleaved, ties and clips included", () => {
    for (const nc of [1, 2]) {
      for (const n of [1, 5, 8, 1003]) {
        const channels = Array.from({ length: nc }, (_, c) => random(n, 7 * n + c));
        const edge = [
          1,
          -1,
          1.5,
          -1.5,
          (2 ** 22 + 0.5) / 2 ** 23,
          -0.5 / 2 ** 23,
          0.5 / 2 ** 23,
          (8388607.5 - 1) / 2 ** 23,
        ];
        for (let i = 0; i < Math.min(n, edge.length); i++) channels[0][i] = edge[i];
        const out = new Uint8Array(3 * nc * n + 2).fill(0xee);
        pack24Into(channels, out, 2);
        const want = new Uint8Array(3 * nc * n + 2).fill(0xee);
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < nc; c++) {
            let v = channels[c][i] * 8388608;
            v = Math.min(8388607, Math.max(-8388608, v));
            const q = Math.round(v);
            const p = 2 + 3 * (i * nc + c);
            want[p] = q & 255;
            want[p + 1] = (q >> 8) & 255;
            want[p + 2] = (q >> 16) & 255;
          }
        }
        expect(out).toEqual(want);
      }
    }
  });

  it("columnStats gives each column's min, max and energy, columns at least one sample wide", () => {
    for (const [n, width] of [
      [1000, 240],
      [100, 240],
      [7, 3],
    ]) {
      const x = random(n, n + width);
      const got = columnStats(x, width);
      for (let c = 0; c < width; c++) {
        const start = Math.min(n - 1, Math.floor((c * n) / width));
        const end = Math.max(start + 1, Math.min(n, Math.floor(((c + 1) * n) / width)));
        const span = Array.from(x.subarray(start, end));
        expect(got[3 * c]).toBe(Math.min(...span));
        expect(got[3 * c + 1]).toBe(Math.max(...span));
        expect(got[3 * c + 2]).toBeCloseTo(
          span.reduce((a, v) => a + v * v, 0),
          12,
        );
      }
    }
  });

  it("long arrays go through in chunks with the same results as short ones", () => {
    const n = 200_003;
    const x = random(n, 99);
    x[150_000] = Number.NaN;
    expect(sampleStats(x).firstNonFinite).toBe(150_000);
    x[150_000] = 0.5;
    const st = sampleStats(x);
    let sum = 0;
    for (const v of x) sum += v;
    expect(st.sum).toBeCloseTo(sum, 6);
    const y = x.slice();
    affineInPlace(y, 0.5, 0.25);
    expect(y).toEqual(Float32Array.from(x, (v) => v * 0.5 + 0.25));
    const z = x.slice();
    mixHalfInPlace(z, y);
    expect(z).toEqual(Float32Array.from(x, (v, i) => (v + y[i]) * 0.5));
    // 16-bit round trip through the integer store, mono and stereo PCM conversion.
    const q = Float32Array.from(x, (v) => Math.round(v * 32767) / 32768 + 0);
    const ints = new Int16Array(n);
    floatToInt16(q, ints, 0);
    expect(int16ToFloat(ints, 0, n)).toEqual(q);
    const bytes = new Uint8Array(ints.buffer);
    const mono = [new Float32Array(n)];
    pcmIntLeToFloat(bytes, 2, n, mono, 0);
    expect(mono[0]).toEqual(q);
    const stereo = [new Float32Array(n >> 1), new Float32Array(n >> 1)];
    pcmIntLeToFloat(bytes, 2, n >> 1, stereo, 0);
    expect(stereo[1]).toEqual(Float32Array.from({ length: n >> 1 }, (_, i) => q[2 * i + 1]));
    const packed = new Uint8Array(3 * n);
    pack24Into([x], packed, 0);
    for (const i of [0, 65_535, 65_536, 131_073, n - 1]) {
      const v = Math.round(Math.min(8388607, Math.max(-8388608, x[i] * 8388608)));
      expect(((packed[3 * i + 2] << 24) | (packed[3 * i + 1] << 16) | (packed[3 * i] << 8)) >> 8).toBe(v);
    }
    // Columns wider than a chunk, and many narrow ones.
    for (const width of [2, 480]) {
      const cols = columnStats(x, width);
      for (const c of [0, width - 1]) {
        const span = Array.from(x.subarray(Math.floor((c * n) / width), Math.floor(((c + 1) * n) / width)));
        expect(cols[3 * c]).toBe(span.reduce((a, v) => Math.min(a, v), Number.POSITIVE_INFINITY));
        expect(cols[3 * c + 1]).toBe(span.reduce((a, v) => Math.max(a, v), Number.NEGATIVE_INFINITY));
      }
    }
  });
});
