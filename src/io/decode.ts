import { toMono } from "../core/audio.js";
import { DecodeError, ParameterError } from "../core/errors.js";
import { Resampler, resampledLength } from "../dsp/resample.js";
import { mixHalfInPlace, sampleStats } from "../dsp/sample-kernels.js";
import { AUDIO_LIMITS, plausibleFrames } from "./limits.js";
import { openSource } from "./probe.js";
import type { NativeSource } from "./source.js";
import type { AudioChunk, AudioInfo, AudioStream, DecodedAudio, DecodeOptions } from "./types.js";

export const DEFAULT_CHUNK_FRAMES = 65536;

function checkOptions(opts: DecodeOptions): void {
  const { sampleRate, chunkFrames } = opts;
  if (
    sampleRate !== undefined &&
    (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 768000)
  ) {
    throw new ParameterError(`sampleRate must be an integer in [1000, 768000] Hz, got: ${sampleRate}`);
  }
  if (
    chunkFrames !== undefined &&
    chunkFrames !== "any" &&
    (!Number.isInteger(chunkFrames) || chunkFrames < 1)
  ) {
    throw new ParameterError(`chunkFrames must be a positive integer or "any", got: ${chunkFrames}`);
  }
}

/** Float PCM, and lossy codecs, whose decoders output floats: a damaged frame can decode far over full scale. */
function isFloatCodec(info: AudioInfo): boolean {
  return info.codec.startsWith("pcm_f") || info.container === "mp3";
}

/**
 * Reject NaN/Inf, and flag the first sample far above full scale (garbage read as floats): `frame0`
 * is the block's first frame index, for the messages. One SIMD pass per channel (sampleStats), so
 * the check costs little next to decoding. Returns whether a loud sample was flagged.
 */
function checkFloats(
  block: Float32Array[],
  frame0: number,
  info: AudioInfo,
  warnings: string[],
  flagged: boolean,
): boolean {
  const limit = AUDIO_LIMITS.maxFloatPeak;
  for (let c = 0; c < block.length; c++) {
    const ch = block[c];
    const st = sampleStats(ch);
    if (st.firstNonFinite >= 0) {
      const i = st.firstNonFinite;
      throw new DecodeError(
        "non-finite",
        `sample ${frame0 + i} of channel ${c + 1} is ${ch[i]} (NaN/Inf samples are rejected)`,
        { path: info.path },
      );
    }
    if (!flagged && st.peak > limit) {
      flagged = true;
      let i = 0;
      while (i < ch.length && Math.abs(ch[i]) <= limit) i++;
      const db = 20 * Math.log10(Math.abs(ch[i]));
      warnings.push(
        `sample ${frame0 + i} of channel ${c + 1} peaks at +${db.toFixed(1)} dBFS: float data this far ` +
          "over full scale is probably damaged, not audio",
      );
    }
  }
  return flagged;
}

/** Downmix a block by averaging, into its first channel: blocks are fresh from the decoder and ours. */
function mixMono(block: Float32Array[]): Float32Array[] {
  if (block.length === 1) return block;
  if (block.length !== 2) return [toMono({ sampleRate: 0, channels: block })];
  const a = block[0];
  const b = block[1];
  // Same arithmetic as toMono, so a stream and a whole-file decode agree bit for bit.
  mixHalfInPlace(a, b);
  return [a];
}

/**
 * The native blocks of a source turned into output-rate blocks: NaN check, mono mix, resampling.
 * Yields variable-length blocks starting at output frame `outputStart`; stops at EOF.
 */
async function* outputBlocks(
  src: NativeSource,
  opts: DecodeOptions,
  outputStart: number,
): AsyncGenerator<Float32Array[]> {
  const info = src.info;
  const outRate = opts.sampleRate ?? info.sampleRate;
  const nch = opts.mono ? 1 : info.channels;
  const resamplers: Resampler[] | null =
    outRate === info.sampleRate
      ? null
      : Array.from({ length: nch }, () => new Resampler(info.sampleRate, outRate, { outputStart }));
  const inputStart = resamplers ? resamplers[0].inputStart : outputStart;
  if (inputStart > 0) await src.seek(inputStart);
  const checkNaN = isFloatCodec(info);
  let flagged = src.warnings.some((w) => w.includes("over full scale"));
  let frame = inputStart;
  for (let block = await src.read(); block; block = await src.read()) {
    if (block.length !== info.channels) {
      throw new DecodeError(
        "corrupt",
        `decoder gave ${block.length} channels, header says ${info.channels}`,
        {
          path: info.path,
        },
      );
    }
    if (checkNaN) flagged = checkFloats(block, frame, info, src.warnings, flagged);
    opts.onNativeBlock?.(block);
    frame += block[0].length;
    const b = opts.mono ? mixMono(block) : block;
    if (resamplers) {
      const out = b.map((ch, c) => resamplers[c].process(ch));
      if (out[0].length > 0) yield out;
    } else yield b;
  }
  if (resamplers) {
    const out = resamplers.map((r) => r.flush());
    if (out[0].length > 0) yield out;
  }
}

/** Re-cut a stream of variable blocks into chunks of exactly `size` frames (the last may be shorter). */
async function* rechunk(
  blocks: AsyncIterable<Float32Array[]>,
  size: number,
  sampleRate: number,
  offset0: number,
): AsyncGenerator<AudioChunk> {
  let cur: Float32Array[] | null = null;
  let fill = 0;
  let offset = offset0;
  for await (const b of blocks) {
    const n = b[0].length;
    let p = 0;
    while (p < n) {
      if (!cur) {
        cur = b.map(() => new Float32Array(size));
        fill = 0;
      }
      const take = Math.min(size - fill, n - p);
      for (let c = 0; c < b.length; c++) cur[c].set(b[c].subarray(p, p + take), fill);
      fill += take;
      p += take;
      if (fill === size) {
        yield { sampleRate, channels: cur, offset };
        offset += size;
        cur = null;
      }
    }
  }
  if (cur && fill > 0) yield { sampleRate, channels: cur.map((c) => c.slice(0, fill)), offset };
}

