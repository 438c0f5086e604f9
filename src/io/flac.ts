import { DecodeError } from "../core/errors.js";
import type { RandomAccessFile } from "./file.js";
import { FlacSeeker, readFlacLayout } from "./flac-seek.js";
import { discardUntil, type NativeSource, silenced } from "./source.js";
import type { AudioInfo } from "./types.js";

export interface FlacStreamInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Total frames, or null when the encoder did not know (STREAMINFO says 0). */
  readonly frames: number | null;
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
  const total =
    ((b[s + 13] & 0x0f) * 2 ** 32 +
      ((b[s + 14] << 24) | (b[s + 15] << 16) | (b[s + 16] << 8) | b[s + 17])) >>>
    0;
  if (sampleRate === 0)
    throw new DecodeError("corrupt", "FLAC STREAMINFO sample rate is 0", { path: file.path });
  return { sampleRate, channels, bitDepth, frames: total > 0 ? total : null };
}

interface FlacDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  bitDepth: number;
  errors: { message: string }[];
}
interface FlacDecoderLike {
  ready: Promise<void>;
  decode(data: Uint8Array): Promise<FlacDecoded>;
  flush(): Promise<FlacDecoded>;
  free(): void;
}

const READ_BYTES = 1 << 20;
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

/** FLAC through @wasm-audio-decoders/flac, fed in blocks read from the file. */
export class FlacSource implements NativeSource {
  readonly warnings: string[] = [];
  private decoder: FlacDecoderLike | null = null;
  private filePos = 0;
  private pos = 0;
  private ended = false;
  private pending: Float32Array[] | null = null;
  private errorCount = 0;
  private readSize = READ_BYTES;
  /** Built on the first far seek; null when the stream cannot be searched (then decode from the start). */
  private seeker: FlacSeeker | null | undefined;
  readonly stats: FlacSourceStats = { bytesDecoded: 0, bytesSearched: 0, jumps: 0 };

  constructor(
    private readonly file: RandomAccessFile,
    private readonly audioOffset: number,
    readonly info: AudioInfo,
  ) {
    this.filePos = audioOffset;
  }

  private async start(): Promise<FlacDecoderLike> {
    const { FLACDecoder } = await import("@wasm-audio-decoders/flac");
    const d = new FLACDecoder() as unknown as FlacDecoderLike;
    await d.ready;
    return d;
  }

  /** Undo the library's 1/(2^(b-1)-1) scaling: integers become exact multiples of 1/2^(b-1). */
  private fix(d: FlacDecoded): Float32Array[] | null {
    if (d.errors.length > 0) {
      this.errorCount += d.errors.length;
      if (this.warnings.length < 10) this.warnings.push(`FLAC decoder: ${d.errors[0].message}`);
    }
    if (d.samplesDecoded === 0) return null;
    const bits = d.bitDepth || this.info.bitDepth || 16;
    const up = 2 ** (bits - 1) - 1;
    const down = 1 / 2 ** (bits - 1);
    const out = d.channelData.slice(0, this.info.channels);
    // Adding and subtracting 1.5 * 2^52 rounds a double to the nearest integer (much faster than Math.round).
    const magic = 6755399441055744;
    for (const ch of out) {
      for (let i = 0; i < ch.length; i++) ch[i] = (ch[i] * up + magic - magic) * down;
    }
    return out;
  }

  private async decodeNext(): Promise<Float32Array[] | null> {
    if (!this.decoder) this.decoder = await this.start();
    const dec = this.decoder;
    for (;;) {
      if (this.ended) return null;
      const bytes = await this.file.readAt(this.filePos, this.readSize);
      this.readSize = Math.min(READ_BYTES, this.readSize * 2);
      this.stats.bytesDecoded += bytes.length;
      let decoded: FlacDecoded;
      if (bytes.length === 0) {
        this.ended = true;
        decoded = await silenced(() => dec.flush()).value;
      } else {
        this.filePos += bytes.length;
        // The decoder keeps its own copy of partial frames, so the block can be reused.
        decoded = await silenced(() => dec.decode(bytes.slice())).value;
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
        if (err instanceof DecodeError) throw err;
        throw new DecodeError("corrupt", `FLAC decoder failed: ${String(err)}`, {
          path: this.file.path,
          cause: err,
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

  private async getSeeker(): Promise<FlacSeeker | null> {
    if (this.seeker === undefined) {
      const layout = await readFlacLayout(this.file, this.audioOffset);
      this.seeker = layout ? new FlacSeeker(this.file, layout) : null;
    }
    return this.seeker;
  }

  /** Restart the decoder at a frame boundary: `offset` in the file, `sample` its first sample. */
  private restart(offset: number, sample: number, readSize: number): void {
    this.decoder?.free();
    this.decoder = null;
    this.filePos = offset;
    this.pos = sample;
    this.ended = false;
    this.pending = null;
    this.readSize = readSize;
  }

  /**
   * Jump to the frame holding `frame` (found through the seek table and frame headers), then decode and
   * discard only within that frame. Frames decode independently, so the output is bit-identical to a
   * whole-file decode. Near seeks forward just decode on.
   */
  async seek(frame: number): Promise<void> {
    const near = frame >= this.pos && frame - this.pos < 2 * (this.seeker?.layout.maxBlockSize || 4096);
    if (!near) {
      const seeker = await this.getSeeker();
      const before = seeker?.stats.bytesRead ?? 0;
      const at = seeker ? await seeker.locate(frame) : null;
      this.stats.bytesSearched += (seeker?.stats.bytesRead ?? 0) - before;
      if (at && !(at.sample <= this.pos && this.pos <= frame)) {
        const first = Math.min(FIRST_READ_AFTER_SEEK, 4 * (seeker?.frameBytes ?? FIRST_READ_AFTER_SEEK));
        this.restart(at.offset, at.sample, Math.max(4096, first));
        this.stats.jumps++;
      } else if (frame < this.pos) {
        this.restart(this.audioOffset, 0, READ_BYTES);
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
