/**
 * Hostile headers are refused at the boundary, before anything is sized from them: channel counts
 * and sample rates no recording has, FLAC lengths the file cannot hold, floats far over full scale,
 * and a decoder trap (a corrupt FLAC frame) reported as a place in the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DecodeError } from "../../src/core/errors.js";
import { decodeFile, openAudio, probe } from "../../src/io/index.js";
import { clockTime } from "../../src/io/limits.js";
import { fixture } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "patina-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 16-bit AIFF (or AIFF-C "sowt") whose COMM claims `claimChannels`; 57,000 real stereo frames (228 KB). */
function aiff(claimChannels: number, rate = 44100, sowt = false): Buffer {
  const frames = 57000;
  const data = frames * 2 * 2;
  const commSize = sowt ? 24 : 18;
  const b = Buffer.alloc(12 + 8 + commSize + 16 + data);
  b.write("FORM", 0);
  b.writeUInt32BE(b.length - 8, 4);
  b.write(sowt ? "AIFC" : "AIFF", 8);
  b.write("COMM", 12);
  b.writeUInt32BE(commSize, 16);
  b.writeUInt16BE(claimChannels, 20);
  b.writeUInt32BE(frames, 22);
  b.writeUInt16BE(16, 26);
  const e = Math.floor(Math.log2(rate));
  b.writeUInt16BE(16383 + e, 28);
  b.writeUInt32BE(((rate / 2 ** e) * 2 ** 31) >>> 0, 30);
  if (sowt) b.write("sowt", 38);
  const ssnd = 20 + commSize;
  b.write("SSND", ssnd);
  b.writeUInt32BE(8 + data, ssnd + 4);
  for (let i = 0; i < frames * 2; i++) {
    const v = Math.round(0.3 * Math.sin(i * 0.01) * 32767);
    if (sowt) b.writeInt16LE(v, ssnd + 16 + 2 * i);
    else b.writeInt16BE(v, ssnd + 16 + 2 * i);
  }
  return b;
}

/** A stereo WAV, 16-bit PCM or 32-bit float, whose fmt chunk claims `claimRate`. */
function wav(
  claimRate: number,
  float = false,
  samples: (i: number) => number = (i) => 0.3 * Math.sin(i * 0.01),
): Buffer {
  const frames = 28000;
  const bps = float ? 4 : 2;
  const data = frames * 2 * bps;
  const b = Buffer.alloc(44 + data);
  b.write("RIFF", 0);
  b.writeUInt32LE(36 + data, 4);
  b.write("WAVEfmt ", 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(float ? 3 : 1, 20);
  b.writeUInt16LE(2, 22);
  b.writeUInt32LE(claimRate, 24);
  b.writeUInt32LE(claimRate * 2 * bps, 28);
  b.writeUInt16LE(2 * bps, 32);
  b.writeUInt16LE(bps * 8, 34);
  b.write("data", 36);
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < frames * 2; i++) {
    if (float) b.writeFloatLE(samples(i), 44 + 4 * i);
    else b.writeInt16LE(Math.round(samples(i) * 32767), 44 + 2 * i);
  }
  return b;
}

