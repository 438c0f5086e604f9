/** MPEG audio frame headers, Xing/Info/LAME and VBRI tags: enough to sniff and probe MP3 files. */

export interface MpegFrameHeader {
  /** 1, 2 or 2.5 */
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  readonly bitrateKbps: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly frameLength: number;
  readonly samplesPerFrame: number;
}

const BITRATES: Record<string, readonly number[]> = {
  "1-1": [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2-3": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<string, readonly number[]> = {
  "1": [44100, 48000, 32000],
  "2": [22050, 24000, 16000],
  "2.5": [11025, 12000, 8000],
};

/** Parse a 4-byte MPEG audio frame header at `p`, or null when the bytes are not a valid header. */
export function parseFrameHeader(b: Uint8Array, p: number): MpegFrameHeader | null {
  if (p + 4 > b.length) return null;
  if (b[p] !== 0xff || (b[p + 1] & 0xe0) !== 0xe0) return null;
  const v = (b[p + 1] >> 3) & 3;
  const l = (b[p + 1] >> 1) & 3;
  const bi = b[p + 2] >> 4;
  const si = (b[p + 2] >> 2) & 3;
  if (v === 1 || l === 0 || bi === 0 || bi === 15 || si === 3) return null;
  const version = v === 3 ? 1 : v === 2 ? 2 : 2.5;
  const layer = (4 - l) as 1 | 2 | 3;
  const bitrateKbps = BITRATES[`${version === 1 ? 1 : 2}-${layer}`][bi];
  const sampleRate = RATES[String(version)][si];
  const pad = (b[p + 2] >> 1) & 1;
  const channels = b[p + 3] >> 6 === 3 ? 1 : 2;
  let frameLength: number;
  let samplesPerFrame: number;
  if (layer === 1) {
    frameLength = (Math.floor((12000 * bitrateKbps) / sampleRate) + pad) * 4;
    samplesPerFrame = 384;
  } else {
    const lsf = layer === 3 && version !== 1;
    samplesPerFrame = lsf ? 576 : 1152;
    frameLength = Math.floor(((lsf ? 72000 : 144000) * bitrateKbps) / sampleRate) + pad;
  }
  return { version, layer, bitrateKbps, sampleRate, channels, frameLength, samplesPerFrame };
}

/**
 * Find the first frame at or after `from` (up to `maxScan` bytes on) confirmed by a second valid
 * header with the same rate right after it, so random bytes are not mistaken for MP3.
 */
export function findFirstFrame(b: Uint8Array, from: number, maxScan: number): number {
  const end = Math.min(b.length - 4, from + maxScan);
  for (let p = from; p <= end; p++) {
    if (b[p] !== 0xff) continue;
    const h = parseFrameHeader(b, p);
    if (!h) continue;
    const q = p + h.frameLength;
    if (q + 4 > b.length) {
      // A file holding a single frame: accept only at the very start of the audio.
      if (p === from && q <= b.length) return p;
      continue;
    }
    const h2 = parseFrameHeader(b, q);
    if (h2 && h2.sampleRate === h.sampleRate && h2.layer === h.layer) return p;
  }
  return -1;
}

export interface XingInfo {
  readonly kind: "Xing" | "Info" | "VBRI";
  /** Audio frames, excluding the tag frame itself. */
  readonly frames: number | null;
  readonly bytes: number | null;
  /** Encoder delay and padding from a LAME tag (samples), when present. */
  readonly encoderDelay: number | null;
  readonly encoderPadding: number | null;
}

const u32be = (b: Uint8Array, p: number): number =>
  ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;

/** Read a Xing/Info (with LAME extension) or VBRI tag from the first frame at `p`. */
export function parseXing(b: Uint8Array, p: number, h: MpegFrameHeader): XingInfo | null {
  const side = h.layer !== 3 ? 0 : h.version === 1 ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  const x = p + 4 + side;
  const tag = String.fromCharCode(b[x], b[x + 1], b[x + 2], b[x + 3]);
  if ((tag === "Xing" || tag === "Info") && x + 8 <= b.length) {
    const flags = u32be(b, x + 4);
    let q = x + 8;
    let frames: number | null = null;
    let bytes: number | null = null;
    if (flags & 1 && q + 4 <= b.length) {
      frames = u32be(b, q);
      q += 4;
    }
    if (flags & 2 && q + 4 <= b.length) {
      bytes = u32be(b, q);
      q += 4;
    }
    if (flags & 4) q += 100;
    if (flags & 8) q += 4;
    let encoderDelay: number | null = null;
    let encoderPadding: number | null = null;
    // LAME extension: 9-byte encoder string, then 12 bytes of fields, then delay/padding (12+12 bits).
    if (
      q + 24 <= b.length &&
      /^(LAME|Lavc|Lavf|L3.99|GOGO)/.test(String.fromCharCode(...b.subarray(q, q + 4)))
    ) {
      const d = q + 21;
      encoderDelay = (b[d] << 4) | (b[d + 1] >> 4);
      encoderPadding = ((b[d + 1] & 0x0f) << 8) | b[d + 2];
    }
    return { kind: tag, frames, bytes, encoderDelay, encoderPadding };
  }
  const v = p + 36;
  if (v + 18 <= b.length && String.fromCharCode(b[v], b[v + 1], b[v + 2], b[v + 3]) === "VBRI") {
    return {
      kind: "VBRI",
      bytes: u32be(b, v + 10),
      frames: u32be(b, v + 14),
      encoderDelay: null,
      encoderPadding: null,
    };
  }
  return null;
}

/** Size of an ID3v2 tag starting at `p` (header, body and footer), or 0 if none is there. */
export function id3v2Size(b: Uint8Array, p: number): number {
  if (p + 10 > b.length || b[p] !== 0x49 || b[p + 1] !== 0x44 || b[p + 2] !== 0x33) return 0;
  if (b[p + 3] === 0xff || b[p + 4] === 0xff) return 0;
  for (let i = 6; i < 10; i++) if (b[p + i] & 0x80) return 0;
  const size = (b[p + 6] << 21) | (b[p + 7] << 14) | (b[p + 8] << 7) | b[p + 9];
  const footer = b[p + 5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}
