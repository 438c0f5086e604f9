import { describe, expect, it } from "vitest";
import { decoderWarning } from "../../src/io/source.js";
import { isDataLoss } from "../../src/io/warnings.js";

const at = { frame: 44100, sampleRate: 44100, byte: 12345 };

describe("isDataLoss: the decoder warnings that mean part of a file could not be read", () => {
  it.each([
    "header claims 3764 bytes of audio data but only 2956 exist; read what exists",
    "header claims 4410 frames but only 739 exist; read what exists",
    "truncated: header says 2205 frames but only 1152 could be decoded",
    "data ends with a partial frame (3 bytes dropped)",
    "FLAC frame at sample 4096 (0:00.1) is damaged; replaced by silence",
    "sample 97 of channel 1 peaks at +62.9 dBFS: float data this far over full scale is probably damaged, not audio",
    decoderWarning("FLAC", "Error: FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC; State: x", at),
    decoderWarning("FLAC", "Error: FLAC__STREAM_DECODER_ERROR_STATUS_BAD_HEADER", at),
    decoderWarning("FLAC", "Error: FLAC__STREAM_DECODER_ERROR_STATUS_FRAME_CRC_MISMATCH", at),
    decoderWarning("FLAC", "Error: FLAC__STREAM_DECODER_ERROR_STATUS_UNPARSEABLE_STREAM", at),
    decoderWarning("MP3", "-1 some mpg123 text", at),
  ])("loss: %s", (w) => {
    expect(isDataLoss(w)).toBe(true);
  });

  it.each([
    "block align 6 differs from 4; using 4",
    "FLAC STREAMINFO holds no length; counted by decoding",
    "FLAC STREAMINFO claims 34359738368 frames, more than the file can hold; counted by decoding",
    "Xing tag claims 99999 frames, more than the file can hold; counted frames instead",
  ])("no loss: %s", (w) => {
    expect(isDataLoss(w)).toBe(false);
  });

  it("decoder warnings say what and where in words, not the library's status code", () => {
    expect(decoderWarning("FLAC", "Error: FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC; State: S", at)).toBe(
      "FLAC decoder: lost the frame sync; damaged bytes were skipped at about 0:01.0 (byte 12,345)",
    );
  });
});
