import { DecodeError } from "../core/errors.js";
import { scaleRoundInPlace } from "../dsp/sample-kernels.js";
import type { RandomAccessFile } from "./file.js";
import { FlacFrameReader } from "./flac-frames.js";
import { type FlacLayout, FlacSeeker, readFlacLayout } from "./flac-seek.js";
import { clockTime } from "./limits.js";
import { decoderFailure, decoderWarning, discardUntil, type NativeSource, silenced } from "./source.js";
import type { AudioInfo } from "./types.js";

export interface FlacStreamInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Total frames, or null when the encoder did not know (STREAMINFO says 0). */
  readonly frames: number | null;
  /** Largest block (samples per frame) the stream uses; 0 when STREAMINFO does not say. */
  readonly maxBlockSize: number;
}

/** Read STREAMINFO, the mandatory first metadata block after "fLaC". */
export async function parseFlacStreamInfo(file: RandomAccessFile, offset: number): Promise<FlacStreamInfo> {
  const b = await file.readAt(offset, 4 + 4 + 34);
  if (b.length < 42)
    throw new DecodeError("truncated", "file ends inside the FLAC STREAMINFO block", { path: file.path });
  if ((b[4] & 0x7f) !== 0)
    throw new DecodeError("corrupt", "first FLAC metadata block is not STREAMINFO", { path: file.path });
  const s = 8;
  const sampleRate = (b[s + 10] << 12) | (b[s + 11] << 4) | (b[s + 12] >> 4);
  const channels = ((b[s + 12] >> 1) & 7) + 1;
  const bitDepth = (((b[s + 12] & 1) << 4) | (b[s + 13] >> 4)) + 1;
  // 36 bits: the top four in byte 13 (a `>>> 0` over the sum would drop them).
  const total =
    (b[s + 13] & 0x0f) * 2 ** 32 +
    (((b[s + 14] << 24) | (b[s + 15] << 16) | (b[s + 16] << 8) | b[s + 17]) >>> 0);
  const maxBlockSize = (b[s + 2] << 8) | b[s + 3];
  return { sampleRate, channels, bitDepth, frames: total > 0 ? total : null, maxBlockSize };
}

interface FlacDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  bitDepth: number;
  /** The decoder's complaints; `at` is added where we know the frame (decoding one by one). */
  errors: { message: string; at?: { frame: number; byte: number } }[];
}
interface FlacDecoderLike {
  ready: Promise<void>;
  decodeFrames(frames: Uint8Array[]): Promise<FlacDecoded>;
  free(): void;
}

const READ_BYTES = 1 << 20;
/** Frame bytes handed to the decoder per call (a few seconds of CD audio). */
const BATCH_BYTES = 1 << 18;
/** After a seek, reads start at a few frames (at most this) and double: a region wants a few seconds. */
const FIRST_READ_AFTER_SEEK = 1 << 15;

/** Counters for tests and benchmarks. */
export interface FlacSourceStats {
  /** Compressed bytes handed to the decoder. */
  bytesDecoded: number;
  /** Bytes the frame search read. */
  bytesSearched: number;
  /** Seeks served by jumping to a located frame. */
  jumps: number;
}

/**
 * FLAC through @wasm-audio-decoders/flac: our own frame splitter (flac-frames.ts) cuts the file into
 * frames for the decoder's `decodeFrames`, so a seek only has to point the splitter at another frame.
 */
export class FlacSource implements NativeSource {
  readonly warnings: string[] = [];
  private decoder: FlacDecoderLike | null = null;
  private reader: FlacFrameReader | null = null;
  private pos = 0;
  private ended = false;
  private pending: Float32Array[] | null = null;
  private errorCount = 0;
  private batchBytes = BATCH_BYTES;
  /** Read on first use; null when the file ends inside its metadata. */
  private layout: FlacLayout | null | undefined;
  private seeker: FlacSeeker | null = null;
  readonly stats: FlacSourceStats = { bytesDecoded: 0, bytesSearched: 0, jumps: 0 };

  constructor(
    private readonly file: RandomAccessFile,
    private readonly audioOffset: number,
    readonly info: AudioInfo,
  ) {}

  private async start(): Promise<FlacDecoderLike> {
    const { FLACDecoder } = await import("@wasm-audio-decoders/flac");
    const d = new FLACDecoder() as unknown as FlacDecoderLike;
    await d.ready;
    return d;
  }

