/**
 * Small helpers shared by the tonal generators (pads, drones): channel layout, joint peak
 * normalisation, a multichannel wrapper around the loop maker, the seam bar every loop must pass,
 * the steadiest span of a short buffer, brightness from a texture's own spectrum, and naming.
 */

import { brightnessClass } from "../analysis/brightness.js";
import { meanCentroidHz } from "../analysis/centroid.js";
import { hzToMidi, type PitchEstimate } from "../analysis/pitch.js";
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import type { Brightness } from "../core/manifest.js";
import { dbToAmp } from "../core/units.js";
import { crossSpectrumInto, realFft } from "../dsp/fft.js";
import { type LoopResult, type MakeLoopOptions, makeLoop } from "../dsp/loop.js";
import { affineInPlace, sampleStats } from "../dsp/sample-kernels.js";
import { minSeamLoopSamples, type SeamMetrics, seamMetrics } from "../dsp/seam.js";

/** The manifest's centroid measure (analysis/centroid.ts), also used by the generators. */
export { meanCentroidHz };

/** The seam bar of issue "make": played in a loop, click at most +6 dB and dip at least -3 dB. */
export const SEAM_MAX_CLICK_DB = 6;
export const SEAM_MIN_DIP_DB = -3;

export function seamPasses(m: SeamMetrics): boolean {
  return m.clickDb <= SEAM_MAX_CLICK_DB && m.dipDb >= SEAM_MIN_DIP_DB;
}

/** Worst seam over the channels (highest click, lowest dip); loops too short to measure pass as 0 dB. */
export function worstSeam(channels: readonly Float32Array[], sampleRate: number): SeamMetrics {
  let clickDb = Number.NEGATIVE_INFINITY;
  let dipDb = Number.POSITIVE_INFINITY;
  for (const ch of channels) {
    if (ch.length < minSeamLoopSamples(sampleRate)) return { clickDb: 0, dipDb: 0 };
    const m = seamMetrics(ch, sampleRate);
    clickDb = Math.max(clickDb, m.clickDb);
    dipDb = Math.min(dipDb, m.dipDb);
  }
  return { clickDb, dipDb };
}

/**
 * The channels a texture is made from: the mono downmix, or the first two channels when stereo is
 * asked and the source has them (a mono source stays mono; the pipeline duplicates it if needed).
 */
export function layoutChannels(audio: PlanarAudio, stereo: boolean): Float32Array[] {
  if (stereo && audio.channels.length >= 2) return [audio.channels[0], audio.channels[1]];
  return [toMono(audio)];
}

/** Subtract each channel's mean (a constant offset does not touch a loop's seam). In place. */
export function removeMean(channels: readonly Float32Array[]): void {
  for (const x of channels) {
    if (x.length === 0) continue;
    affineInPlace(x, 1, -sampleStats(x).sum / x.length);
  }
}

/**
 * Scale all channels by one gain so their joint sample peak is `targetDbfs` (keeps the stereo
 * image). In place; silence stays silence. Returns the gain used.
 */
export function normalizeJoint(channels: readonly Float32Array[], targetDbfs: number): number {
  // Generators' own buffers (finite by construction): one pass for the peak, one for the gain.
  let p = 0;
  for (const ch of channels) if (ch.length > 0) p = Math.max(p, sampleStats(ch).peak);
  const gain = p > 0 ? dbToAmp(targetDbfs) / p : 0;
  for (const ch of channels) if (ch.length > 0) affineInPlace(ch, gain, 0);
  return gain;
}

export interface ChannelLoop {
  /** One loop per channel, all the same length. */
  readonly channels: Float32Array[];
  /** The loop maker's choice on the downmix (loop points relative to the segment). */
  readonly choice: LoopResult;
}

/**
 * Make a seamless loop of every channel at the same loop points: the points are searched on the
 * downmix, then each channel is cut and crossfaded at exactly those points (no search), so the
 * channels stay aligned.
 */
