import { DecodeError } from "../core/errors.js";
import type { RandomAccessFile } from "./file.js";
import { checkFormatLimits } from "./limits.js";
import { type PcmFormat, pcmCodecName } from "./pcm.js";
import type { PcmLayout } from "./pcm-layout.js";

const u16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];
const u32 = (b: Uint8Array, p: number): number =>
  ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
const id4 = (b: Uint8Array, p: number): string => String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);

/** IEEE 754 80-bit extended (big-endian), as AIFF stores its sample rate. */
export function readExtended80(b: Uint8Array, p: number): number {
  const sign = b[p] & 0x80 ? -1 : 1;
  const exp = ((b[p] & 0x7f) << 8) | b[p + 1];
  const hi = u32(b, p + 2);
  const lo = u32(b, p + 6);
  if (exp === 0 && hi === 0 && lo === 0) return 0;
  if (exp === 0x7fff) return Number.NaN;
  const mant = hi * 2 ** 32 + lo;
  return sign * mant * 2 ** (exp - 16383 - 63);
}

/** Compression types patina reads: NONE/twos (big-endian ints), sowt (little-endian), fl32, fl64. */
function formatFor(compression: string, bits: number, channels: number, path: string): PcmFormat {
  const c = compression.toLowerCase();
  const bytes = Math.ceil(bits / 8);
  if (c === "none" || c === "twos" || c === "sowt" || c === "in24" || c === "in32") {
    if (bytes < 1 || bytes > 4)
      throw new DecodeError("unsupported-codec", `${bits}-bit AIFF integer PCM`, { path });
    return { sampleType: "int", bytesPerSample: bytes, bigEndian: c !== "sowt", channels };
  }
  if (c === "fl32") return { sampleType: "float", bytesPerSample: 4, bigEndian: true, channels };
  if (c === "fl64") return { sampleType: "float", bytesPerSample: 8, bigEndian: true, channels };
  throw new DecodeError("unsupported-codec", `AIFF-C compression "${compression}"`, { path });
}

/** Parse an AIFF or AIFF-C header: COMM and SSND, skipping every other chunk. */
export async function parseAiffHeader(file: RandomAccessFile): Promise<PcmLayout> {
  const path = file.path;
  const head = await file.readAt(0, 12);
  if (head.length < 12) throw new DecodeError("truncated", "file ends inside the FORM header", { path });
  const isAifc = id4(head, 8) === "AIFC";
  const warnings: string[] = [];
  let comm: { channels: number; frames: number; bits: number; rate: number; compression: string } | null =
    null;
  let ssndOffset = -1;
  let ssndSize = 0;
  let pos = 12;
  const hdr = new Uint8Array(8);
  for (let guard = 0; guard < 100000 && pos + 8 <= file.size; guard++) {
    const h = await file.readAt(pos, 8, hdr);
    const id = id4(h, 0);
    const size = u32(h, 4);
    const body = pos + 8;
    if (id === "COMM") {
      const b = await file.readAt(body, Math.min(size, 64));
      if (b.length < 18) throw new DecodeError("truncated", "COMM chunk is cut short", { path });
      const compression = isAifc && b.length >= 22 ? id4(b, 18) : "NONE";
      comm = {
        channels: u16(b, 0),
        frames: u32(b, 2),
        bits: u16(b, 6),
        rate: readExtended80(b, 8),
        compression,
      };
    } else if (id === "SSND") {
      const b = await file.readAt(body, 8);
      const offset = b.length >= 4 ? u32(b, 0) : 0;
      ssndOffset = body + 8 + offset;
      ssndSize = Math.max(0, size - 8 - offset);
      if (comm) break;
    }
    pos = body + size + (size & 1);
  }
  if (!comm) throw new DecodeError("truncated", "no COMM chunk before the end of the file", { path });
  if (ssndOffset < 0) {
    if (comm.frames === 0) throw new DecodeError("zero-length", "no sample frames", { path });
    throw new DecodeError("truncated", "no SSND chunk before the end of the file", { path });
  }
  const { channels, bits, rate, compression } = comm;
  checkFormatLimits(path, channels, rate);
  const format = formatFor(compression, bits, channels, path);
  const frameBytes = format.bytesPerSample * channels;
  const available = Math.max(0, Math.min(ssndSize, file.size - ssndOffset));
  if (ssndSize > available) {
    warnings.push(
      `header claims ${ssndSize} bytes of audio data but only ${available} exist; read what exists`,
    );
  }
  let frames = Math.floor(available / frameBytes);
  if (comm.frames > frames) {
    if (warnings.length === 0)
      warnings.push(`header claims ${comm.frames} frames but only ${frames} exist; read what exists`);
  } else frames = comm.frames;
  return {
    format,
    sampleRate: Math.round(rate),
    bitDepth: format.sampleType === "float" ? format.bytesPerSample * 8 : bits,
    codec: pcmCodecName(format),
    dataOffset: ssndOffset,
    frames,
    warnings,
  };
}
