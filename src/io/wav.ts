import { DecodeError } from "../core/errors.js";
import type { RandomAccessFile } from "./file.js";
import { checkFormatLimits } from "./limits.js";
import { type PcmFormat, pcmCodecName } from "./pcm.js";
import type { PcmLayout } from "./pcm-layout.js";

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const u16 = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8);
const u32 = (b: Uint8Array, p: number): number =>
  (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, p: number): number => u32(b, p) + u32(b, p + 4) * 2 ** 32;
const id4 = (b: Uint8Array, p: number): string => String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
  validBits: number;
}

function parseFmt(b: Uint8Array, declared: number, path: string): Fmt {
  if (b.length < 16) {
    if (declared >= 16) throw new DecodeError("truncated", "file ends inside the fmt chunk", { path });
    throw new DecodeError("corrupt", `fmt chunk is ${declared} bytes, needs 16`, { path });
  }
  let tag = u16(b, 0);
  const channels = u16(b, 2);
  const sampleRate = u32(b, 4);
  const blockAlign = u16(b, 12);
  const bits = u16(b, 14);
  let validBits = bits;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (b.length < 40)
      throw new DecodeError("corrupt", `extensible fmt chunk is ${b.length} bytes, needs 40`, { path });
    validBits = u16(b, 18) || bits;
    // The sub-format GUID starts with the plain format tag.
    tag = u16(b, 24);
  }
  return { tag, channels, sampleRate, blockAlign, bits, validBits };
}

/** Parse a RIFF/RF64/BW64 WAVE header: locate fmt and data, skipping every other chunk. */
export async function parseWavHeader(file: RandomAccessFile): Promise<PcmLayout> {
  const path = file.path;
  const head = await file.readAt(0, 12);
  if (head.length < 12) throw new DecodeError("truncated", "file ends inside the RIFF header", { path });
  const riff = id4(head, 0);
  const warnings: string[] = [];
  let fmt: Fmt | null = null;
  let ds64DataSize: number | null = null;
  let dataOffset = -1;
  let dataSize = 0;
  let pos = 12;
  const hdr = new Uint8Array(8);
  for (let guard = 0; guard < 100000 && pos + 8 <= file.size; guard++) {
    const h = await file.readAt(pos, 8, hdr);
    const id = id4(h, 0);
    let size = u32(h, 4);
    const body = pos + 8;
    if (id === "ds64") {
      const d = await file.readAt(body, Math.min(size, 28));
      if (d.length >= 16) ds64DataSize = u64(d, 8);
    } else if (id === "fmt ") {
      fmt = parseFmt(await file.readAt(body, Math.min(size, 64)), size, path);
    } else if (id === "data") {
      if ((riff === "RF64" || riff === "BW64") && size === 0xffffffff && ds64DataSize !== null)
        size = ds64DataSize;
      dataOffset = body;
      dataSize = size;
      if (fmt) break;
    }
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    pos = body + size + (size & 1);
  }
  if (!fmt) {
    if (dataOffset >= 0 || pos + 8 > file.size)
      throw new DecodeError("truncated", "no fmt chunk before the end of the file", { path });
    throw new DecodeError("corrupt", "no fmt chunk found", { path });
  }
  if (dataOffset < 0)
    throw new DecodeError("truncated", "no data chunk before the end of the file", { path });
  const { tag, channels, sampleRate, blockAlign, bits, validBits } = fmt;
  checkFormatLimits(path, channels, sampleRate);
  let format: PcmFormat;
  if (tag === WAVE_FORMAT_PCM) {
    const bytes = Math.ceil(bits / 8);
    if (bytes < 1 || bytes > 4)
      throw new DecodeError("unsupported-codec", `${bits}-bit integer PCM`, { path });
    format = { sampleType: bytes === 1 ? "uint8" : "int", bytesPerSample: bytes, bigEndian: false, channels };
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits !== 32 && bits !== 64)
      throw new DecodeError("unsupported-codec", `${bits}-bit float PCM`, { path });
    format = { sampleType: "float", bytesPerSample: bits / 8, bigEndian: false, channels };
  } else {
    throw new DecodeError(
      "unsupported-codec",
      `WAV format tag 0x${tag.toString(16)} (only PCM and IEEE float)`,
      {
        path,
      },
    );
  }
  const frameBytes = format.bytesPerSample * channels;
  if (blockAlign !== frameBytes) {
    if (blockAlign < frameBytes)
      throw new DecodeError(
        "corrupt",
        `the header's block align (${blockAlign} bytes) is too small for ${channels} channel(s) of ${bits}-bit samples`,
        { path },
      );
    warnings.push(`block align ${blockAlign} differs from ${frameBytes}; using ${frameBytes}`);
  }
  const available = Math.max(0, file.size - dataOffset);
  if (dataSize > available) {
    warnings.push(
      `header claims ${dataSize} bytes of audio data but only ${available} exist; read what exists`,
    );
    dataSize = available;
  }
  if (dataSize % frameBytes !== 0)
    warnings.push(`data ends with a partial frame (${dataSize % frameBytes} bytes dropped)`);
  const frames = Math.floor(dataSize / frameBytes);
  return {
    format,
    sampleRate,
    bitDepth: format.sampleType === "float" ? bits : Math.min(validBits, bits),
    codec: pcmCodecName(format),
    dataOffset,
    frames,
    warnings,
  };
}