export function loopChannels(
  segments: readonly Float32Array[],
  options: Partial<MakeLoopOptions> & Pick<MakeLoopOptions, "sampleRate" | "lengthSamples">,
): ChannelLoop {
  if (segments.length === 0) throw new ParameterError("loopChannels needs at least one channel");
  const mid =
    segments.length === 1 ? segments[0] : toMono({ sampleRate: options.sampleRate, channels: segments });
  const choice = makeLoop(mid, options);
  if (segments.length === 1) return { channels: [choice.audio], choice };
  const len = choice.loopEnd - choice.loopStart;
  const c = choice.crossfadeSamples;
  const channels = segments.map(
    (seg) =>
      makeLoop(seg.subarray(choice.loopStart, choice.loopEnd + c), {
        ...options,
        lengthSamples: len,
        crossfadeMs: (c * 1000) / options.sampleRate,
        searchMs: 0,
        startSearchMs: 0,
        lengthTolerance: 0,
      }).audio,
  );
  return { channels, choice };
}

/**
 * Start of the steadiest `length`-sample span of `x`: the one whose short-block (20 ms) levels in
 * dB vary least, found with prefix sums over the blocks. Spans start on block boundaries.
 */
export function steadiestSpan(x: Float32Array, length: number, sampleRate: number, blockMs = 20): number {
  if (!Number.isInteger(length) || length < 1 || length > x.length) {
    throw new ParameterError(`span length must be an integer in [1, ${x.length}], got: ${length}`);
  }
  const block = Math.max(1, Math.round((blockMs / 1000) * sampleRate));
  const nb = Math.floor(x.length / block);
  const k = Math.floor(length / block);
  if (k < 2 || nb < k) return (x.length - length) >> 1;
  const p1 = new Float64Array(nb + 1);
  const p2 = new Float64Array(nb + 1);
  blockLevelSums(x, block, nb, p1, p2);
  return leastVariedSpan(p1, p2, k, nb, block, length, x.length) * block;
}

/** Prefix sums of the blocks' levels in dB (p1) and of their squares (p2). */
function blockLevelSums(
  x: Float32Array,
  block: number,
  nb: number,
  p1: Float64Array,
  p2: Float64Array,
): void {
  for (let b = 0; b < nb; b++) {
    let e = 0;
    for (let i = b * block; i < (b + 1) * block; i++) e += x[i] * x[i];
    const d = 10 * Math.log10(e / block + 1e-12);
    p1[b + 1] = p1[b] + d;
    p2[b + 1] = p2[b] + d * d;
  }
}

/** First block j whose k blocks' levels vary least (the span must fit in `n` samples). */
function leastVariedSpan(
  p1: Float64Array,
  p2: Float64Array,
  k: number,
  nb: number,
  block: number,
  length: number,
  n: number,
): number {
  let best = 0;
  let bestVar = Number.POSITIVE_INFINITY;
  for (let j = 0; j + k <= nb && j * block + length <= n; j++) {
    const m = (p1[j + k] - p1[j]) / k;
    const v = (p2[j + k] - p2[j]) / k - m * m;
    if (v < bestVar - 1e-9) {
      bestVar = v;
      best = j;
    }
  }
  return best;
}

/**
 * How alike two loops of about the same length are: the highest normalised circular
 * cross-correlation over all lags (1 = the same loop, maybe rotated), computed on a 4x
 * box-decimated copy by FFT. Catches pads cut from repeats of the same section.
 */
export function loopSimilarity(a: Float32Array, b: Float32Array): number {
  const dec = 4;
  const m = Math.floor(Math.min(a.length, b.length) / dec);
  if (m < 8) return 0;
  let size = 32;
  while (size < 3 * m) size *= 2;
  const fa = new Float32Array(size);
  const fb = new Float32Array(size);
  const ea = boxDecimate(a, dec, m, fa, 0);
  const eb = boxDecimate(b, dec, m, fb, m);
  if (!(ea > 0 && eb > 0)) return 0;
  const fft = realFft(size);
  const sa = fft.forward(fa);
  const sb = fft.forward(fb);
  const corr = fft.inverse(crossSpectrumInto(sa, sb));
  return maxAtLeastZero(corr, m) / Math.sqrt(ea * eb);
}

