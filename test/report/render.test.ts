import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import { MAGMA_LUT } from "../../src/report/render/colormap.js";
import { encodeIndexedPng } from "../../src/report/render/png.js";
import {
  SPECTROGRAM_DEFAULTS,
  spectrogramPng,
  spectrogramRowBand,
} from "../../src/report/render/spectrogram.js";
import { WAVEFORM_DEFAULTS, waveformPng } from "../../src/report/render/waveform.js";

const SR = 44100;

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function px(png: PNG, x: number, y: number): [number, number, number] {
  const p = 4 * (y * png.width + x);
  return [png.data[p], png.data[p + 1], png.data[p + 2]];
}

const luma = ([r, g, b]: [number, number, number]): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;

function hexRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Rows of column x whose colour differs from the background. */
function paintedRows(png: PNG, x: number, bg: [number, number, number]): number[] {
  const rows: number[] = [];
  for (let y = 0; y < png.height; y++) {
    const c = px(png, x, y);
    if (c[0] !== bg[0] || c[1] !== bg[1] || c[2] !== bg[2]) rows.push(y);
  }
  return rows;
}

function sine(hz: number, seconds: number, amp = 0.5, startSec = 0, sr = SR): Float32Array {
  const out = new Float32Array(Math.round(seconds * sr));
  const s0 = Math.round(startSec * sr);
  for (let i = s0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / sr);
  return out;
}

describe("waveformPng", () => {
  const bg = hexRgb(WAVEFORM_DEFAULTS.background);

  it("has exactly the requested dimensions and is opaque", () => {
    for (const [w, h] of [
      [480, 64],
      [37, 11],
      [1, 1],
    ]) {
      const png = decode(waveformPng(sine(220, 0.5), { width: w, height: h }));
      expect([png.width, png.height]).toEqual([w, h]);
      for (let i = 3; i < png.data.length; i += 4) expect(png.data[i]).toBe(255);
    }
  });

  it("draws silence as one flat centre line", () => {
    const png = decode(waveformPng(new Float32Array(SR), { width: 100, height: 64 }));
    for (let x = 0; x < 100; x++) expect(paintedRows(png, x, bg)).toEqual([32]);
  });

  it("draws an empty signal as a flat line too", () => {
    const png = decode(waveformPng(new Float32Array(0), { width: 20, height: 9 }));
    for (let x = 0; x < 20; x++) expect(paintedRows(png, x, bg)).toEqual([4]);
  });

  it("shows an impulse in exactly one column, reaching the top", () => {
    const n = 48000;
    const s = new Float32Array(n);
    s[30000] = 1; // column floor(30000 * 480 / 48000) = 300
    const png = decode(waveformPng(s, { width: 480, height: 64 }));
    const tall: number[] = [];
    for (let x = 0; x < 480; x++) {
      const rows = paintedRows(png, x, bg);
      if (rows.length > 1) tall.push(x);
      else expect(rows).toEqual([32]);
    }
    expect(tall).toEqual([300]);
    const rows = paintedRows(png, 300, bg);
    expect(rows[0]).toBe(0);
    expect(rows.at(-1)).toBe(32);
  });

  it("scales absolutely: a -6 dBFS sine fills about half the height", () => {
    const png = decode(waveformPng(sine(100, 1, 0.5), { width: 50, height: 65 }));
    // Every column holds whole periods' extremes: rows 16..48 (amplitude 0.5 -> 32 * 0.5 = 16 from centre).
    for (let x = 0; x < 50; x++) {
      const rows = paintedRows(png, x, bg);
      expect(rows[0]).toBeGreaterThanOrEqual(15);
      expect(rows[0]).toBeLessThanOrEqual(17);
      expect(rows.at(-1)).toBeGreaterThanOrEqual(47);
      expect(rows.at(-1)).toBeLessThanOrEqual(49);
    }
  });

  it("rejects impossible sizes with the bad value", () => {
    expect(() => waveformPng(new Float32Array(4), { width: 0 })).toThrow(ParameterError);
    expect(() => waveformPng(new Float32Array(4), { height: 2.5 })).toThrow(/height.*got: 2.5/);
  });
});

