import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ParameterError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";
import { decodeFile, encodeWav, probe, writeWav } from "../../src/io/index.js";
import { SMPL_NO_ROOT_UNITY_NOTE, smplPitch } from "../../src/io/wav-writer.js";
import { fixture, maxAbsDiff } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "patina-wav-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Samples on the 2^(bits-1) grid (what a file of that depth can hold exactly), including full scale. */
function gridSignal(n: number, bits: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const full = 2 ** (bits - 1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.int(-full, full - 1) / full;
  x[0] = -1;
  x[1] = (full - 1) / full;
  return x;
}

/** Find a chunk by id in a RIFF file. */
function chunk(b: Uint8Array, id: string): DataView | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 12;
  while (p + 8 <= b.length) {
    const name = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
    const size = v.getUint32(p + 4, true);
    if (name === id) return new DataView(b.buffer, b.byteOffset + p + 8, size);
    p += 8 + size + (size & 1);
  }
  return null;
}

describe("WAV round trips", () => {
  it.each([16, 24] as const)("%i-bit PCM stereo is bit-exact (no dither)", async (bits) => {
    const audio = { sampleRate: 44100, channels: [gridSignal(5001, bits, 1), gridSignal(5001, bits, 2)] };
    const p = join(dir, `rt${bits}.wav`);
    await writeWav(p, audio, { bitDepth: bits });
    const d = await decodeFile(p);
    expect(d.info.codec).toBe(bits === 16 ? "pcm_s16le" : "pcm_s24le");
    expect(maxAbsDiff(d.channels[0], audio.channels[0])).toBe(0);
    expect(maxAbsDiff(d.channels[1], audio.channels[1])).toBe(0);
    expect(d.warnings).toEqual([]);
  });

  it("32-bit float mono is bit-exact for any float, including values beyond full scale", async () => {
    const rng = new Rng(3);
    const x = new Float32Array(3000).map(() => rng.uniform(-1.5, 1.5));
    const p = join(dir, "rt32.wav");
    await writeWav(p, { sampleRate: 48000, channels: [x] }, { bitDepth: 32 });
    const d = await decodeFile(p);
    expect([d.info.codec, d.sampleRate, d.channels.length]).toEqual(["pcm_f32le", 48000, 1]);
    expect(maxAbsDiff(d.channels[0], x)).toBe(0);
  });

  it("AIFF fixtures re-written as WAV read back identically", async () => {
    for (const [name, bits] of [
      ["aiff_s16.aiff", 16],
      ["aiff_s24.aif", 24],
      ["aifc_fl32.aifc", 32],
    ] as const) {
      const a = await decodeFile(fixture(name));
      const p = join(dir, `${name}.wav`);
      await writeWav(p, a, { bitDepth: bits });
      const b = await decodeFile(p);
      for (let c = 0; c < 2; c++) expect(maxAbsDiff(a.channels[c], b.channels[c])).toBe(0);
    }
  });

  it("16-bit TPDF dither: seeded (identical bytes), within +-1 LSB, and decorrelated from the signal", () => {
    const n = 20000;
    const x = new Float32Array(n).map((_, i) => 0.25 * Math.sin((2 * Math.PI * 440 * i) / 44100));
    const a = encodeWav({ sampleRate: 44100, channels: [x] }, { bitDepth: 16, dither: { seed: 5 } });
    const b = encodeWav({ sampleRate: 44100, channels: [x] }, { bitDepth: 16, dither: { seed: 5 } });
    const c = encodeWav({ sampleRate: 44100, channels: [x] }, { bitDepth: 16, dither: { seed: 6 } });
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, c)).not.toBe(0);
    const data = chunk(a, "data")!;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const err = data.getInt16(2 * i, true) - x[i] * 32768;
      expect(Math.abs(err)).toBeLessThanOrEqual(1.5);
      sum += err;
      sumSq += err * err;
    }
    // TPDF of +-1 LSB plus rounding: error variance 1/6 + 1/12 = 0.25 LSB^2, zero mean.
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(sumSq / n).toBeGreaterThan(0.22);
    expect(sumSq / n).toBeLessThan(0.28);
  });

  it("clips integer output instead of wrapping", () => {
    const x = new Float32Array([2, -2, 1, -1]);
    const d = chunk(encodeWav({ sampleRate: 8000, channels: [x] }, { bitDepth: 16 }), "data")!;
    expect([0, 1, 2, 3].map((i) => d.getInt16(2 * i, true))).toEqual([32767, -32768, 32767, -32768]);
  });
});

