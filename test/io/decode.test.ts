import { describe, expect, it } from "vitest";
import { decodeFile, openAudio } from "../../src/io/index.js";
import { fixture, maxAbsDiff, readReference } from "./helpers.js";

/** Lossless fixtures: patina's decode must equal ffmpeg's float decode exactly. */
const LOSSLESS: [string, number][] = [
  ["wav_u8.wav", 2],
  ["wav_s16.wav", 2],
  ["wav_s24.wav", 2],
  ["wav_s32.wav", 2],
  ["wav_f32.wav", 2],
  ["wav_f64.wav", 2],
  ["wav_extensible_s24.wav", 2],
  ["wav_rf64_s16.wav", 2],
  ["wav_6ch_s16.wav", 6],
  ["aiff_s16.aiff", 2],
  ["aiff_s24.aif", 2],
  ["aifc_sowt.aifc", 2],
  ["aifc_fl32.aifc", 2],
  ["aifc_fl64.aifc", 2],
  ["flac_44_16.Flac", 2],
  ["flac_44_24.flac", 2],
  ["flac_48_16.flac", 2],
  ["flac_48_24.flac", 2],
];

describe("decodeFile against reference decodes", () => {
  it.each(LOSSLESS)("%s equals ffmpeg's decode bit for bit", async (name, nch) => {
    const ref = readReference(name, nch);
    const d = await decodeFile(fixture(name));
    expect(d.channels.length).toBe(nch);
    for (let c = 0; c < nch; c++) expect(maxAbsDiff(d.channels[c], ref[c])).toBe(0);
    expect(d.warnings).toEqual([]);
  });

  // Two float MP3 decoders (mpg123 vs ffmpeg's mp3float) differ only by rounding: allow 1e-5 (-100 dBFS).
  it.each([
    ["mp3_cbr_stereo.mp3", 2],
    ["mp3_vbr_mono.mp3", 1],
  ] as const)("%s matches ffmpeg's gapless decode within 1e-5", async (name, nch) => {
    const ref = readReference(name, nch);
    const d = await decodeFile(fixture(name));
    expect(d.channels.length).toBe(nch);
    for (let c = 0; c < nch; c++) expect(maxAbsDiff(d.channels[c], ref[c])).toBeLessThan(1e-5);
  });

  it("integer PCM is scaled by 1/2^(bits-1): 16-bit samples are exact multiples of 1/32768", async () => {
    const d = await decodeFile(fixture("flac_44_16.Flac"));
    for (const v of d.channels[0]) expect(Number.isInteger(v * 32768)).toBe(true);
    const peak = d.channels[0].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(0.1);
  });

  it("a FLAC named .mp3 decodes as FLAC", async () => {
    const a = await decodeFile(fixture("flac_named_as.mp3"));
    const b = await decodeFile(fixture("flac_48_16.flac"));
    expect(a.info.container).toBe("flac");
    expect(maxAbsDiff(a.channels[1], b.channels[1])).toBe(0);
  });

  it("an MP3 with a large ID3v2 picture decodes like the same MP3 without it", async () => {
    const a = await decodeFile(fixture("mp3_id3_picture.mp3"));
    const b = await decodeFile(fixture("mp3_vbr_mono.mp3"));
    expect(a.info.sizeBytes).toBeGreaterThan(b.info.sizeBytes + 30000);
    expect(maxAbsDiff(a.channels[0], b.channels[0])).toBe(0);
  });

  it("an odd-sized unknown chunk with its pad byte is skipped", async () => {
    const a = await decodeFile(fixture("wav_odd_chunk.WAV"));
    const b = await decodeFile(fixture("wav_s16.wav"));
    expect(maxAbsDiff(a.channels[0], b.channels[0])).toBe(0);
    expect(maxAbsDiff(a.channels[1], b.channels[1])).toBe(0);
  });

  it("mono averages the channels", async () => {
    const st = await decodeFile(fixture("wav_s24.wav"));
    const mono = await decodeFile(fixture("wav_s24.wav"), { mono: true });
    expect(mono.channels.length).toBe(1);
    for (const i of [0, 100, 500, 940]) {
      expect(mono.channels[0][i]).toBeCloseTo((st.channels[0][i] + st.channels[1][i]) / 2, 7);
    }
  });

  it("a 6-channel WAV downmixes to mono", async () => {
    const six = await decodeFile(fixture("wav_6ch_s16.wav"));
    const mono = await decodeFile(fixture("wav_6ch_s16.wav"), { mono: true });
    const i = 123;
    const avg = six.channels.reduce((s, ch) => s + ch[i], 0) / 6;
    expect(mono.channels[0][i]).toBeCloseTo(avg, 7);
  });
});

describe("openAudio streaming", () => {
  it.each(["wav_s16.wav", "aifc_fl32.aifc", "flac_48_24.flac", "mp3_cbr_stereo.mp3"])(
    "%s: chunks of chunkFrames with offsets concatenate to the whole-file decode",
    async (name) => {
      const whole = await decodeFile(fixture(name));
      const stream = await openAudio(fixture(name), { chunkFrames: 300 });
      expect(stream.sampleRate).toBe(whole.sampleRate);
      expect(stream.channels).toBe(whole.channels.length);
      let expectOffset = 0;
      const n = whole.channels[0].length;
      for await (const chunk of stream) {
        expect(chunk.offset).toBe(expectOffset);
        const len = chunk.channels[0].length;
        expect(len === 300 || chunk.offset + len === n).toBe(true);
        for (let c = 0; c < chunk.channels.length; c++) {
          expect(
            maxAbsDiff(chunk.channels[c], whole.channels[c].subarray(chunk.offset, chunk.offset + len)),
          ).toBe(0);
        }
        expectOffset += len;
      }
      expect(expectOffset).toBe(n);
    },
  );

  it.each(["wav_s16.wav", "flac_48_24.flac", "mp3_cbr_stereo.mp3"])(
    '%s: chunkFrames "any" (decoder blocks, mono) concatenates to the whole-file mono decode',
    async (name) => {
      const whole = await decodeFile(fixture(name), { mono: true });
      const stream = await openAudio(fixture(name), { mono: true, chunkFrames: "any" });
      let expectOffset = 0;
      for await (const chunk of stream) {
        expect(chunk.offset).toBe(expectOffset);
        const len = chunk.channels[0].length;
        expect(len).toBeGreaterThan(0);
        expect(
          maxAbsDiff(chunk.channels[0], whole.channels[0].subarray(chunk.offset, chunk.offset + len)),
        ).toBe(0);
        expectOffset += len;
      }
      expect(expectOffset).toBe(whole.channels[0].length);
    },
  );

  it("resampled streaming equals the resampled whole-file decode", async () => {
    const whole = await decodeFile(fixture("flac_48_16.flac"), { sampleRate: 44100, mono: true });
    const stream = await openAudio(fixture("flac_48_16.flac"), {
      sampleRate: 44100,
      mono: true,
      chunkFrames: 1000,
    });
    const parts: Float32Array[] = [];
    for await (const c of stream) parts.push(c.channels[0]);
    const joined = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
    }
    expect(joined.length).toBe(Math.round((2600 * 44100) / 48000));
    expect(maxAbsDiff(joined, whole.channels[0])).toBe(0);
  });

  it("breaking out early releases the stream; a second iteration is refused", async () => {
    const stream = await openAudio(fixture("wav_s16.wav"), { chunkFrames: 100 });
    for await (const c of stream) {
      expect(c.offset).toBe(0);
      break;
    }
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});
