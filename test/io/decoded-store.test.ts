import { describe, expect, it } from "vitest";
import { decodeRegion, openAudio } from "../../src/io/decode.js";
import { DecodedStore } from "../../src/io/decoded-store.js";
import { probe } from "../../src/io/probe.js";
import { fixture } from "./helpers.js";

/** Stream a file as make's analysis pass does, keeping its samples in a store. */
async function streamIntoStore(
  path: string,
  maxBytes = 1 << 30,
): Promise<{ store: DecodedStore | null; frames: number }> {
  let store: DecodedStore | null | undefined;
  const stream = await openAudio(path, {
    mono: true,
    chunkFrames: "any",
    onNativeBlock: (block) => {
      if (store === undefined) store = DecodedStore.for(stream.info, stream.info.sampleRate, maxBytes);
      store?.append(block);
    },
  });
  let frames = 0;
  for await (const chunk of stream) frames += chunk.channels[0].length;
  return { store: store ?? null, frames };
}

describe("decoded store (region reads from the analysis pass)", () => {
  it.each([
    ["FLAC 16-bit, kept as integers", "flac_44_16.Flac"],
    ["FLAC 24-bit, kept as floats", "flac_48_24.flac"],
    ["AIFF 16-bit", "aiff_s16.aiff"],
    ["MP3", "mp3_cbr_stereo.mp3"],
  ])("%s: every region equals the file's own region decode, bit for bit", async (_label, name) => {
    const path = fixture(name);
    const { store, frames } = await streamIntoStore(path);
    expect(store).not.toBeNull();
    expect(store?.holds(frames)).toBe(true);
    for (const [a, b] of [
      [0, 1],
      [17, 4111],
      [Math.floor(frames / 3), frames],
      [frames - 5, frames],
    ]) {
      const e = Math.min(b, frames);
      const want = await decodeRegion(path, a, e);
      expect(store?.region(a, e)).toEqual(want.channels);
    }
  });

  it("declines what a region read would return differently, and what does not fit", async () => {
    const { store: small } = await streamIntoStore(fixture("flac_44_16.Flac"), 1000);
    expect(small).toBeNull();
    let resampled: DecodedStore | null | undefined;
    const stream = await openAudio(fixture("flac_48_16.flac"), {
      sampleRate: 44100,
      onNativeBlock: () => {
        resampled ??= DecodedStore.for(stream.info, 44100, 1 << 30);
      },
    });
    for await (const _ of stream) {
      // drain
    }
    expect(resampled).toBeNull();
  });

  it("is never sized from a FLAC/MP3 length the file cannot hold (over 16 frames per byte)", async () => {
    const info = await probe(fixture("flac_48_16.flac"));
    expect(DecodedStore.for(info, info.sampleRate, 1 << 30)).not.toBeNull();
    const claim = { ...info, frames: 16 * info.sizeBytes + 1 };
    expect(DecodedStore.for(claim, info.sampleRate, 1 << 30)).toBeNull();
    // WAV/AIFF lengths are counted from the bytes present: trusted as they are.
    const wav = await probe(fixture("wav_s16.wav"));
    expect(DecodedStore.for(wav, wav.sampleRate, 1 << 30)?.bytes).toBe((wav.frames ?? 0) * wav.channels * 2);
  });
});
