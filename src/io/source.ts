import { DecodeError } from "../core/errors.js";
import type { RandomAccessFile } from "./file.js";
import { clockTime } from "./limits.js";
import { bytesPerFrame, convertPcm } from "./pcm.js";
import type { PcmLayout } from "./pcm-layout.js";
import type { AudioInfo } from "./types.js";

/** A decoder positioned in one file, yielding blocks of planar frames at the file's own rate. */
export interface NativeSource {
  readonly info: AudioInfo;
  /** Recoverable problems met so far (grows while reading). */
  readonly warnings: string[];
  /** The next block of frames (any length > 0), or null at the end of the audio. */
  read(): Promise<Float32Array[] | null>;
  /**
   * Position so that the next read starts at `frame`. PCM seeks directly; FLAC jumps to the frame
   * holding it and MP3 restarts a few frames before it (flac-seek.ts, mp3-index.ts), decoding and
   * discarding only the rest, so the output stays identical to a whole-file decode.
   */
  seek(frame: number): Promise<void>;
  close(): Promise<void>;
}

const PCM_BLOCK_BYTES = 1 << 18;

/** WAV/AIFF sample data read straight from the byte offset of the wanted frame. */
export class PcmSource implements NativeSource {
  readonly warnings: string[];
  private pos = 0;
  private readonly blockFrames: number;
  private readonly buf: Uint8Array;

  constructor(
    private readonly file: RandomAccessFile,
    private readonly layout: PcmLayout,
    readonly info: AudioInfo,
  ) {
    this.warnings = [...layout.warnings];
    this.blockFrames = Math.max(1, Math.floor(PCM_BLOCK_BYTES / bytesPerFrame(layout.format)));
    this.buf = new Uint8Array(this.blockFrames * bytesPerFrame(layout.format));
  }

  async read(): Promise<Float32Array[] | null> {
    const n = Math.min(this.blockFrames, this.layout.frames - this.pos);
    if (n <= 0) return null;
    const fb = bytesPerFrame(this.layout.format);
    const bytes = await this.file.readAt(this.layout.dataOffset + this.pos * fb, n * fb, this.buf);
    const got = Math.floor(bytes.length / fb);
    if (got === 0) return null;
    const out: Float32Array[] = [];
    for (let c = 0; c < this.layout.format.channels; c++) out.push(new Float32Array(got));
    convertPcm(bytes, this.layout.format, got, out, 0);
    this.pos += got;
    return out;
  }

  async seek(frame: number): Promise<void> {
    this.pos = Math.max(0, Math.min(frame, this.layout.frames));
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/**
 * Skip frames by decoding and discarding (the last stretch after a jump). Returns the first block
 * from `frame` on, already trimmed, or null at the end.
 */
export async function discardUntil(
  read: () => Promise<Float32Array[] | null>,
  current: number,
  frame: number,
): Promise<{ pos: number; pending: Float32Array[] | null }> {
  let pos = current;
  while (pos < frame) {
    const b = await read();
    if (!b) return { pos, pending: null };
    const n = b[0].length;
    if (pos + n > frame) {
      const skip = frame - pos;
      return { pos: frame, pending: b.map((c) => c.subarray(skip)) };
    }
    pos += n;
  }
  return { pos, pending: null };
}

/** Run a decoder call with console.error silenced (the WASM decoders print there); returns what it printed. */
export function silenced<T>(fn: () => T): { value: T; messages: string[] } {
  const messages: string[] = [];
  const orig = console.error;
  console.error = (...args: unknown[]): void => {
    messages.push(args.map(String).join(" "));
  };
  try {
    return { value: fn(), messages };
  } finally {
    console.error = orig;
  }
}

/** libFLAC's status names (what the WASM decoder reports) in words. */
const FLAC_STATUS: readonly (readonly [RegExp, string])[] = [
  [/LOST_SYNC/, "lost the frame sync; damaged bytes were skipped"],
  [/BAD_HEADER/, "a frame header is damaged"],
  [/CRC_MISMATCH/, "a frame failed its checksum"],
  [/UNPARSEABLE/, "the stream holds data it cannot parse"],
  [/METADATA/, "a metadata block is damaged"],
];

/**
 * A decoder's complaint as a warning a musician can read: what happened and about where, instead
 * of the library's status code (`FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC; State: ...`).
 */
export function decoderWarning(codec: string, raw: string, at: DecodePosition): string {
  const what = FLAC_STATUS.find(([re]) => re.test(raw))?.[1] ?? "damaged data was skipped";
  const where = `at about ${clockTime(at.frame / at.sampleRate)} (byte ${at.byte.toLocaleString("en-US")})`;
  return `${codec} decoder: ${what} ${where}`;
}

/** Where a decoder was when it failed: the frame it was producing and the byte it was reading. */
export interface DecodePosition {
  readonly frame: number;
  readonly sampleRate: number;
  readonly byte: number;
}

/**
 * A third-party decoder's failure as a DecodeError naming the file and where it broke (our own
 * DecodeErrors pass through). A WebAssembly trap ("memory access out of bounds", "unreachable") means
 * the decoder met bytes it could not handle: to the user that is a corrupt file at that point, and
 * the trap's own text, meaningful only to the decoder's authors, stays in `cause`.
 */
export function decoderFailure(err: unknown, codec: string, path: string, at: DecodePosition): DecodeError {
  if (err instanceof DecodeError) return err;
  const where = `at about ${clockTime(at.frame / at.sampleRate)} (byte ${at.byte.toLocaleString("en-US")})`;
  return new DecodeError("corrupt", `the file is corrupt ${where}: the ${codec} decoder cannot read on`, {
    path,
    cause: err,
  });
}