describe("smpl chunk", () => {
  it("stores loop start and inclusive end, the root note and its cents (+25 cents: fraction 2^30)", async () => {
    const x = new Float32Array(1000);
    const bytes = encodeWav(
      { sampleRate: 44100, channels: [x, x] },
      { bitDepth: 24, loop: { start: 10, end: 1000 }, rootMidi: 57, rootCents: 25 },
    );
    const s = chunk(bytes, "smpl")!;
    expect(s.byteLength).toBe(36 + 24);
    expect(s.getUint32(8, true)).toBe(Math.round(1e9 / 44100));
    expect(s.getUint32(12, true)).toBe(57);
    expect(s.getUint32(16, true)).toBe(2 ** 30);
    expect(s.getUint32(28, true)).toBe(1);
    expect(s.getUint32(36 + 4, true)).toBe(0); // forward loop
    expect(s.getUint32(36 + 8, true)).toBe(10);
    expect(s.getUint32(36 + 12, true)).toBe(999);
    expect(s.getUint32(36 + 20, true)).toBe(0); // loop forever
    // The file still decodes and probes cleanly with the extra chunk.
    const p = join(dir, "smpl.wav");
    writeFileSync(p, bytes);
    expect((await probe(p)).warnings).toEqual([]);
    expect((await decodeFile(p)).channels[0].length).toBe(1000);
  });

  it("rejects loops outside the audio and impossible MIDI values", () => {
    const a = { sampleRate: 44100, channels: [new Float32Array(100)] };
    expect(() => encodeWav(a, { bitDepth: 16, loop: { start: 50, end: 101 } })).toThrow(ParameterError);
    expect(() => encodeWav(a, { bitDepth: 16, loop: { start: 50, end: 50 } })).toThrow(
      /0 <= start < end <= 100/,
    );
    expect(() => encodeWav(a, { bitDepth: 16, rootMidi: 128 })).toThrow(/rootMidi/);
    expect(() => encodeWav(a, { bitDepth: 16, rootMidi: 60.5 })).toThrow(/rootMidi/);
    expect(() => encodeWav(a, { bitDepth: 16, rootMidi: 60, rootCents: 51 })).toThrow(/rootCents/);
    expect(() => encodeWav(a, { bitDepth: 16, rootCents: 10 })).toThrow(/needs rootMidi/);
  });

  /** The sounding pitch a sampler reads from the chunk: unity note + fraction of a semitone up. */
  const smplPitchOf = (bytes: Uint8Array): number => {
    const s = chunk(bytes, "smpl")!;
    return s.getUint32(12, true) + s.getUint32(16, true) / 2 ** 32;
  };

  it("stores a flat root as the note below plus the complement (A4 -20 cents: G#4 + 80 cents, to 0.01 cent)", () => {
    const a = { sampleRate: 44100, channels: [new Float32Array(100)] };
    const bytes = encodeWav(a, { bitDepth: 16, loop: { start: 0, end: 100 }, rootMidi: 69, rootCents: -20 });
    const s = chunk(bytes, "smpl")!;
    expect(s.getUint32(12, true)).toBe(68);
    expect(Math.abs(s.getUint32(16, true) / 2 ** 32 - 0.8) * 100).toBeLessThan(0.01);
    for (const [midi, cents] of [
      [36, 0],
      [48, 49.9],
      [60, -50],
      [72, -0.4],
      [96, 12.3],
      [127, 50],
    ] as const) {
      const b = encodeWav(a, {
        bitDepth: 16,
        loop: { start: 0, end: 100 },
        rootMidi: midi,
        rootCents: cents,
      });
      expect(Math.abs(smplPitchOf(b) - (midi + cents / 100)) * 100, `${midi} ${cents}`).toBeLessThan(0.01);
    }
    // MIDI note 0 cannot go below: its flat cents are dropped rather than wrapping.
    expect(smplPitch(0, -30)).toEqual({ unityNote: 0, fraction: 0 });
  });

  it("claims no root when none is given: the loop stays, with the chunk's default unity note and no fraction", () => {
    const a = { sampleRate: 44100, channels: [new Float32Array(100)] };
    const bytes = encodeWav(a, { bitDepth: 16, loop: { start: 5, end: 100 } });
    const s = chunk(bytes, "smpl")!;
    expect(s.getUint32(12, true)).toBe(SMPL_NO_ROOT_UNITY_NOTE);
    expect(SMPL_NO_ROOT_UNITY_NOTE).toBe(60);
    expect(s.getUint32(16, true)).toBe(0);
    expect(s.getUint32(28, true)).toBe(1);
    expect(s.getUint32(36 + 8, true)).toBe(5);
    // Without a loop and a root there is nothing to say: no chunk.
    expect(chunk(encodeWav(a, { bitDepth: 16 }), "smpl")).toBeNull();
  });

  it("rejects NaN samples, more than two channels, mismatched lengths", () => {
    const ok = new Float32Array(10);
    expect(() =>
      encodeWav({ sampleRate: 44100, channels: [new Float32Array([0, Number.NaN])] }, { bitDepth: 24 }),
    ).toThrow(/sample 1 is NaN/);
    expect(() => encodeWav({ sampleRate: 44100, channels: [ok, ok, ok] }, { bitDepth: 24 })).toThrow(
      /mono or stereo/,
    );
    expect(() =>
      encodeWav({ sampleRate: 44100, channels: [ok, new Float32Array(9)] }, { bitDepth: 24 }),
    ).toThrow(/differ in length/);
  });

  it("writeWav leaves no temporary file behind", async () => {
    const sub = mkdtempSync(join(dir, "clean-"));
    await writeWav(
      join(sub, "a.wav"),
      { sampleRate: 44100, channels: [new Float32Array(10)] },
      { bitDepth: 16 },
    );
    expect(readdirSync(sub)).toEqual(["a.wav"]);
    expect(readFileSync(join(sub, "a.wav")).subarray(0, 4).toString()).toBe("RIFF");
  });
});