describe("spectrogramPng", () => {
  const opts = { width: 120, height: 64, minHz: 30, maxHz: 20000 };

  /** Row whose mean luminance over all columns is highest. */
  function brightestRow(png: PNG): number {
    let best = -1;
    let bestY = -1;
    for (let y = 0; y < png.height; y++) {
      let sum = 0;
      for (let x = 0; x < png.width; x++) sum += luma(px(png, x, y));
      if (sum > best) {
        best = sum;
        bestY = y;
      }
    }
    return bestY;
  }

  it("has exactly the requested dimensions", () => {
    const png = decode(spectrogramPng(sine(440, 0.25), SR, { width: 33, height: 17 }));
    expect([png.width, png.height]).toEqual([33, 17]);
  });

  for (const hz of [110, 1000, 5000]) {
    it(`puts a ${hz} Hz sine's brightest row at ${hz} Hz (within one row)`, () => {
      const png = decode(spectrogramPng(sine(hz, 1), SR, opts));
      const y = brightestRow(png);
      const [lo, hi] = spectrogramRowBand(y, opts);
      // One row is log2(20000/30)/64 octaves = 147 cents; allow the neighbouring row (window leakage).
      const rowCents = (1200 * Math.log2(opts.maxHz / opts.minHz)) / opts.height;
      const centreCents = 1200 * Math.log2(Math.sqrt(lo * hi) / hz);
      expect(Math.abs(centreCents)).toBeLessThanOrEqual(rowCents);
    });
  }

  it("puts high frequencies above low ones", () => {
    const low = brightestRow(decode(spectrogramPng(sine(200, 0.5), SR, opts)));
    const high = brightestRow(decode(spectrogramPng(sine(8000, 0.5), SR, opts)));
    expect(high).toBeLessThan(low);
  });

  it("follows time: a sine starting halfway leaves the left half dark", () => {
    const png = decode(spectrogramPng(sine(1000, 2, 0.5, 1), SR, opts));
    const y = brightestRow(png);
    // Columns well before the onset (FFT frames reach 2048 samples = 2 columns around it) are black.
    for (let x = 0; x < 55; x++) expect(luma(px(png, x, y))).toBeLessThan(10);
    for (let x = 65; x < 120; x++) expect(luma(px(png, x, y))).toBeGreaterThan(200);
  });

  it("renders silence black (no auto-gain on nothing)", () => {
    const png = decode(spectrogramPng(new Float32Array(SR), SR, opts));
    for (let i = 0; i < png.data.length; i += 4) expect(png.data[i] + png.data[i + 1]).toBeLessThan(5);
  });

  it("uses a colour map whose lightness rises monotonically", () => {
    let prev = -1;
    for (let i = 0; i < 256; i++) {
      const l = luma([MAGMA_LUT[3 * i], MAGMA_LUT[3 * i + 1], MAGMA_LUT[3 * i + 2]]);
      expect(l).toBeGreaterThanOrEqual(prev);
      prev = l;
    }
  });

  it("clamps the axis to Nyquist and rejects bad input", () => {
    const png = decode(spectrogramPng(sine(3000, 0.5, 0.5, 0, 8000), 8000, { ...opts, maxHz: 20000 }));
    const y = brightestRow(png);
    const [lo, hi] = spectrogramRowBand(y, { ...opts, maxHz: 4000 });
    expect(Math.abs(1200 * Math.log2(Math.sqrt(lo * hi) / 3000))).toBeLessThan(
      (1200 * Math.log2(4000 / 30)) / 64,
    );
    expect(() => spectrogramPng(new Float32Array(10), 0)).toThrow(/sampleRate.*got: 0/);
    expect(() => spectrogramPng(new Float32Array(10), SR, { minHz: 0 })).toThrow(ParameterError);
    expect(SPECTROGRAM_DEFAULTS.fftSize % 32).toBe(0);
  });
});

describe("spectrogramPng at the file's edges", () => {
  it("paints no broadband smear at the start and end of a steady tone", () => {
    const o = { width: 60, height: 48, minHz: 30, maxHz: 11025 };
    const png = decode(spectrogramPng(sine(1000, 1, 0.5, 0, 22050), 22050, o));
    // Rows far from 1 kHz (below 200 Hz) stay dark in every column, the first and last included.
    for (let y = 0; y < png.height; y++) {
      const [lo, hi] = spectrogramRowBand(y, o);
      if (hi > 200) continue;
      for (const x of [0, 1, 30, 58, 59])
        expect(luma(px(png, x, y)), `row ${y} (${lo.toFixed(0)} Hz) col ${x}`).toBeLessThan(60);
    }
  });
});

describe("encodeIndexedPng", () => {
  it("round-trips through an independent decoder (pngjs) pixel for pixel", () => {
    const width = 37;
    const height = 11;
    const palette = Uint8Array.from([0, 0, 0, 255, 0, 0, 10, 200, 30, 1, 2, 3]);
    const indices = new Uint8Array(width * height);
    for (let i = 0; i < indices.length; i++) indices[i] = (i * 7 + (i >> 3)) % 4;
    const png = decode(encodeIndexedPng(indices, { width, height }, palette));
    expect([png.width, png.height]).toEqual([width, height]);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      expect([png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2], png.data[4 * i + 3]]).toEqual([
        palette[3 * k],
        palette[3 * k + 1],
        palette[3 * k + 2],
        255,
      ]);
    }
  });

  it("writes a 256-colour image with the full colour map", () => {
    const indices = Uint8Array.from({ length: 256 }, (_, i) => i);
    const png = decode(encodeIndexedPng(indices, { width: 16, height: 16 }, MAGMA_LUT));
    for (let i = 0; i < 256; i++)
      expect(px(png, i % 16, i >> 4)).toEqual([...MAGMA_LUT.subarray(3 * i, 3 * i + 3)]);
  });

  it("refuses indices outside the palette, a wrong pixel count and a bad palette", () => {
    const two = Uint8Array.from([0, 0, 0, 9, 9, 9]);
    expect(() => encodeIndexedPng(Uint8Array.from([0, 2]), { width: 2, height: 1 }, two)).toThrow(/outside/);
    expect(() => encodeIndexedPng(Uint8Array.from([0]), { width: 2, height: 1 }, two)).toThrow(
      ParameterError,
    );
    expect(() =>
      encodeIndexedPng(Uint8Array.from([0, 0]), { width: 2, height: 1 }, two.subarray(0, 4)),
    ).toThrow(/palette/);
    expect(() => encodeIndexedPng(new Uint8Array(0), { width: 0, height: 1 }, two)).toThrow(/width/);
  });

  it("needs one byte per pixel: a flat 480x64 waveform stays under 1 kB", () => {
    const bytes = encodeIndexedPng(
      new Uint8Array(480 * 64),
      { width: 480, height: 64 },
      Uint8Array.from([1, 2, 3]),
    );
    expect(bytes.length).toBeLessThan(1024);
  });
});
