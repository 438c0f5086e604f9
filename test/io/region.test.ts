import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/dsp/rng.js";
import { decodeFile, decodeRegion, writeWav } from "../../src/io/index.js";
import { fixture, maxAbsDiff } from "./helpers.js";

let dir: string;
let longWav: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "patina-region-"));
  longWav = join(dir, "long48k.wav");
  // 2 s of a chirp plus noise at 48 kHz, 24-bit: long enough for several decoder blocks.
  const n = 96000;
  const rng = new Rng(7);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 48000;
    l[i] = 0.5 * Math.sin(2 * Math.PI * (200 * t + 1000 * t * t)) + 0.05 * (rng.next() - 0.5);
    r[i] = 0.4 * Math.sin(2 * Math.PI * 3000 * t) + 0.05 * (rng.next() - 0.5);
  }
  await writeWav(longWav, { sampleRate: 48000, channels: [l, r] }, { bitDepth: 24 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sub = (x: Float32Array, a: number, b: number): Float32Array => x.subarray(a, Math.min(b, x.length));

describe("decodeRegion equals the same frames of a whole-file decode", () => {
  const cases: [string, () => string, number, number][] = [
    ["WAV (direct seek)", () => longWav, 70001, 81234],
    ["AIFF-C", () => fixture("aifc_fl64.aifc"), 17, 800],
    ["FLAC (decode and discard)", () => fixture("flac_48_24.flac"), 1500, 2400],
    ["MP3 (decode and discard)", () => fixture("mp3_cbr_stereo.mp3"), 2000, 3333],
  ];

  it.each(cases)("%s, native rate: bit-exact", async (_label, path, a, b) => {
    const whole = await decodeFile(path());
    const reg = await decodeRegion(path(), a, b);
    expect(reg.channels[0].length).toBe(b - a);
    for (let c = 0; c < whole.channels.length; c++) {
      expect(maxAbsDiff(reg.channels[c], sub(whole.channels[c], a, b))).toBe(0);
    }
  });

  it.each(cases)("%s, resampled to 44.1/32 kHz: max abs difference < 1e-4", async (_label, path, a, b) => {
    for (const sampleRate of [44100, 32000]) {
      const whole = await decodeFile(path(), { sampleRate });
      if (whole.sampleRate === whole.info.sampleRate) continue;
      const ra = Math.floor((a * sampleRate) / whole.info.sampleRate);
      const rb = Math.floor((b * sampleRate) / whole.info.sampleRate);
      const reg = await decodeRegion(path(), ra, rb, { sampleRate });
      expect(reg.channels[0].length).toBe(rb - ra);
      for (let c = 0; c < whole.channels.length; c++) {
        // The resampler evaluates each output from the same inputs and taps, so this is in fact exact.
        expect(maxAbsDiff(reg.channels[c], sub(whole.channels[c], ra, rb))).toBeLessThan(1e-4);
      }
    }
  });

  it("regions at the very start and end, mono and resampled", async () => {
    const whole = await decodeFile(longWav, { sampleRate: 44100, mono: true });
    const n = whole.channels[0].length;
    expect(n).toBe(88200);
    const head = await decodeRegion(longWav, 0, 5000, { sampleRate: 44100, mono: true });
    const tail = await decodeRegion(longWav, n - 5000, n + 1000, { sampleRate: 44100, mono: true });
    expect(maxAbsDiff(head.channels[0], sub(whole.channels[0], 0, 5000))).toBe(0);
    expect(tail.channels[0].length).toBe(5000); // end clamped to the file's end
    expect(maxAbsDiff(tail.channels[0], sub(whole.channels[0], n - 5000, n))).toBe(0);
  });

  it("an empty or out-of-range region gives no frames; a reversed one is refused", async () => {
    expect((await decodeRegion(longWav, 10, 10)).channels[0].length).toBe(0);
    expect((await decodeRegion(longWav, 200000, 300000)).channels[0].length).toBe(0);
    await expect(decodeRegion(longWav, 10, 5)).rejects.toThrow(/0 <= start <= end/);
  });
});
