import { DecodeError } from "../core/errors.js";
import type { RandomAccessFile } from "./file.js";
import { findFirstFrame, type MpegFrameHeader, parseFrameHeader, parseXing } from "./mp3-header.js";
import { MP3_WARMUP_FRAMES, type Mp3FrameIndex, mp3FrameIndex, planMp3Seek } from "./mp3-index.js";
import { decoderFailure, decoderWarning, discardUntil, type NativeSource, silenced } from "./source.js";
import type { AudioInfo } from "./types.js";

export interface Mp3StreamInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly codec: string;
  /** Frames a gapless decode yields (encoder delay and padding removed when a LAME tag tells them). */
  readonly frames: number;
  /** How the length was found. */
  readonly lengthFrom: "xing" | "vbri" | "scan";
  readonly warnings: readonly string[];
}

const SCAN_BLOCK = 1 << 20;

/** Count MPEG frames from `offset` to the end, resynchronising over junk; for files without a Xing tag. */
async function scanFrames(file: RandomAccessFile, offset: number, first: MpegFrameHeader): Promise<number> {
  let pos = offset;
  let frames = 0;
  let samples = 0;
  for (;;) {
    const b = await file.readAt(pos, SCAN_BLOCK);
    if (b.length < 4) break;
    let p = 0;
    while (p + 4 <= b.length) {
      const h = parseFrameHeader(b, p);
      if (h && h.sampleRate === first.sampleRate && h.layer === first.layer) {
        if (p + h.frameLength > b.length && pos + p + h.frameLength <= file.size) break; // frame spans blocks
        frames++;
        samples += h.samplesPerFrame;
        p += h.frameLength;
      } else {
        const q = findFirstFrame(b, p + 1, b.length);
        if (q < 0) {
          p = b.length;
          break;
        }
        p = q;
      }
    }
    if (b.length < SCAN_BLOCK) break;
    pos += Math.max(p, 1);
  }
  return frames > 0 ? samples : 0;
}

/** Sample rate, channels and length of an MP3 from its first frame and Xing/Info/VBRI tag, else a frame scan. */
export async function parseMp3Info(file: RandomAccessFile, offset: number): Promise<Mp3StreamInfo> {
  const b = await file.readAt(offset, 4096);
  const h = parseFrameHeader(b, 0);
  if (!h) throw new DecodeError("corrupt", `no MPEG frame header at byte ${offset}`, { path: file.path });
  const codec = h.layer === 3 ? "mp3" : h.layer === 2 ? "mp2" : "mp1";
  const x = parseXing(b, 0, h);
  const warnings: string[] = [];
  // The smallest frame this version/layer/rate can have bounds how many frames the file can hold.
  const minFrame =
    h.layer === 1
      ? 4 * Math.floor((12000 * 32) / h.sampleRate)
      : Math.floor(((h.layer === 3 && h.version !== 1 ? 72000 : 144000) * 8) / h.sampleRate);
  const maxFrames = Math.ceil((file.size - offset) / Math.max(1, minFrame)) + 1;
  if (x?.frames && x.frames > maxFrames) {
    warnings.push(
      `${x.kind} tag claims ${x.frames} frames, more than the file can hold; counted frames instead`,
    );
  }
  if (x && x.frames !== null && x.frames > 0 && x.frames <= maxFrames) {
    let frames = x.frames * h.samplesPerFrame;
    if (x.encoderDelay !== null && x.encoderPadding !== null) {
      frames = Math.max(0, frames - x.encoderDelay - x.encoderPadding);
    }
    if (x.bytes !== null && x.bytes > file.size - offset + 128) {
      warnings.push(
        `header claims ${x.bytes} bytes of audio but only ${file.size - offset} exist; read what exists`,
      );
    }
    return {
      sampleRate: h.sampleRate,
      channels: h.channels,
      codec,
      frames,
      lengthFrom: x.kind === "VBRI" ? "vbri" : "xing",
      warnings,
    };
  }
  const frames = await scanFrames(file, offset, h);
  return { sampleRate: h.sampleRate, channels: h.channels, codec, frames, lengthFrom: "scan", warnings };
}

interface MpegDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  errors: { message: string }[];
}
interface MpegDecoderLike {
  ready: Promise<void>;
  decode(data: Uint8Array): MpegDecoded;
  free(): void;
}

const READ_BYTES = 1 << 16;
/** After a jump, reads start at the warm-up frames plus a few, then double up to READ_BYTES. */
const MIN_READ = 2048;

/** Counters for tests and benchmarks. */
export interface Mp3SourceStats {
  /** Compressed bytes handed to the decoder. */
  bytesDecoded: number;
  /** Seeks served by restarting the decoder a few frames before the wanted one. */
  jumps: number;
}

