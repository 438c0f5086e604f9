/**
 * Splits a FLAC stream into frames for the decoder's `decodeFrames`: a frame ends where the next valid
 * header (CRC-8, STREAMINFO-consistent) continues the frame/sample numbering. Found with a native
 * byte search, this is much cheaper than a general-purpose parser that CRC-16-checks every frame in
 * JavaScript; libFLAC checks each frame's CRC-16 itself while decoding.
 */
import type { RandomAccessFile } from "./file.js";
import { type FlacFrameHeader, type FlacLayout, parseFlacFrameHeader } from "./flac-seek.js";

/** Bytes a header can span (sync to CRC-8), so a candidate is parsed only once all of it is read. */
const HEADER_MAX = 16;

export class FlacFrameReader {
  private buf = new Uint8Array(0);
  /** File offset of buf[0], and how many bytes of buf hold data. */
  private bufStart = 0;
  private bufLen = 0;
  /** File offset of the next unread byte, and of the frame to emit next. */
  private filePos = 0;
  private cur = 0;
  private eof = false;
  /** Bytes read from the file (for tests and benchmarks). */
  bytesRead = 0;
  /** Bytes of junk skipped while looking for a frame header. */
  skipped = 0;
  /** Block sizes the headers of the last batch's frames announce. */
  readonly blockSizes: number[] = [];
  /** File offsets of the last batch's frames. */
  readonly frameOffsets: number[] = [];
  /** True when the last batch's final frame ran to the end of the file (it may be cut short). */
  atEof = false;
  private readonly lostSync: number;

  constructor(
    private readonly file: RandomAccessFile,
    private readonly layout: FlacLayout,
    frameBytes: number,
    offset: number,
    private readSize: number,
    private readonly maxReadSize: number,
  ) {
    this.filePos = offset;
    this.cur = offset;
    this.bufStart = offset;
    // Past this distance without a header continuing the numbering, frames were lost (corruption):
    // take any valid header as the next frame.
    this.lostSync = 2 * frameBytes + 65536;
  }

  /** File offset of the next frame to hand out (where decoding stands). */
  get offset(): number {
    return this.cur;
  }

  private async fill(): Promise<void> {
    if (this.eof) return;
    // Keep the bytes from the current frame on, moved to the front.
    const from = this.cur - this.bufStart;
    const keep = this.bufLen - from;
    const need = keep + this.readSize;
    let b = this.buf;
    if (b.length < need) {
      b = new Uint8Array(Math.max(need, 2 * b.length));
      b.set(this.buf.subarray(from, this.bufLen));
    } else b.copyWithin(0, from, this.bufLen);
    const got = await this.file.readAt(this.filePos, this.readSize, b.subarray(keep));
    // readAt fills the buffer it is given when it is large enough; copy in case it did not.
    if (got.buffer !== b.buffer) b.set(got, keep);
    this.buf = b;
    this.bufStart = this.cur;
    this.bufLen = keep + got.length;
    this.filePos += got.length;
    this.bytesRead += got.length;
    this.readSize = Math.min(this.maxReadSize, this.readSize * 2);
    if (got.length === 0 || this.filePos >= this.file.size) this.eof = true;
  }

  /** Header at buffer index p, or null. */
  private header(p: number): FlacFrameHeader | null {
    return parseFlacFrameHeader(this.buf.subarray(0, this.bufLen), p, this.layout);
  }

  /**
   * The next batch of whole frames (at least `minBytes` of them unless the stream ends), as views that
   * stay valid until the next call; null at the end. The final frame of the file is passed whole even if
   * the file is cut inside it (the decoder reports it).
   */
  async next(minBytes: number): Promise<Uint8Array[] | null> {
    const frames: Uint8Array[] = [];
    this.blockSizes.length = 0;
    this.frameOffsets.length = 0;
    this.atEof = false;
    let bytes = 0;
    for (;;) {
      const b = this.buf;
      const end = this.bufLen;
      let s = this.cur - this.bufStart;
      // Resynchronise when the current position is not a frame header (junk, corruption).
      let h = this.header(s);
      while (!h && s + HEADER_MAX <= end) {
        const c = b.indexOf(0xff, s + 1);
        s = c < 0 || c >= end ? end : c;
        if (s + HEADER_MAX <= end || this.eof) h = this.header(s);
      }
      if (h) {
        this.skipped += s - (this.cur - this.bufStart);
        this.cur = this.bufStart + s;
        const nextNumber = h.variable ? h.number + h.blockSize : h.number + 1;
        let p = s + h.headerBytes + 2;
        let stop = -1;
        for (;;) {
          const c = b.indexOf(0xff, p);
          if (c < 0 || c >= end || (c + HEADER_MAX > end && !this.eof)) break;
          if ((b[c + 1] & 0xfe) === 0xf8) {
            const n = this.header(c);
            if (
              n &&
              n.variable === h.variable &&
              (n.number === nextNumber || (c - s > this.lostSync && n.number > h.number))
            ) {
              stop = c;
              break;
            }
          }
          p = c + 1;
        }
        if (stop < 0 && this.eof && end > s) {
          stop = end;
          this.atEof = true;
        }
        if (stop >= 0) {
          frames.push(b.subarray(s, stop));
          this.blockSizes.push(h.blockSize);
          this.frameOffsets.push(this.bufStart + s);
          bytes += stop - s;
          this.cur = this.bufStart + stop;
          if (bytes >= minBytes) return frames;
          continue;
        }
      } else if (this.eof) {
        this.skipped += end - (this.cur - this.bufStart);
        this.cur = this.bufStart + end;
      }
      // Need more bytes. Frames already cut are views of the buffer: return them before refilling.
      if (frames.length > 0) return frames;
      if (this.eof) {
        if (this.cur >= this.bufStart + end) return null;
        continue;
      }
      await this.fill();
    }
  }
}
