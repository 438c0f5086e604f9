/**
 * What patina accepts from a file's header, checked once at the boundary (probe) for every
 * container. A header outside these limits is damaged or hostile, not music: trusting it is what
 * let a 229 KB file claiming 65,535 channels take 400 MB, and one claiming 1 Hz turn into hours of
 * audio to resample. Everything past the probe may rely on these bounds.
 */
import { DecodeError } from "../core/errors.js";
import type { AudioInfo } from "./types.js";

export const AUDIO_LIMITS = {
  minChannels: 1,
  /** Third-order ambisonics needs 16; 7.1.4 beds 12. More is a broken header. */
  maxChannels: 32,
  /** The lowest rate MPEG audio defines; telephone recordings use it too. */
  minSampleRate: 8000,
  maxSampleRate: 384000,
  /**
   * Float samples this far above full scale (+6 dBFS, twice full scale) are flagged: floats may
   * go over 0 dBFS, but garbage bytes read as floats reach hundreds of dB.
   */
  maxFloatPeak: 2,
} as const;

const count = (n: number): string => n.toLocaleString("en-US");

/** Refuse channel counts and sample rates no recording has (DecodeError "corrupt" naming the value). */
export function checkFormatLimits(path: string, channels: number, sampleRate: number): void {
  const { minChannels, maxChannels, minSampleRate, maxSampleRate } = AUDIO_LIMITS;
  if (!(channels >= minChannels && channels <= maxChannels)) {
    throw new DecodeError(
      "corrupt",
      `the header claims ${count(channels)} channels; patina reads files of ${minChannels} to ${maxChannels} ` +
        "channels, so the header is probably damaged",
      { path },
    );
  }
  if (!(sampleRate >= minSampleRate && sampleRate <= maxSampleRate)) {
    const claim = Number.isFinite(sampleRate)
      ? `claims a sample rate of ${count(sampleRate)} Hz`
      : "holds no readable sample rate";
    throw new DecodeError(
      "corrupt",
      `the header ${claim}; patina reads ${count(minSampleRate)} to ${count(maxSampleRate)} Hz, so the ` +
        "header is probably damaged",
      { path },
    );
  }
}

/** Frames a byte of FLAC or MP3 can plausibly decode to (64:1 over 16-bit stereo; silence compresses further). */
const COMPRESSED_FRAMES_PER_BYTE = 16;

/**
 * Frames worth allocating for before decoding: WAV/AIFF lengths are counted from the bytes present;
 * FLAC and MP3 lengths are the encoder's word, so at most 16 frames per byte of the file are
 * trusted (buffers then grow as real frames arrive, or the caller reads without keeping them).
 */
export function plausibleFrames(info: Pick<AudioInfo, "container" | "frames" | "sizeBytes">): number {
  const frames = info.frames ?? 0;
  if (info.container === "wav" || info.container === "aiff") return frames;
  return Math.min(frames, COMPRESSED_FRAMES_PER_BYTE * info.sizeBytes);
}

/** "1:05.3" (or "1:02:05.3"): a position in the audio as a musician reads it. */
export function clockTime(seconds: number): string {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s - 3600 * h - 60 * m).toFixed(1).padStart(4, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