  private async getLayout(): Promise<FlacLayout | null> {
    if (this.layout === undefined) this.layout = await readFlacLayout(this.file, this.audioOffset);
    return this.layout;
  }

  private frameBytes(l: FlacLayout): number {
    if (!this.seeker) this.seeker = new FlacSeeker(this.file, l);
    return this.seeker.frameBytes;
  }

  /** Undo the library's 1/(2^(b-1)-1) scaling: integers become exact multiples of 1/2^(b-1). */
  private fix(d: FlacDecoded): Float32Array[] | null {
    if (d.errors.length > 0) {
      this.errorCount += d.errors.length;
      if (this.warnings.length < 10) {
        const at = d.errors[0].at ?? { frame: this.pos, byte: this.reader?.frameOffsets[0] ?? 0 };
        const where = { ...at, sampleRate: this.info.sampleRate };
        this.warnings.push(decoderWarning("FLAC", d.errors[0].message, where));
      }
    }
    if (d.samplesDecoded === 0) return null;
    const bits = d.bitDepth || this.info.bitDepth || 16;
    const up = 2 ** (bits - 1) - 1;
    const down = 1 / 2 ** (bits - 1);
    const out = d.channelData.slice(0, this.info.channels);
    for (const ch of out) scaleRoundInPlace(ch, up, down);
    return out;
  }

  /**
   * After a decoding error, decode the batch frame by frame and put silence of the header's length where
   * a frame fails, so everything after a damaged frame keeps its time (region reads, which count by
   * frame headers, then agree with whole-file decodes). A frame cut by the end of the file is dropped.
   */
  private async decodeOneByOne(
    dec: FlacDecoderLike,
    frames: Uint8Array[],
    sizes: readonly number[],
    offsets: readonly number[],
    lastAtEof: boolean,
  ): Promise<FlacDecoded> {
    const parts: Float32Array[][] = [];
    const errors: FlacDecoded["errors"] = [];
    let bitDepth = 0;
    let total = 0;
    for (let i = 0; i < frames.length; i++) {
      let d: FlacDecoded;
      try {
        d = await silenced(() => dec.decodeFrames([frames[i]])).value;
      } catch (err) {
        this.decoder?.free();
        this.decoder = null;
        const at = { frame: this.pos + total, byte: offsets[i], sampleRate: this.info.sampleRate };
        throw decoderFailure(err, "FLAC", this.file.path, at);
      }
      const cutByEof = lastAtEof && i === frames.length - 1;
      // A frame cut by the end of the file is the truncation itself, reported once as such.
      if (!cutByEof)
        for (const e of d.errors) errors.push({ ...e, at: { frame: this.pos + total, byte: offsets[i] } });
      bitDepth ||= d.bitDepth;
      if (d.samplesDecoded === sizes[i] && d.errors.length === 0) {
        parts.push(d.channelData);
        total += sizes[i];
      } else if (!(lastAtEof && i === frames.length - 1)) {
        if (this.warnings.length < 10) {
          const at = clockTime((this.pos + total) / this.info.sampleRate);
          this.warnings.push(
            `FLAC frame at sample ${this.pos + total} (${at}) is damaged; replaced by silence`,
          );
        }
        parts.push(Array.from({ length: this.info.channels }, () => new Float32Array(sizes[i])));
        total += sizes[i];
      }
    }
    const channelData = Array.from({ length: this.info.channels }, (_, c) => {
      const ch = new Float32Array(total);
      let o = 0;
      for (const p of parts) {
        ch.set(p[c].subarray(0, total - o), o);
        o += p[c].length;
      }
      return ch;
    });
    return { channelData, samplesDecoded: total, bitDepth, errors };
  }

  /**
   * The decoder trapped (a WebAssembly "memory access out of bounds" on bytes it could not handle):
   * its instance is unusable. Find the frame that does it with a fresh instance, one frame at a time,
   * so the error says where the file is corrupt.
   */
  private async trapped(err: unknown, frames: Uint8Array[], reader: FlacFrameReader): Promise<DecodeError> {
    this.decoder?.free();
    this.decoder = null;
    let at = { frame: this.pos, byte: reader.frameOffsets[0] ?? this.audioOffset };
    const dec = await this.start();
    try {
      let sample = this.pos;
      for (let i = 0; i < frames.length; i++) {
        try {
          await silenced(() => dec.decodeFrames([frames[i]])).value;
        } catch {
          at = { frame: sample, byte: reader.frameOffsets[i] };
          break;
        }
        sample += reader.blockSizes[i];
      }
    } finally {
      dec.free();
    }
    return decoderFailure(err, "FLAC", this.file.path, { ...at, sampleRate: this.info.sampleRate });
  }

