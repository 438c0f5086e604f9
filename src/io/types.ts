import type { PlanarAudio } from "../core/audio.js";

export type Container = "wav" | "aiff" | "flac" | "mp3";

/** What a probe reads from headers, without decoding. */
export interface AudioInfo {
  readonly path: string;
  readonly container: Container;
  /** e.g. "pcm_s16le", "pcm_f32le", "pcm_s24be", "flac", "mp3" (ffprobe-like names). */
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** Bits per sample; null for lossy codecs. */
  readonly bitDepth: number | null;
  /** Frames at the file's own rate, when the header tells (null if unknown). */
  readonly frames: number | null;
  readonly durationSec: number;
  readonly sizeBytes: number;
  readonly warnings: readonly string[];
}

/** Options shared by every decode entry point. */
export interface DecodeOptions {
  /** Resample to this rate (Hz). Omit to keep the file's own rate. */
  readonly sampleRate?: number;
  /** Downmix to one channel by averaging. */
  readonly mono?: boolean;
  /**
   * Frames per chunk for streaming (at the output rate). Default 65536. "any": the blocks as the
   * decoder yields them (sizes vary), which saves re-cutting them into fresh arrays.
   */
  readonly chunkFrames?: number | "any";
  /**
   * Called with every decoded block at the file's own rate, before any downmix or resampling
   * (the arrays are reused downstream: copy what you keep).
   */
  readonly onNativeBlock?: (channels: readonly Float32Array[]) => void;
}

/** A decoded chunk: planar channels at the output rate; `offset` is the first frame's index. */
export interface AudioChunk extends PlanarAudio {
  readonly offset: number;
}

/** An opened audio stream: info first, then chunks; warnings collected as decoding goes. */
export interface AudioStream extends AsyncIterable<AudioChunk> {
  readonly info: AudioInfo;
  /** Output sample rate of the chunks. */
  readonly sampleRate: number;
  /** Output channel count of the chunks. */
  readonly channels: number;
  /** Warnings found while decoding (e.g. header claims more data than exists). Grows as it reads. */
  readonly warnings: string[];
  /** Release the file early (iterating to the end, or breaking out of the loop, also releases it). */
  close(): Promise<void>;
}

export interface DecodedAudio extends PlanarAudio {
  readonly info: AudioInfo;
  readonly warnings: readonly string[];
}