/** max(0, x[0 .. n)). Its own function so V8 optimises the loop alone (see dsp/loop.ts). */
function maxAtLeastZero(x: Float32Array, n: number): number {
  let best = 0;
  for (let k = 0; k < n; k++) if (x[k] > best) best = x[k];
  return best;
}

/**
 * Sums of `dec` consecutive samples of x into out[0 .. m) (and again into out[m + ... ) when
 * `repeatAt` > 0); returns their energy. Its own function so V8 optimises the loop alone (see
 * dsp/loop.ts).
 */
function boxDecimate(x: Float32Array, dec: number, m: number, out: Float32Array, repeatAt: number): number {
  let e = 0;
  for (let i = 0; i < m; i++) {
    let sum = 0;
    for (let j = 0; j < dec; j++) sum += x[i * dec + j];
    out[i] = sum;
    if (repeatAt > 0) out[i + repeatAt] = sum;
    e += sum * sum;
  }
  return e;
}

export interface BrightnessTagOptions {
  enabled: boolean;
  lowHz: number;
  highHz: number;
}

/**
 * Brightness of a finished texture from its own centroid (null when tags are off), with that
 * centroid (`meanCentroidHz`; 0 for silence) so the pipeline need not measure it again.
 */
export function brightnessOf(
  x: Float32Array,
  sampleRate: number,
  o: BrightnessTagOptions,
): { brightness: Brightness | null; centroidHz: number } {
  let silent = true;
  for (let i = 0; i < x.length && silent; i++) if (x[i] !== 0) silent = false;
  const centroidHz = silent ? 0 : meanCentroidHz(x, sampleRate);
  return {
    brightness: o.enabled ? brightnessClass(centroidHz, { lowHz: o.lowHz, highHz: o.highHz }, silent) : null,
    centroidHz,
  };
}

/** Root frequency and MIDI note of a pitch estimate shifted by `semitones` (null when no pitch). */
export function shiftedRoot(
  pitch: PitchEstimate | null,
  semitones = 0,
): { rootHz: number | null; rootMidi: number | null } {
  if (pitch === null) return { rootHz: null, rootMidi: null };
  const hz = pitch.hz * 2 ** (semitones / 12);
  const midi = Math.round(hzToMidi(hz));
  return { rootHz: hz, rootMidi: midi >= 0 && midi <= 127 ? midi : null };
}

/** A number for a file name: at most 3 decimals, no trailing zeros ("1.5", "2", "0.75"). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) throw new ParameterError(`cannot name a non-finite value: ${v}`);
  return String(Math.round(v * 1000) / 1000);
}

/**
 * The variant part of a drone name: `_pitch+7`, `_stretch1.5x`, `_pitch-5_stretch2x`, or "" for
 * the unshifted, unstretched variant (neutral parts are omitted).
 */
export function variantTag(semitones: number, stretch: number): string {
  const p = Math.round(semitones * 1000) / 1000;
  const s = Math.round(stretch * 1000) / 1000;
  const pitch = p === 0 ? "" : `_pitch${p > 0 ? "+" : "-"}${formatNumber(Math.abs(p))}`;
  const str = s === 1 ? "" : `_stretch${formatNumber(s)}x`;
  return `${pitch}${str}`;
}

/** File names generators emit: ASCII letters, digits, `_`, `-`, `+`, `.` (as in `pitch+7`, `stretch1.5x`). */
const TEXTURE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_+.-]*\.wav$/;

export function checkTextureName(name: string): string {
  if (!TEXTURE_NAME.test(name) || name.includes("..")) {
    throw new ParameterError(`unsafe texture name: ${JSON.stringify(name)}`);
  }
  return name;
}

/** Two-digit (or longer) 1-based index: 1 -> "01". */
export function index2(i: number): string {
  return String(i).padStart(2, "0");
}

/** A source's analysis must be at the source's rate (both are the configured rate). */
export function checkSourceRate(source: {
  readonly sampleRate: number;
  readonly analysis: { readonly sampleRate: number };
}): void {
  if (source.analysis.sampleRate !== source.sampleRate) {
    throw new ParameterError(
      `analysis rate ${source.analysis.sampleRate} Hz differs from the source rate ${source.sampleRate} Hz`,
    );
  }
}