  private async decodeNext(): Promise<Float32Array[] | null> {
    if (this.ended) return null;
    if (!this.reader) {
      const l = await this.getLayout();
      if (!l) {
        this.ended = true;
        return null;
      }
      this.reader = new FlacFrameReader(
        this.file,
        l,
        this.frameBytes(l),
        l.firstFrame,
        READ_BYTES,
        READ_BYTES,
      );
    }
    if (!this.decoder) this.decoder = await this.start();
    const dec = this.decoder;
    const reader = this.reader;
    for (;;) {
      const frames = await reader.next(this.batchBytes);
      if (!frames) {
        this.ended = true;
        return null;
      }
      this.batchBytes = Math.min(BATCH_BYTES, this.batchBytes * 2);
      for (const f of frames) this.stats.bytesDecoded += f.length;
      let decoded: FlacDecoded;
      try {
        decoded = await silenced(() => dec.decodeFrames(frames)).value;
      } catch (err) {
        throw await this.trapped(err, frames, reader);
      }
      let expected = 0;
      for (const n of reader.blockSizes) expected += n;
      if (decoded.samplesDecoded !== expected && decoded.errors.length > 0) {
        decoded = await this.decodeOneByOne(
          dec,
          frames,
          reader.blockSizes,
          reader.frameOffsets,
          reader.atEof,
        );
      }
      const out = this.fix(decoded);
      if (out) return out;
    }
  }

  async read(): Promise<Float32Array[] | null> {
    let b = this.pending;
    this.pending = null;
    if (!b) {
      try {
        b = await this.decodeNext();
      } catch (err) {
        throw decoderFailure(err, "FLAC", this.file.path, {
          frame: this.pos,
          sampleRate: this.info.sampleRate,
          byte: this.reader?.offset ?? this.audioOffset,
        });
      }
    }
    if (!b) {
      const expected = this.info.frames;
      if (this.pos === 0)
        throw new DecodeError("corrupt", "no FLAC frames could be decoded", { path: this.file.path });
      if (expected !== null && this.pos < expected && !this.warnings.some((w) => w.startsWith("truncated"))) {
        this.warnings.push(`truncated: header says ${expected} frames but only ${this.pos} could be decoded`);
      }
      return null;
    }
    this.pos += b[0].length;
    return b;
  }

  /** Continue at a frame boundary: `offset` in the file, `sample` its first sample. */
  private restart(l: FlacLayout, offset: number, sample: number, firstRead: number): void {
    this.reader = new FlacFrameReader(this.file, l, this.frameBytes(l), offset, firstRead, READ_BYTES);
    this.pos = sample;
    this.ended = false;
    this.pending = null;
    this.batchBytes = firstRead;
  }

  /**
   * Jump to the frame holding `frame` (found through the seek table and frame headers), then decode and
   * discard only within that frame. Frames decode independently, so the output is bit-identical to a
   * whole-file decode. Near seeks forward just decode on.
   */
  async seek(frame: number): Promise<void> {
    const l = await this.getLayout();
    const near = frame >= this.pos && frame - this.pos < 2 * (l?.maxBlockSize || 4096);
    if (l && !near) {
      if (!this.seeker) this.seeker = new FlacSeeker(this.file, l);
      const seeker = this.seeker;
      const before = seeker.stats.bytesRead;
      const at = await seeker.locate(frame);
      this.stats.bytesSearched += seeker.stats.bytesRead - before;
      if (at && !(at.sample <= this.pos && this.pos <= frame && this.reader)) {
        const first = Math.max(4096, Math.min(FIRST_READ_AFTER_SEEK, 4 * seeker.frameBytes));
        this.restart(l, at.offset, at.sample, first);
        this.stats.jumps++;
      } else if (frame < this.pos) {
        this.restart(l, l.firstFrame, 0, READ_BYTES);
      }
    }
    const r = await discardUntil(() => this.read(), this.pos, frame);
    this.pos = r.pos;
    this.pending = r.pending;
  }

  async close(): Promise<void> {
    this.decoder?.free();
    this.decoder = null;
    await this.file.close();
  }
}
