import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DecodeError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";
import { decodeFile, decodeRegion, openAudio, probe } from "../../src/io/index.js";
import { fixture } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "patina-bad-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function decodeError(path: string): Promise<DecodeError> {
  try {
    await decodeFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error(`expected ${path} to fail`);
}

describe("bad input gives a DecodeError naming the file and the problem", () => {
  it.each([
    ["text_named_as.wav", "not-audio", /not a WAV, AIFF, FLAC or MP3/],
    ["bad_empty.wav", "zero-length", /empty/],
    ["bad_zero_length.wav", "zero-length", /no audio frames/],
    ["bad_header_only.wav", "truncated", /ends inside the fmt chunk/],
    ["bad_nan.wav", "non-finite", /sample 50 of channel 1 is NaN/],
    ["bad_header_only.flac", "corrupt", /no FLAC frames/],
  ])("%s -> %s", async (name, reason, message) => {
    const err = await decodeError(fixture(name));
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(message);
    expect(err.path).toBe(fixture(name));
    expect(err.message.startsWith(fixture(name))).toBe(true);
  });

  it("a missing file is an io error", async () => {
    const err = await decodeError(join(dir, "nope.wav"));
    expect(err.reason).toBe("io");
    expect(err.message).toMatch(/ENOENT/);
    await expect(probe(join(dir, "nope.wav"))).rejects.toThrow(DecodeError);
  });

  it("a directory is refused", async () => {
    expect((await decodeError(dir)).reason).toBe("io");
  });

  it("Inf samples are rejected too, in streaming and region reads", async () => {
    const b = readFileSync(fixture("wav_f32.wav"));
    const d = b.indexOf("data") + 8;
    b.writeFloatLE(Number.NEGATIVE_INFINITY, d + 4 * 2 * 700 + 4);
    const p = join(dir, "inf.wav");
    writeFileSync(p, b);
    await expect(decodeRegion(p, 600, 800)).rejects.toThrow(/sample 700 of channel 2 is -Infinity/);
    const s = await openAudio(p, { chunkFrames: 64 });
    await expect(
      (async () => {
        for await (const _ of s) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ reason: "non-finite" });
  });

  it.each([
    ["bad_truncated.wav", 739, /header claims 3764 bytes of audio data but only 2956 exist/],
    ["bad_truncated.flac", 1152, /truncated: header says 2205 frames but only 1152/],
    ["bad_truncated.mp3", 1199, /truncated: header says 4410 frames but only 1199/],
  ])("%s: reads what exists, with a warning", async (name, frames, warning) => {
    const d = await decodeFile(fixture(name));
    expect(d.channels[0].length).toBe(frames);
    expect(d.warnings.join("\n")).toMatch(warning);
  });

  it("an unsupported WAV codec is named", async () => {
    const b = Buffer.from(readFileSync(fixture("wav_s16.wav")));
    b.writeUInt16LE(2, 20); // MS ADPCM
    const p = join(dir, "adpcm.wav");
    writeFileSync(p, b);
    const err = await decodeError(p);
    expect(err.reason).toBe("unsupported-codec");
    expect(err.message).toMatch(/format tag 0x2/);
  });
});

describe("fuzz: truncated and garbled headers never crash or hang", () => {
  const sources = [
    "wav_s16.wav",
    "wav_rf64_s16.wav",
    "aifc_sowt.aifc",
    "flac_44_16.Flac",
    "mp3_vbr_mono.mp3",
  ];
  const rng = new Rng(2024);
  const cases: [string, string][] = [];
  for (const name of sources) {
    const orig = readFileSync(fixture(name));
    for (let k = 0; k < 6; k++) {
      const b = Buffer.from(orig.subarray(0, k < 3 ? rng.int(0, Math.min(orig.length, 200)) : orig.length));
      if (k >= 3) for (let j = 0; j < 8; j++) b[rng.int(0, Math.min(b.length - 1, 120))] = rng.int(0, 255);
      const p = join(dir, `fuzz_${k}_${name}`);
      writeFileSync(p, b);
      cases.push([`${name} #${k}`, p]);
    }
  }
  it.each(cases)("%s", async (_label, p) => {
    // Either a decode (possibly with warnings) or a DecodeError; nothing else, within the test timeout.
    try {
      const d = await decodeFile(p);
      expect(d.channels[0].length).toBeGreaterThan(0);
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
    }
    try {
      await probe(p);
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
    }
  });
});
