/**
 * Finding the FLAC frame that holds a given sample without decoding from the start: the SEEKTABLE
 * narrows the byte range when there is one, then an interpolation/bisection search over byte offsets
 * lands on frame headers (sync code, header fields checked against STREAMINFO, CRC-8), each confirmed
 * by the CRC-16 of the whole frame up to the next header (so a sync pattern inside compressed audio is
 * never taken for a frame).
 */
import type { RandomAccessFile } from "./file.js";

/** What the search needs from STREAMINFO and the metadata blocks. */
export interface FlacLayout {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: number;
  /** Total frames (samples per channel), or null when STREAMINFO does not tell. */
  readonly totalSamples: number | null;
  readonly maxBlockSize: number;
  /** STREAMINFO's maximum frame size in bytes (0 = unknown). */
  readonly maxFrameSize: number;
  /** Byte offset of the first audio frame (after the last metadata block). */
  readonly firstFrame: number;
  /** SEEKTABLE points (placeholders dropped), offsets made absolute, sorted by sample. */
  readonly seekPoints: readonly { readonly sample: number; readonly offset: number }[];
}

/** A frame found in the file. */
export interface FlacFramePos {
  readonly offset: number;
  /** Index of the frame's first sample. */
  readonly sample: number;
  readonly blockSize: number;
}

const u32 = (b: Uint8Array, p: number): number =>
  ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;

/** Walk the metadata blocks after "fLaC" at `offset`: STREAMINFO fields, SEEKTABLE, first frame offset. */
export async function readFlacLayout(file: RandomAccessFile, offset: number): Promise<FlacLayout | null> {
  let p = offset + 4;
  let si: Uint8Array | null = null;
  let table: Uint8Array | null = null;
  for (let guard = 0; guard < 1024; guard++) {
    const h = await file.readAt(p, 4);
    if (h.length < 4) return null;
    const type = h[0] & 0x7f;
    const len = (h[1] << 16) | (h[2] << 8) | h[3];
    if (type === 0) si = await file.readAt(p + 4, 34);
    // A seek table of 2^16 points is about 1 MB; larger ones are not worth reading.
    if (type === 3 && len <= 18 << 16) table = await file.readAt(p + 4, len);
    p += 4 + len;
    if (h[0] & 0x80) break;
  }
  if (!si || si.length < 34 || p >= file.size) return null;
  const total = (si[13] & 0x0f) * 2 ** 32 + u32(si, 14);
  const points: { sample: number; offset: number }[] = [];
  if (table) {
    for (let q = 0; q + 18 <= table.length; q += 18) {
      const hi = u32(table, q);
      if (hi === 0xffffffff) continue; // placeholder point
      const sample = hi * 2 ** 32 + u32(table, q + 4);
      const off = p + u32(table, q + 8) * 2 ** 32 + u32(table, q + 12);
      if (off < file.size && (points.length === 0 || sample > points[points.length - 1].sample)) {
        points.push({ sample, offset: off });
      }
    }
  }
  return {
    sampleRate: (si[10] << 12) | (si[11] << 4) | (si[12] >> 4),
    channels: ((si[12] >> 1) & 7) + 1,
    bitDepth: (((si[12] & 1) << 4) | (si[13] >> 4)) + 1,
    totalSamples: total > 0 ? total : null,
    maxBlockSize: (si[2] << 8) | si[3],
    maxFrameSize: (si[7] << 16) | (si[8] << 8) | si[9],
    firstFrame: p,
    seekPoints: points,
  };
}

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  let c16 = i << 8;
  for (let k = 0; k < 8; k++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  }
  CRC8[i] = c8;
  CRC16[i] = c16;
}

const RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const BITS = [0, 8, 12, 0, 16, 20, 24, 32];

/** A parsed frame header: block size, first sample (or frame number), its length in bytes. */
export interface FlacFrameHeader {
  readonly variable: boolean;
  /** Frame number (fixed block size) or sample number (variable block size). */
  readonly number: number;
  readonly blockSize: number;
  readonly headerBytes: number;
}

/**
 * Parse and check a frame header at `p`: sync, reserved bits, codes consistent with STREAMINFO, CRC-8.
 * Null when anything is off (or the bytes end before the header does).
 */
