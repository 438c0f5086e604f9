import type { PcmFormat } from "./pcm.js";

/** Where a WAV/AIFF file's samples are and how they are stored, read from its header alone. */
export interface PcmLayout {
  readonly format: PcmFormat;
  readonly sampleRate: number;
  /** Significant bits per sample (e.g. 20 in a 24-bit container), reported as bit depth. */
  readonly bitDepth: number;
  readonly codec: string;
  /** Byte offset of the first sample frame. */
  readonly dataOffset: number;
  /** Whole frames that actually exist in the file (the header may claim more). */
  readonly frames: number;
  readonly warnings: readonly string[];
}
