import { DecodeError } from "../core/errors.js";
import { parseAiffHeader } from "./aiff.js";
import { RandomAccessFile } from "./file.js";
import { FlacSource, parseFlacStreamInfo } from "./flac.js";
import { checkFormatLimits } from "./limits.js";
import { Mp3Source, parseMp3Info } from "./mp3.js";
import { type Sniffed, sniffFile } from "./sniff.js";
import { type NativeSource, PcmSource } from "./source.js";
import type { AudioInfo, Container } from "./types.js";
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

type Opener = (file: RandomAccessFile, sniffed: Sniffed) => Promise<Opened>;

/** WAV and AIFF: the header locates the samples; the length is counted from the bytes present. */
const openPcm: Opener = async (file, sniffed) => {
  const layout = sniffed.container === "wav" ? await parseWavHeader(file) : await parseAiffHeader(file);
  const info = checkLength({
    path: file.path,
    sizeBytes: file.size,
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
};

/** FLAC: STREAMINFO, its length checked against what the file can hold (else counted by decoding). */
const openFlac: Opener = async (file, sniffed) => {
  const path = file.path;
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
  const base = {
    path,
    sizeBytes: file.size,
    container: "flac" as const,
    codec: "flac",
    sampleRate: si.sampleRate,
    channels: si.channels,
    bitDepth: si.bitDepth,
  };
  if (frames === null) {
    // No length to trust (streamed FLAC, or a damaged one): count by decoding, as ffprobe would estimate.
    const counter = new FlacSource(file, sniffed.audioOffset, {
      ...base,
      frames: null,
      durationSec: 0,
      warnings: [],
    });
    let n = 0;
    for (let b = await counter.read(); b; b = await counter.read()) n += b[0].length;
    await counter.seek(0);
    frames = n;
  }
  const info = checkLength({ ...base, frames, durationSec: frames / si.sampleRate, warnings });
  return { info, source: () => new FlacSource(file, sniffed.audioOffset, info) };
};

/** MP3: the first frame and its Xing/Info/VBRI tag, else a frame scan. */
const openMp3: Opener = async (file, sniffed) => {
  const mi = await parseMp3Info(file, sniffed.audioOffset);
  checkFormatLimits(file.path, mi.channels, mi.sampleRate);
  const info = checkLength({
    path: file.path,
    sizeBytes: file.size,
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
};

/** One opener per container, chosen by the content sniffed (never the extension). */
const OPENERS: Readonly<Record<Container, Opener>> = {
  wav: openPcm,
  aiff: openPcm,
  flac: openFlac,
  mp3: openMp3,
};

/** Read the headers of an open file: container, codec, rate, channels, length. */
async function inspect(file: RandomAccessFile): Promise<Opened> {
  const sniffed = await sniffFile(file);
  return OPENERS[sniffed.container](file, sniffed);
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