export function parseFlacFrameHeader(b: Uint8Array, p: number, l: FlacLayout): FlacFrameHeader | null {
  if (p + 6 > b.length || b[p] !== 0xff || (b[p + 1] & 0xfe) !== 0xf8) return null;
  const bsCode = b[p + 2] >> 4;
  const srCode = b[p + 2] & 0x0f;
  const chCode = b[p + 3] >> 4;
  const bpsCode = (b[p + 3] >> 1) & 7;
  if (bsCode === 0 || srCode === 15 || (b[p + 3] & 1) !== 0 || chCode > 10 || bpsCode === 3) return null;
  if ((chCode < 8 ? chCode + 1 : 2) !== l.channels) return null;
  if (bpsCode !== 0 && BITS[bpsCode] !== l.bitDepth) return null;
  if (srCode >= 1 && srCode <= 11 && RATES[srCode] !== l.sampleRate) return null;
  // UTF-8-like coded number: 1 to 7 bytes.
  let q = p + 4;
  const first = b[q++];
  let extra: number;
  let num: number;
  if (first < 0x80) {
    extra = 0;
    num = first;
  } else if (first >= 0xc0 && first < 0xe0) {
    extra = 1;
    num = first & 0x1f;
  } else if (first >= 0xe0 && first < 0xf0) {
    extra = 2;
    num = first & 0x0f;
  } else if (first >= 0xf0 && first < 0xf8) {
    extra = 3;
    num = first & 0x07;
  } else if (first >= 0xf8 && first < 0xfc) {
    extra = 4;
    num = first & 0x03;
  } else if (first >= 0xfc && first < 0xfe) {
    extra = 5;
    num = first & 0x01;
  } else if (first === 0xfe) {
    extra = 6;
    num = 0;
  } else return null;
  if (q + extra + 3 > b.length) return null;
  for (let k = 0; k < extra; k++) {
    const c = b[q++];
    if ((c & 0xc0) !== 0x80) return null;
    num = num * 64 + (c & 0x3f);
  }
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) blockSize = b[q++] + 1;
  else if (bsCode === 7) {
    blockSize = ((b[q] << 8) | b[q + 1]) + 1;
    q += 2;
  } else blockSize = 256 << (bsCode - 8);
  if (l.maxBlockSize > 0 && blockSize > l.maxBlockSize) return null;
  if (srCode === 12) {
    if (b[q] * 1000 !== l.sampleRate) return null;
    q += 1;
  } else if (srCode === 13 || srCode === 14) {
    const v = (b[q] << 8) | b[q + 1];
    if ((srCode === 13 ? v : v * 10) !== l.sampleRate) return null;
    q += 2;
  }
  if (q >= b.length) return null;
  let crc = 0;
  for (let i = p; i < q; i++) crc = CRC8[crc ^ b[i]];
  if (crc !== b[q]) return null;
  return { variable: (b[p + 1] & 1) === 1, number: num, blockSize, headerBytes: q + 1 - p };
}

/** Counters for tests and benchmarks: how much the search read. */
export interface FlacSeekStats {
  bytesRead: number;
  probes: number;
}

export class FlacSeeker {
  readonly stats: FlacSeekStats = { bytesRead: 0, probes: 0 };
  private first: FlacFramePos | null = null;
  private variable = false;
  /** Nominal block size of a fixed-block-size stream (the first frame's). */
  private nominal = 0;
  private readonly frameBound: number;
  /** Upper bound of a frame's size in bytes (for sizing reads). */
  get frameBytes(): number {
    return this.frameBound;
  }

  constructor(
    private readonly file: RandomAccessFile,
    readonly layout: FlacLayout,
  ) {
    // STREAMINFO's largest frame when the encoder recorded it; else a frame's samples stored verbatim
    // (side channel one bit wider) plus headers. A wrong figure only makes the search fail, and a
    // failed search decodes from the start.
    const raw = Math.ceil((Math.max(layout.maxBlockSize, 192) * layout.channels * (layout.bitDepth + 1)) / 8);
    this.frameBound = layout.maxFrameSize > 0 ? layout.maxFrameSize + 16 : raw + 64 * layout.channels + 32;
  }

  private async read(pos: number, n: number): Promise<Uint8Array> {
    const b = await this.file.readAt(pos, n);
    this.stats.bytesRead += b.length;
    return b;
  }

  private sampleOf(h: FlacFrameHeader): number {
    return h.variable ? h.number : h.number * this.nominal;
  }

