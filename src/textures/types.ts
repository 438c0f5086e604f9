import type { PlanarAudio } from "../core/audio.js";
import type { TextureCategory, TextureType } from "../core/manifest.js";

/**
 * A source as the generators see it: its one-pass analysis plus a way to fetch just the audio
 * regions they need. Generators never touch files; the pipeline hands them this.
 */
export interface SourceMaterial<A = unknown> {
  /** Safe file-name stem of the source, used in output names. */
  readonly name: string;
  /** Output/analysis sample rate (the configured rate). */
  readonly sampleRate: number;
  /** Total frames at `sampleRate`. */
  readonly frames: number;
  /** Channels of the source (regions come back with this many channels). */
  readonly channels: number;
  /** The track's analysis from the single streaming pass. */
  readonly analysis: A;
  /** Fetch frames [start, end) at `sampleRate`. Out-of-range parts are clamped to the file. */
  readRegion(start: number, end: number): Promise<PlanarAudio>;
}

/** One texture a generator made, before it is measured, graded and written. */
export interface Texture {
  /** File name (safe, ends with .wav), unique within its source and category. */
  readonly name: string;
  readonly category: TextureCategory;
  readonly type: TextureType;
  /** At the configured rate; one channel, or two when the category exports stereo. */
  readonly audio: PlanarAudio;
  /** Loop points in samples (end exclusive) for loops; the whole file for seamless loops. */
  readonly loop?: { readonly start: number; readonly end: number };
  /**
   * Root note, only when the pitch reading was confident (analysis/pitch.ts): frequency, nearest
   * MIDI note (A4 = 69) and the cents from it, in [-50, 50]. Null when there is no root.
   */
  readonly rootHz?: number | null;
  readonly rootMidi?: number | null;
  readonly rootCents?: number | null;
  /** Confidence of the pitch reading in [0, 1], also when too low for a root; absent when not analysed. */
  readonly rootConfidence?: number | null;
  /** Key of the material (e.g. "A minor"): a chord has a key but no root. */
  readonly key?: string | null;
  /** Parameters that made it (recorded in the manifest). */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Measures the generator already took of exactly `audio` (peak normalisation aside: both are
   * ratios), so the pipeline does not compute them again: the mean spectral centroid of the
   * downmix (`meanCentroidHz`) and, for loops, the worst channel's seam (`worstSeam`).
   */
  readonly measured?: {
    readonly centroidHz?: number;
    readonly seam?: { readonly clickDb: number; readonly dipDb: number };
  };
}

/**
 * What a generator returns: the textures it made and, when it made none on purpose (no region
 * passed its quality gate, nothing usable in the source), why, so the pipeline can report it.
 */
export interface GeneratorResult {
  readonly textures: Texture[];
  /** Reason nothing (or less than asked) was made; absent when everything asked for was made. */
  readonly skipped?: string;
}
