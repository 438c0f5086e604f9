/**
 * An index of MPEG audio frame offsets, built by walking frame headers (header -> frame length -> next
 * header, no decoding), so region reads can start decoding a few frames before the wanted sample.
 * Built once per file and kept in a small in-memory cache keyed by path, size and mtime.
 */
import { stat } from "node:fs/promises";
import type { RandomAccessFile } from "./file.js";
import { type MpegFrameHeader, parseFrameHeader, parseXing } from "./mp3-header.js";

/** mpg123's decoder delay for layer III (samples): part of what its gapless mode trims. */
export const MPG123_LAYER3_DELAY = 529;

export interface Mp3FrameIndex {
  /** Byte offsets of the audio frames (a Xing/Info tag frame excluded), contiguous from the first. */
  readonly offsets: Uint32Array | Float64Array;
  readonly samplesPerFrame: number;
  /**
   * Output sample 0 of a gapless whole-file decode is raw sample `delay` of the audio frames (encoder
   * delay plus mpg123's decoder delay when a LAME tag tells the delay; else 0).
   */
  readonly delay: number;
  /** True when the decoder trims the end too (a LAME tag): seeked decodes stop at the header's length. */
  readonly trimsEnd: boolean;
  /**
   * Frames between which the synthesis filter's ring buffer returns to the same phase: starting on a
   * multiple of it makes a seeked decode bit-identical to the whole-file decode once warmed up.
   */
  readonly phasePeriod: number;
  /** Byte offset just past the last indexed frame. */
  readonly end: number;
}

const BLOCK = 1 << 20;
const CACHE_SIZE = 32;
const cache = new Map<string, Mp3FrameIndex | null>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Walk the frames from `audioOffset` (the first frame, as the sniffer found it). Stops at the first
 * byte that is not a frame of the same version/layer/rate (end of file, ID3v1/APE tag, junk): frames
 * after a gap are not indexed, so seeks past it fall back to decoding from the start. Null when the
 * stream has a tag frame the decoder may treat differently (VBRI) or a layer II/I LAME tag.
 */
async function buildIndex(file: RandomAccessFile, audioOffset: number): Promise<Mp3FrameIndex | null> {
  const head = await file.readAt(audioOffset, 4096);
  const h0 = parseFrameHeader(head, 0);
  if (!h0) return null;
  const x = parseXing(head, 0, h0);
  if (x?.kind === "VBRI") return null;
  const hasDelay = x !== null && x.encoderDelay !== null && x.encoderPadding !== null;
  if (hasDelay && h0.layer !== 3) return null;
  let pos = x ? audioOffset + h0.frameLength : audioOffset;
  let offsets = new Float64Array(Math.max(1024, Math.ceil((file.size - audioOffset) / 400)));
  let n = 0;
  let block: Uint8Array = new Uint8Array(0);
  let blockPos = 0;
  for (;;) {
    if (pos + 4 > blockPos + block.length) {
      if (pos + 4 > file.size) break;
      blockPos = pos;
      block = await file.readAt(pos, BLOCK);
      if (block.length < 4) break;
    }
    const h: MpegFrameHeader | null = parseFrameHeader(block, pos - blockPos);
    if (
      !h ||
      h.sampleRate !== h0.sampleRate ||
      h.layer !== h0.layer ||
      h.samplesPerFrame !== h0.samplesPerFrame ||
      pos + h.frameLength > file.size
    )
      break;
    if (n === offsets.length) {
      const g = new Float64Array(n * 2);
      g.set(offsets);
      offsets = g;
    }
    offsets[n++] = pos;
    pos += h.frameLength;
  }
  if (n === 0) return null;
  const calls = h0.samplesPerFrame / 32;
  return {
    // Four bytes a frame is enough below 4 GiB (a 60-minute file: about 550 KB).
    offsets: file.size < 2 ** 32 ? Uint32Array.from(offsets.subarray(0, n)) : offsets.slice(0, n),
    samplesPerFrame: h0.samplesPerFrame,
    delay: hasDelay ? (x?.encoderDelay ?? 0) + MPG123_LAYER3_DELAY : 0,
    trimsEnd: hasDelay,
    phasePeriod: 16 / gcd(16, calls),
    end: pos,
  };
}

