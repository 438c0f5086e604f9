/** Test helpers for discovery: hand-made WAV bytes and a tiny header-only probe stub. */
import { readFile } from "node:fs/promises";
import { DecodeError } from "../../src/core/errors.js";
import type { AudioInfo } from "../../src/io/types.js";

/** A 16-bit PCM WAV of silence: 44-byte canonical header plus `frames` zero frames. */
export function makeWav(frames: number, sampleRate = 8000, channels = 1): Uint8Array {
  const dataBytes = frames * channels * 2;
  const buf = new Uint8Array(44 + dataBytes);
  const v = new DataView(buf.buffer);
  const ascii = (off: number, s: string): void => {
    for (let i = 0; i < s.length; i++) buf[off + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, dataBytes, true);
  return buf;
}

/**
 * Reads only the canonical 44-byte header makeWav writes (content decides, not the extension),
 * and throws DecodeError like the real probe for empty and non-WAV files.
 */
export async function stubProbe(path: string): Promise<AudioInfo> {
  const bytes = new Uint8Array(await readFile(path));
  if (bytes.length === 0) throw new DecodeError("zero-length", "file is empty", { path });
  const tag = (off: number): string => String.fromCharCode(...bytes.subarray(off, off + 4));
  if (bytes.length < 44 || tag(0) !== "RIFF" || tag(8) !== "WAVE" || tag(36) !== "data") {
    throw new DecodeError("not-audio", "not a RIFF/WAVE file", { path });
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels = v.getUint16(22, true);
  const sampleRate = v.getUint32(24, true);
  const frames = v.getUint32(40, true) / (channels * 2);
  return {
    path,
    container: "wav",
    codec: "pcm_s16le",
    sampleRate,
    channels,
    bitDepth: 16,
    frames,
    durationSec: frames / sampleRate,
    sizeBytes: bytes.length,
    warnings: [],
  };
}

/** A probe stub that counts its calls. */
export function countingProbe(): { probe: (path: string) => Promise<AudioInfo>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    probe: async (path) => {
      calls.push(path);
      return stubProbe(path);
    },
  };
}
