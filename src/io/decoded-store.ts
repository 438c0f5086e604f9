/**
 * The decoded samples of one source, kept from its streaming pass so that later region reads are
 * copies instead of seeks and decodes (in a FLAC, 18 region reads of a 5-minute track cost about
 * as much as decoding a quarter of it again). Sources of 16 bits or fewer keep exact 16-bit
 * integers (half the memory of floats); others keep floats. Only sources read at their own rate
 * with one or two channels qualify: that is exactly what a region read would return.
 */
import { floatToInt16, int16ToFloat } from "../dsp/sample-kernels.js";
import { plausibleFrames } from "./limits.js";
import type { AudioInfo } from "./types.js";

/** Codecs whose samples are k / 2^(bits-1) with bits <= 16 (so k * 2^(16-bits) is a 16-bit integer). */
function sixteenBitExact(info: AudioInfo): boolean {
  if (info.bitDepth === null || info.bitDepth > 16) return false;
  return info.codec === "flac" || /^pcm_[su]\d+(le|be)?$/.test(info.codec);
}

export class DecodedStore {
  /** Frames appended so far. */
  frames = 0;
  readonly bytes: number;
  private readonly ints: Int16Array[] | null;
  private readonly floats: Float32Array[] | null;
  private overflow = false;

  private constructor(
    private readonly capacity: number,
    channels: number,
    exact16: boolean,
  ) {
    this.ints = exact16 ? Array.from({ length: channels }, () => new Int16Array(capacity)) : null;
    this.floats = exact16 ? null : Array.from({ length: channels }, () => new Float32Array(capacity));
    this.bytes = capacity * channels * (exact16 ? 2 : 4);
  }

  /**
   * A store for a source read at `outputRate`, or null when it does not qualify (resampled, more
   * than two channels, unknown length) or would take more than `maxBytes`.
   */
  static for(info: AudioInfo, outputRate: number, maxBytes: number): DecodedStore | null {
    if (info.sampleRate !== outputRate || info.channels > 2 || info.frames === null) return null;
    // Never sized from a length the file cannot hold (a damaged FLAC/MP3 header): read by region then.
    if (plausibleFrames(info) < info.frames) return null;
    const exact16 = sixteenBitExact(info);
    if (info.frames * info.channels * (exact16 ? 2 : 4) > maxBytes) return null;
    return new DecodedStore(info.frames, info.channels, exact16);
  }

  /** The next native block (planar, before any downmix); a stream longer than its header drops the store. */
  append(block: readonly Float32Array[]): void {
    const n = block[0].length;
    if (this.overflow || this.frames + n > this.capacity) {
      this.overflow = true;
      return;
    }
    for (let c = 0; c < block.length; c++) {
      if (this.ints) floatToInt16(block[c], this.ints[c], this.frames);
      else this.floats?.[c].set(block[c], this.frames);
    }
    this.frames += n;
  }

  /** Whether the store holds exactly the `frames` frames the stream gave. */
  holds(frames: number): boolean {
    return !this.overflow && this.frames === frames;
  }

  /** Frames [start, end) of every channel, as fresh arrays (what a region decode returns). */
  region(start: number, end: number): Float32Array[] {
    if (this.ints) return this.ints.map((ch) => int16ToFloat(ch, start, end));
    return (this.floats ?? []).map((ch) => ch.slice(start, end));
  }
}