/** The frame index of an open MP3 file, from the cache when the file is unchanged. */
export async function mp3FrameIndex(
  file: RandomAccessFile,
  audioOffset: number,
): Promise<Mp3FrameIndex | null> {
  let key: string;
  try {
    const st = await stat(file.path);
    key = `${file.path}\0${st.size}\0${st.mtimeMs}\0${audioOffset}`;
  } catch {
    return buildIndex(file, audioOffset);
  }
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const idx = await buildIndex(file, audioOffset);
  cache.set(key, idx);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return idx;
}

/** Frames decoded before the wanted one at least (the synthesis filter and overlap need a few). */
export const MP3_WARMUP_FRAMES = 10;
/** How far back the bit reservoir chain is followed (frames); past it, decode from the start. */
const MAX_LOOKBACK = 96;
/** Frames before the wanted one whose output feeds it (IMDCT overlap, filterbank history) and so must decode right. */
const DEPENDS_ON = 3;

/** Where to start decoding for gapless output frame `target`: audio frame index, byte offset, output frame. */
export interface Mp3SeekPlan {
  readonly frameIndex: number;
  readonly offset: number;
  /** Gapless output index of the first sample the restarted decoder yields (warm-up, to discard). */
  readonly outputPos: number;
}

/**
 * A plan to start decoding near gapless output frame `target`, or null when decoding from the start is
 * as good or needed. Layer III frames take their data from a bit reservoir in earlier frames (with
 * very low bitrates it reaches back a dozen frames), so the start goes back until the wanted frame and
 * the few before it find all their bytes, then down to a multiple of the filter's phase period.
 */
export async function planMp3Seek(
  file: RandomAccessFile,
  idx: Mp3FrameIndex,
  target: number,
): Promise<Mp3SeekPlan | null> {
  const spf = idx.samplesPerFrame;
  const t = Math.floor((target + idx.delay) / spf);
  const n = idx.offsets.length;
  // Close to the start a restart saves little: decode from the start.
  if (t >= n || t < 2 * MP3_WARMUP_FRAMES) return null;
  const first = Math.max(0, t - MAX_LOOKBACK);
  const base = idx.offsets[first];
  const b = await file.readAt(base, idx.offsets[t] - base + 64);
  // Main-data bytes of each frame and how far back its data begins (main_data_begin).
  const m = t - first + 1;
  const size = new Int32Array(m);
  const back = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const p = idx.offsets[first + j] - base;
    const h = parseFrameHeader(b, p);
    if (!h) return null;
    if (h.layer !== 3) continue;
    const crc = (b[p + 1] & 1) === 0 ? 2 : 0;
    const lsf = h.version !== 1;
    const side = lsf ? (h.channels === 1 ? 9 : 17) : h.channels === 1 ? 17 : 32;
    const q = p + 4 + crc;
    back[j] = lsf ? b[q] : (b[q] << 1) | (b[q + 1] >> 7);
    size[j] = h.frameLength - 4 - crc - side;
  }
  // Largest start s <= t - warm-up such that frames t-DEPENDS_ON..t find their reservoir bytes.
  let s = t - MP3_WARMUP_FRAMES - first;
  const ok = (start: number): boolean => {
    let avail = 0;
    for (let j = start; j < m; j++) {
      if (j >= t - first - DEPENDS_ON && avail < back[j]) return false;
      avail += size[j];
    }
    return true;
  };
  while (s >= 0 && !ok(s)) s--;
  if (s < 0) return null;
  let k = first + s;
  k -= k % idx.phasePeriod;
  const outputPos = k * spf - idx.delay;
  if (k <= 0 || outputPos < 0) return null;
  return { frameIndex: k, offset: idx.offsets[k], outputPos };
}