  /**
   * Confirm a frame header at absolute offset `pos`: the frame's CRC-16 must check out up to the next
   * valid header that continues the sample count (or the end of the file). Returns the frame and where
   * the next one starts, or null.
   */
  private async confirm(
    pos: number,
    buf?: Uint8Array,
    bufPos = 0,
  ): Promise<{ frame: FlacFramePos; next: number } | null> {
    let b = buf;
    let base = bufPos;
    const need = this.frameBound + 24;
    if (!b || pos - base + need > b.length) {
      b = await this.read(pos, need);
      base = pos;
    }
    const p = pos - base;
    const h = parseFlacFrameHeader(b, p, this.layout);
    if (!h || h.variable !== this.variable) return null;
    const sample = this.sampleOf(h);
    const end = b.length;
    let crc = 0;
    for (let i = p; i < end; i++) {
      crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ b[i]];
      if (crc !== 0 || i < p + h.headerBytes + 2) continue;
      const q = i + 1;
      if (base + q >= this.file.size)
        return { frame: { offset: pos, sample, blockSize: h.blockSize }, next: base + q };
      if (b[q] !== 0xff) continue;
      const n = parseFlacFrameHeader(b, q, this.layout);
      if (n && n.variable === h.variable && this.sampleOf(n) === sample + h.blockSize) {
        return { frame: { offset: pos, sample, blockSize: h.blockSize }, next: base + q };
      }
    }
    return null;
  }

  /** The first frame: fixes the blocking strategy and nominal block size for the whole search. */
  private async firstFrame(): Promise<FlacFramePos | null> {
    if (this.first) return this.first;
    const b = await this.read(this.layout.firstFrame, 24);
    const h = parseFlacFrameHeader(b, 0, this.layout);
    if (!h) return null;
    this.variable = h.variable;
    this.nominal = h.blockSize;
    const c = await this.confirm(this.layout.firstFrame);
    if (c?.frame.sample !== 0) return null;
    this.first = c.frame;
    return this.first;
  }

  /** The first confirmed frame starting in [from, limit), or null. */
  private async frameFrom(from: number, limit: number): Promise<FlacFramePos | null> {
    const win = 2 * this.frameBound + 64;
    for (let start = from; start < limit; start += win - this.frameBound - 32) {
      this.stats.probes++;
      const b = await this.read(start, win);
      const step = win - this.frameBound - 32;
      // Candidates past `step` are looked at by the next window, which holds their whole frame.
      const stop = Math.min(b.length < win ? b.length - 1 : step, limit - start);
      for (let i = 0; i < stop; i++) {
        if (b[i] !== 0xff || (b[i + 1] & 0xfe) !== 0xf8) continue;
        const c = await this.confirm(start + i, b, start);
        if (c) return c.frame;
      }
      if (b.length < win) break;
    }
    return null;
  }

  /**
   * The frame holding sample `target` (or the last frame starting at or before it), found by reading
   * only a few windows of the file. Null when the stream does not allow it (then decode from the start).
   */
  async locate(target: number): Promise<FlacFramePos | null> {
    const first = await this.firstFrame();
    if (!first) return null;
    let lo: FlacFramePos = first;
    let hiOffset = this.file.size;
    let hiSample = this.layout.totalSamples ?? Number.POSITIVE_INFINITY;
    // The last seek point at or before the target, and the one after it, bound the search.
    const pts = this.layout.seekPoints;
    let a = 0;
    let z = pts.length;
    while (a < z) {
      const m = (a + z) >> 1;
      if (pts[m].sample <= target) a = m + 1;
      else z = m;
    }
    const below = pts[a - 1];
    if (below && below.sample > lo.sample) {
      const c = await this.confirm(below.offset);
      // A seek table that disagrees with the frames is ignored.
      if (c && c.frame.sample === below.sample) lo = c.frame;
    }
    const above = pts[a];
    if (above && above.offset > lo.offset && above.offset < hiOffset) {
      hiOffset = above.offset;
      hiSample = above.sample;
    }
    // Below a few frames' worth of bytes, walking frame by frame is cheaper than probing.
    const small = 4 * this.frameBound;
    for (let step = 0; step < 64 && hiOffset - lo.offset > small; step++) {
      if (lo.sample + lo.blockSize > target) return lo;
      const span = hiOffset - lo.offset;
      // Interpolate, but every third step bisect so a skewed bitrate still halves the range.
      const frac =
        step % 3 === 2 || !Number.isFinite(hiSample) ? 0.5 : (target - lo.sample) / (hiSample - lo.sample);
      const guess = lo.offset + Math.max(1, Math.min(span - small / 2, Math.floor(span * frac)));
      const f = await this.frameFrom(guess, hiOffset);
      if (!f) hiOffset = guess;
      else if (f.sample <= target) lo = f;
      else {
        hiOffset = f.offset;
        hiSample = f.sample;
      }
    }
    // Walk the remaining frames one by one (each confirmation also tells where the next frame starts).
    let c = await this.confirm(lo.offset);
    for (let guard = 0; c && guard < 1 << 20; guard++) {
      const f = c.frame;
      if (f.sample + f.blockSize > target || c.next >= this.file.size) return f;
      const n = await this.confirm(c.next);
      if (!n || n.frame.sample > target) return f;
      c = n;
    }
    return lo;
  }
}