/**
 * Open a file for streaming: an async iterator of chunks of `chunkFrames` frames at the output rate
 * (the last chunk may be shorter), each with its first frame's `offset`.
 */
export async function openAudio(path: string, opts: DecodeOptions = {}): Promise<AudioStream> {
  checkOptions(opts);
  const src = await openSource(path);
  const outRate = opts.sampleRate ?? src.info.sampleRate;
  const channels = opts.mono ? 1 : src.info.channels;
  const size = opts.chunkFrames ?? DEFAULT_CHUNK_FRAMES;
  let started = false;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await src.close();
  };
  async function* iterate(): AsyncGenerator<AudioChunk> {
    try {
      if (size === "any") {
        let offset = 0;
        for await (const channels of outputBlocks(src, opts, 0)) {
          yield { sampleRate: outRate, channels, offset };
          offset += channels[0].length;
        }
      } else yield* rechunk(outputBlocks(src, opts, 0), size, outRate, 0);
    } finally {
      await close();
    }
  }
  return {
    info: src.info,
    sampleRate: outRate,
    channels,
    warnings: src.warnings,
    close,
    [Symbol.asyncIterator](): AsyncIterator<AudioChunk> {
      if (started) throw new ParameterError(`an AudioStream can be iterated only once (${path})`);
      started = true;
      return iterate();
    },
  };
}

/** Frames to preallocate: what the file can plausibly hold (limits.ts); compressed ones at most 2^22. */
function trustedFrames(info: AudioInfo): number {
  const frames = plausibleFrames(info);
  return info.container === "wav" || info.container === "aiff" ? frames : Math.min(frames, 1 << 22);
}

/** Copy blocks into one planar buffer, growing it if the expected length was short. */
async function collect(
  blocks: AsyncIterable<Float32Array[]>,
  nch: number,
  expected: number,
  limit: number,
): Promise<Float32Array[]> {
  // Headers can lie (a garbled FLAC/MP3 length): preallocate at most `expected`, then grow.
  let cap = Math.max(0, Math.min(expected, limit));
  let out = Array.from({ length: nch }, () => new Float32Array(cap));
  let n = 0;
  for await (const b of blocks) {
    const take = Math.min(b[0].length, limit - n);
    if (n + take > cap) {
      cap = Math.min(limit, Math.max(n + take, Math.ceil(cap * 1.5) + 65536));
      out = out.map((ch) => {
        const g = new Float32Array(cap);
        g.set(ch.subarray(0, n));
        return g;
      });
    }
    for (let c = 0; c < nch; c++) out[c].set(b[c].subarray(0, take), n);
    n += take;
    if (n >= limit) break;
  }
  return n === cap ? out : out.map((ch) => ch.slice(0, n));
}

/**
 * Decode frames [startFrame, endFrame) counted at the OUTPUT rate. WAV/AIFF seek by byte offset; FLAC
 * jumps to the frame holding the start and MP3 restarts a few frames before it, so the cost does not
 * grow with the position in the file. With resampling, enough input before and after is read that the
 * result equals the same frames of a whole-file decode. An end past the file's end is clamped.
 */
export async function decodeRegion(
  path: string,
  startFrame: number,
  endFrame: number,
  opts: DecodeOptions = {},
): Promise<DecodedAudio> {
  checkOptions(opts);
  if (
    !Number.isInteger(startFrame) ||
    !Number.isInteger(endFrame) ||
    startFrame < 0 ||
    endFrame < startFrame
  ) {
    throw new ParameterError(
      `region must be integers with 0 <= start <= end, got: [${startFrame}, ${endFrame}) for ${path}`,
    );
  }
  const src = await openSource(path);
  try {
    const outRate = opts.sampleRate ?? src.info.sampleRate;
    const nch = opts.mono ? 1 : src.info.channels;
    const total =
      src.info.frames === null
        ? Number.POSITIVE_INFINITY
        : resampledLength(src.info.frames, src.info.sampleRate, outRate);
    const want = Math.max(0, Math.min(endFrame, total) - startFrame);
    const channels =
      want === 0
        ? Array.from({ length: nch }, () => new Float32Array(0))
        : await collect(
            outputBlocks(src, opts, startFrame),
            nch,
            Math.min(want, resampledLength(trustedFrames(src.info), src.info.sampleRate, outRate)),
            want,
          );
    return { sampleRate: outRate, channels, info: src.info, warnings: [...src.warnings] };
  } finally {
    await src.close();
  }
}

/** Decode a whole file (on top of the streaming decoder). */
export async function decodeFile(path: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  checkOptions(opts);
  const src = await openSource(path);
  try {
    const outRate = opts.sampleRate ?? src.info.sampleRate;
    const nch = opts.mono ? 1 : src.info.channels;
    const expected =
      src.info.frames === null
        ? 0
        : resampledLength(Math.min(src.info.frames, trustedFrames(src.info)), src.info.sampleRate, outRate);
    const channels = await collect(outputBlocks(src, opts, 0), nch, expected, Number.POSITIVE_INFINITY);
    if (channels[0].length === 0)
      throw new DecodeError("zero-length", "decoded to no audio frames", { path });
    return { sampleRate: outRate, channels, info: src.info, warnings: [...src.warnings] };
  } finally {
    await src.close();
  }
}