function save(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function refusal(path: string): Promise<DecodeError> {
  const err = await probe(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DecodeError);
  // Decoding refuses the same way, before anything is allocated for the claim.
  await expect(decodeFile(path)).rejects.toThrow((err as DecodeError).message);
  return err as DecodeError;
}

describe("header limits: 1-32 channels, 8,000-384,000 Hz", () => {
  it.each([
    [
      "AIFF claiming 65,535 channels",
      () => aiff(65535),
      /claims 65,535 channels; patina reads files of 1 to 32/,
    ],
    ["AIFF claiming 33 channels", () => aiff(33), /claims 33 channels/],
    ["AIFF-C sowt claiming 32,769 channels", () => aiff(32769, 44100, true), /claims 32,769 channels/],
    ["AIFF claiming 0 channels", () => aiff(0), /claims 0 channels/],
    ["AIFF-C claiming 1 Hz", () => aiff(2, 1, true), /sample rate of 1 Hz; patina reads 8,000 to 384,000 Hz/],
    ["WAV claiming 1 Hz", () => wav(1), /sample rate of 1 Hz/],
    ["float WAV claiming 8 Hz", () => wav(8, true), /sample rate of 8 Hz/],
    ["WAV claiming 7,999 Hz", () => wav(7999), /sample rate of 7,999 Hz/],
    ["WAV claiming 384,001 Hz", () => wav(384001), /sample rate of 384,001 Hz/],
  ])("%s: DecodeError (corrupt) naming the file and the claim", async (_label, make, message) => {
    const path = save("hostile.aif", make());
    const err = await refusal(path);
    expect(err.reason).toBe("corrupt");
    expect(err.message.startsWith(`${path}: the header `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it("the limits themselves are accepted: 32 channels, 8,000 and 384,000 Hz", async () => {
    expect((await probe(save("a.aif", aiff(2, 8000)))).sampleRate).toBe(8000);
    expect((await probe(save("b.wav", wav(384000)))).sampleRate).toBe(384000);
    // 57,000 stereo frames read as 32 channels: 3,562 whole frames.
    const info = await probe(save("c.aif", aiff(32)));
    expect([info.channels, info.frames]).toEqual([32, 3562]);
  });

  it("an AIFF's 80-bit rate that is not a number is called unreadable", async () => {
    const b = aiff(2);
    b.writeUInt16BE(0x7fff, 28);
    const err = await refusal(save("nan.aif", b));
    expect(err.message).toMatch(/holds no readable sample rate/);
  });
});

describe("lengths are taken from what the file holds", () => {
  it("a FLAC whose STREAMINFO claims more frames than the file can hold is counted by decoding, with a warning", async () => {
    const b = Buffer.from(readFileSync(fixture("flac_48_16.flac")));
    // STREAMINFO total samples: 36 bits ending at byte 8 + 17; claim 2^35.
    b[8 + 13] = (b[8 + 13] & 0xf0) | 0x08;
    const path = save("liar.flac", b);
    const info = await probe(path);
    const truth = await probe(fixture("flac_48_16.flac"));
    expect(info.frames).toBe(truth.frames);
    expect(info.warnings.join("\n")).toMatch(
      /claims 34359\d+ frames, more than the file can hold; counted by decoding/,
    );
    expect((await decodeFile(path)).channels[0].length).toBe(truth.frames);
  });
});

describe("float data far over full scale is flagged", () => {
  it("garbage floats (+57 dBFS) decode with a warning naming the sample and its level", async () => {
    const path = save(
      "garbage.wav",
      wav(44100, true, (i) => (i === 1001 ? 700 : 0.25)),
    );
    const d = await decodeFile(path);
    expect(d.warnings).toEqual([
      "sample 500 of channel 2 peaks at +56.9 dBFS: float data this far over full scale is probably damaged, not audio",
    ]);
  });

  it("floats up to +6 dBFS are legitimate overs: no warning", async () => {
    const path = save(
      "hot.wav",
      wav(44100, true, (i) => (i === 1001 ? 1.99 : 0.25)),
    );
    expect((await decodeFile(path)).warnings).toEqual([]);
    const stream = await openAudio(path);
    for await (const _ of stream) {
      // drain
    }
    expect(stream.warnings).toEqual([]);
  });
});

describe("a decoder trap is a corrupt file at a place", () => {
  it("bad_flac_decoder_trap.flac (a WebAssembly 'memory access out of bounds' in libFLAC): corrupt at 0:00.1, byte 8,717", async () => {
    const path = fixture("bad_flac_decoder_trap.flac");
    const err = await decodeFile(path).then(
      () => null,
      (e: unknown) => e as DecodeError,
    );
    expect(err).toBeInstanceOf(DecodeError);
    expect(err?.reason).toBe("corrupt");
    expect(err?.message).toBe(
      `${path}: the file is corrupt at about 0:00.1 (byte 8,717): the FLAC decoder cannot read on`,
    );
    expect(String(err?.cause)).toMatch(/RuntimeError/);
  });

  it("clockTime reads like a musician's counter", () => {
    expect([clockTime(0), clockTime(13.26), clockTime(65.3), clockTime(3725)]).toEqual([
      "0:00.0",
      "0:13.3",
      "1:05.3",
      "1:02:05.0",
    ]);
  });
});