/** MP3 through mpg123-decoder (gapless), fed in blocks read from the file. */
export class Mp3Source implements NativeSource {
  readonly warnings: string[];
  private decoder: MpegDecoderLike | null = null;
  private filePos: number;
  private pos = 0;
  /** File offset of the block being decoded (where a decoder failure is reported). */
  private blockStart = 0;
  private ended = false;
  private pending: Float32Array[] | null = null;
  /** After a jump the decoder no longer sees the LAME tag: stop at the gapless length ourselves. */
  private endLimit = Number.POSITIVE_INFINITY;
  private readSize = READ_BYTES;
  private index: Mp3FrameIndex | null | undefined;
  readonly stats: Mp3SourceStats = { bytesDecoded: 0, jumps: 0 };

  constructor(
    private readonly file: RandomAccessFile,
    private readonly audioOffset: number,
    readonly info: AudioInfo,
  ) {
    this.filePos = audioOffset;
    this.warnings = [...info.warnings];
  }

  private async start(): Promise<MpegDecoderLike> {
    const { MPEGDecoder } = await import("mpg123-decoder");
    const d = new MPEGDecoder({ enableGapless: true }) as unknown as MpegDecoderLike;
    await d.ready;
    return d;
  }

  private async decodeNext(): Promise<Float32Array[] | null> {
    if (!this.decoder) this.decoder = await this.start();
    const dec = this.decoder;
    while (!this.ended) {
      const bytes = await this.file.readAt(this.filePos, this.readSize);
      this.readSize = Math.min(READ_BYTES, this.readSize * 2);
      if (bytes.length === 0) {
        this.ended = true;
        break;
      }
      this.blockStart = this.filePos;
      this.filePos += bytes.length;
      this.stats.bytesDecoded += bytes.length;
      const { value: d, messages } = silenced(() => dec.decode(bytes));
      if ((d.errors.length > 0 || messages.length > 0) && this.warnings.length < 10) {
        const at = { frame: this.pos, sampleRate: this.info.sampleRate, byte: this.blockStart };
        this.warnings.push(decoderWarning("MP3", d.errors[0]?.message ?? messages[0], at));
      }
      if (d.samplesDecoded > 0) {
        // mpg123 always outputs two channels; a mono file's second channel is a copy.
        return d.channelData.slice(0, this.info.channels);
      }
    }
    return null;
  }

  async read(): Promise<Float32Array[] | null> {
    let b = this.pending;
    this.pending = null;
    if (!b) {
      try {
        b = await this.decodeNext();
      } catch (err) {
        throw decoderFailure(err, "MP3", this.file.path, {
          frame: this.pos,
          sampleRate: this.info.sampleRate,
          byte: this.blockStart,
        });
      }
    }
    if (b && this.pos + b[0].length > this.endLimit) {
      const keep = Math.max(0, this.endLimit - this.pos);
      b = keep > 0 ? b.map((c) => c.subarray(0, keep)) : null;
      this.ended = true;
    }
    if (!b) {
      if (this.pos === 0)
        throw new DecodeError("corrupt", "no MP3 frames could be decoded", { path: this.file.path });
      const expected = this.info.frames;
      // A lying Xing tag or a cut file: allow one frame of slack for encoders that count differently.
      if (
        expected !== null &&
        this.pos + 1152 < expected &&
        !this.warnings.some((w) => w.startsWith("truncated"))
      ) {
        this.warnings.push(`truncated: header says ${expected} frames but only ${this.pos} could be decoded`);
      }
      return null;
    }
    this.pos += b[0].length;
    return b;
  }

  private restart(offset: number, pos: number, endLimit: number, readSize = READ_BYTES): void {
    this.readSize = readSize;
    this.decoder?.free();
    this.decoder = null;
    this.filePos = offset;
    this.pos = pos;
    this.ended = false;
    this.pending = null;
    this.endLimit = endLimit;
  }

  /**
   * Far seeks restart the decoder MP3_WARMUP_FRAMES (10) frames (rounded down to the synthesis filter's
   * phase period) before the wanted frame, found through the frame index; the warm-up output is
   * discarded. The result equals the whole-file gapless decode sample for sample.
   */
  async seek(frame: number): Promise<void> {
    const spf = this.index?.samplesPerFrame ?? 1152;
    const near = frame >= this.pos && frame - this.pos < 2 * MP3_WARMUP_FRAMES * spf;
    if (!near) {
      if (this.index === undefined) this.index = await mp3FrameIndex(this.file, this.audioOffset);
      const plan = this.index ? await planMp3Seek(this.file, this.index, frame) : null;
      if (plan && !(plan.outputPos <= this.pos && this.pos <= frame)) {
        const limit =
          this.index?.trimsEnd && this.info.frames !== null ? this.info.frames : Number.POSITIVE_INFINITY;
        // The warm-up frames and a few more: the region itself may be short.
        const offs = this.index?.offsets;
        const ahead = offs ? offs[Math.min(offs.length - 1, plan.frameIndex + 16)] - plan.offset : 0;
        this.restart(plan.offset, plan.outputPos, limit, Math.max(MIN_READ, Math.min(READ_BYTES, ahead)));
        this.stats.jumps++;
      } else if (frame < this.pos) {
        this.restart(this.audioOffset, 0, Number.POSITIVE_INFINITY);
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
