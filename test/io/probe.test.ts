import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeFile, probe } from "../../src/io/index.js";
import { ffprobeRecords, fixture } from "./helpers.js";

const records = ffprobeRecords();

/**
 * ffprobe reports an MP3's duration as frames x samples-per-frame, counting the LAME encoder delay and
 * padding that a gapless decode removes (ffmpeg's own decoder drops them too: see ffmpeg_decoded_frames).
 * patina reports what the decoder yields. At 44.1 kHz the two agree within 0.05 s; at 32 kHz and at
 * MPEG-2 rates (22.05 kHz, 576-sample frames) the delay and padding alone are longer than 0.05 s.
 */
const GAPLESS_LONGER_THAN_TOLERANCE = new Set(["mp3_long_mpeg2.mp3", "seek_vbr_32k.mp3"]);

describe("probe agrees with ffprobe", () => {
  it.each(Object.keys(records))("%s", async (name) => {
    const rec = records[name];
    const info = await probe(fixture(name));
    expect(info.sampleRate).toBe(rec.sample_rate);
    expect(info.channels).toBe(rec.channels);
    expect(info.codec).toBe(rec.codec);
    if (!GAPLESS_LONGER_THAN_TOLERANCE.has(name)) {
      expect(Math.abs(info.durationSec - rec.duration_sec)).toBeLessThanOrEqual(0.05);
    }
    // The frame count is exact: ffmpeg decodes the same number of frames (it mis-trims one file, below).
    if (name !== "mp3_id3_picture.mp3") expect(info.frames).toBe(rec.ffmpeg_decoded_frames);
  });

  it("MPEG-2 MP3: ffprobe's figure exceeds the gapless length by exactly the LAME delay + padding", async () => {
    const info = await probe(fixture("mp3_long_mpeg2.mp3"));
    const rec = records["mp3_long_mpeg2.mp3"];
    expect(info.durationSec).toBeCloseTo(5.0, 6);
    const extraFrames = Math.round((rec.duration_sec - info.durationSec) * rec.sample_rate);
    // ffprobe counts whole 576-sample frames; the difference is what the LAME tag says to drop.
    expect(((info.frames ?? 0) + extraFrames) % 576).toBe(0);
    expect(extraFrames).toBeGreaterThan(576);
  });

  it("probe's frame count equals what decoding yields, for every container", async () => {
    for (const name of [
      "wav_s24.wav",
      "aiff_s16.aiff",
      "flac_48_16.flac",
      "mp3_long_vbr.mp3",
      "mp3_long_cbr_noxing.mp3",
    ]) {
      const info = await probe(fixture(name));
      const d = await decodeFile(fixture(name));
      expect(d.channels[0].length, name).toBe(info.frames);
    }
  });

  it("reports bit depth, container and size from headers", async () => {
    const w = await probe(fixture("wav_extensible_s24.wav"));
    expect([w.container, w.bitDepth, w.warnings.length]).toEqual(["wav", 24, 0]);
    const a = await probe(fixture("aifc_fl64.aifc"));
    expect([a.container, a.codec, a.bitDepth]).toEqual(["aiff", "pcm_f64be", 64]);
    const f = await probe(fixture("flac_44_24.flac"));
    expect([f.container, f.bitDepth]).toEqual(["flac", 24]);
    const m = await probe(fixture("mp3_id3_picture.mp3"));
    expect([m.container, m.bitDepth, m.sizeBytes]).toEqual([
      "mp3",
      null,
      statSync(fixture("mp3_id3_picture.mp3")).size,
    ]);
  });
});
