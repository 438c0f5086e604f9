import { DecodeError } from "../core/errors.js";
import { parseAiffHeader } from "./aiff.js";
import { RandomAccessFile } from "./file.js";
import { FlacSource, parseFlacStreamInfo } from "./flac.js";
import { checkFormatLimits } from "./limits.js";
import { Mp3Source, parseMp3Info } from "./mp3.js";
import { sniffFile } from "./sniff.js";
import { type NativeSource, PcmSource } from "./source.js";
import type { AudioInfo } from "./types.js";
import { parseWavHeader } from "./wav.js";

interface Opened {
  readonly info: AudioInfo;
  /** Build a decoder over the still-open file (it takes ownership of the file). */
  readonly source: () => NativeSource;
}

function checkLength(info: AudioInfo): AudioInfo {
  if (info.frames === 0) throw new DecodeError("zero-length", "holds no audio frames", { path: info.path });
  return info;
}

/**
 * The most frames `bytes` of FLAC audio can hold: every frame takes at least a 6-byte header, a
 * 2-byte subframe per channel (a constant one) and a 2-byte CRC, and holds at most the largest
 * block. A STREAMINFO length above this is damaged, and nothing is sized from it.
 */
function flacMaxFrames(bytes: number, channels: number, maxBlockSize: number): number {
  return Math.ceil(Math.max(0, bytes) / (8 + 2 * channels)) * Math.max(1, maxBlockSize || 65535);
}

/** Read the headers of an open file: container, codec, rate, channels, length. */
async function inspect(file: RandomAccessFile): Promise<Opened> {
  const path = file.path;
  const sniffed = await sniffFile(file);
  const base = { path, sizeBytes: file.size };
  if (sniffed.container === "wav" || sniffed.container === "aiff") {
    const layout = sniffed.container === "wav" ? await parseWavHeader(file) : await parseAiffHeader(file);
    const info = checkLength({
      ...base,
      container: sniffed.container,
      codec: layout.codec,
      sampleRate: layout.sampleRate,
      channels: layout.format.channels,
      bitDepth: layout.bitDepth,
      frames: layout.frames,
      durationSec: layout.frames / layout.sampleRate,
      warnings: layout.warnings,
    });
    return { info, source: () => new PcmSource(file, layout, info) };
  }
  if (sniffed.container === "flac") {
    const si = await parseFlacStreamInfo(file, sniffed.audioOffset);
    checkFormatLimits(path, si.channels, si.sampleRate);
    let frames = si.frames;
    const warnings: string[] = [];
    const most = flacMaxFrames(file.size - sniffed.audioOffset, si.channels, si.maxBlockSize);
    if (frames !== null && frames > most) {
      warnings.push(
        `FLAC STREAMINFO claims ${frames} frames, more than the file can hold; counted by decoding`,
      );
      frames = null;
    } else if (frames === null) {
      warnings.push("FLAC STREAMINFO holds no length; counted by decoding");
    }
    if (frames === null) {
      // No length to trust (streamed FLAC, or a damaged one): count by decoding, as ffprobe would estimate.
      const counter = new FlacSource(file, sniffed.audioOffset, {
        ...base,
        container: "flac",
        codec: "flac",
        sampleRate: si.sampleRate,
        channels: si.channels,
        bitDepth: si.bitDepth,
        frames: null,
        durationSec: 0,
        warnings: [],
      });
      let n = 0;
      for (let b = await counter.read(); b; b = await counter.read()) n += b[0].length;
      await counter.seek(0);
      frames = n;
    }
    const info = checkLength({
      ...base,
      container: "flac",
      codec: "flac",
      sampleRate: si.sampleRate,
      channels: si.channels,
      bitDepth: si.bitDepth,
      frames,
      durationSec: frames / si.sampleRate,
      warnings,
    });
    return { info, source: () => new FlacSource(file, sniffed.audioOffset, info) };
  }
  const mi = await parseMp3Info(file, sniffed.audioOffset);
  checkFormatLimits(path, mi.channels, mi.sampleRate);
  const info = checkLength({
    ...base,
    container: "mp3",
    codec: mi.codec,
    sampleRate: mi.sampleRate,
    channels: mi.channels,
    bitDepth: null,
    frames: mi.frames,
    durationSec: mi.frames / mi.sampleRate,
    warnings: mi.warnings,
  });
  return { info, source: () => new Mp3Source(file, sniffed.audioOffset, info) };
}

/**
 * What a file holds, from its headers alone (no decoding, except FLAC files whose STREAMINFO lacks a
 * length). Throws DecodeError naming the file and the problem.
 */
export async function probe(path: string): Promise<AudioInfo> {
  const file = await RandomAccessFile.open(path);
  try {
    return (await inspect(file)).info;
  } finally {
    await file.close();
  }
}

/** Open a file for decoding at its own rate; the caller must close the source. */
export async function openSource(path: string): Promise<NativeSource> {
  const file = await RandomAccessFile.open(path);
  try {
    return (await inspect(file)).source();
  } catch (err) {
    await file.close();
    throw err;
  }
}
