/**
 * Clouds: granular textures from tonal material (issue 4, "Clouds").
 *
 * Each cloud is `grainsPerCloud` Hann-windowed grains of random length, read from a few stable,
 * non-silent, unclipped regions of the source (chosen from the analysis alone, then fetched with
 * one read each: the track is never read whole), each pitch-shifted by a random amount with the
 * anti-aliased tape-speed resampler, overlap-added so consecutive grains overlap by about
 * `overlapRatio`, with onsets spread so the last grain ends exactly at the end (no silent tail).
 * Then an optional zero-phase low-pass, 10 ms fades and peak normalisation. In stereo every grain
 * gets its own equal-power pan position, so the width is real (the channels differ grain by grain).
 */
import type { TrackAnalysis } from "../analysis/track.js";
import type { PatinaConfig } from "../config/schema.js";
import { toMono } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import { checkFinite, checkInteger, checkRange } from "../dsp/check.js";
import { applyFades } from "../dsp/envelopes.js";
import { filtfilt, lowpass } from "../dsp/filters.js";
import type { Rng } from "../dsp/rng.js";
import { type TapeOptions, tapeSpeed } from "../dsp/tape.js";
import { brightnessOf } from "./common.js";
import {
  type FetchedRegion,
  fetchRegions,
  GRAIN_FRAME_DEFAULTS,
  type GrainFrameOptions,
  grainFrames,
  indexLabel,
  normalizeChannels,
  STABLE_GATE_DEFAULTS,
  type StableGateOptions,
  stableRegions,
} from "./grains.js";
import type { GeneratorResult, SourceMaterial, Texture } from "./types.js";

export interface CloudOptions {
  grainLengthMinMs: number;
  grainLengthMaxMs: number;
  grainsPerCloud: number;
  cloudDurationSec: number;
  /** Random pitch shift of each grain, semitones. */
  pitchShiftMin: number;
  pitchShiftMax: number;
  /** Overlap of consecutive grains (0 = none, below 1). */
  overlapRatio: number;
  /** Low-pass cutoff (Hz) of the finished cloud; 0 = off. */
  lowpassHz: number;
  cloudsPerSource: number;
  /** Peak level (dBFS) the cloud is normalised to. */
  targetPeakDbfs: number;
  /** Two channels, every grain panned on its own (equal-power). */
  stereo: boolean;
  /** Tag names with dark/mid/bright from the cloud's mean spectral centroid. */
  brightnessTags: boolean;
  brightnessLowHz: number;
  brightnessHighHz: number;
  /** Fade in and out (ms) so the cloud starts and ends at silence. */
  fadeMs: number;
  /** Order of the Butterworth low-pass (run forward and backward). */
  lowpassOrder: number;
  /** Region-level quality gate (see grains.ts). */
  gate: Partial<StableGateOptions>;
  /** Frame-level quality gate for grain positions. */
  grainGate: Partial<GrainFrameOptions>;
  /**
   * Tape-speed kernel for the grains: cutoff (-6 dB, relative to the lower Nyquist) and zero
   * crossings. 0.8 / 12 keeps the stopband below the new Nyquist (no aliasing) with the passband
   * flat to about 0.6 of it, at well under half the cost of the general-purpose default.
   */
  tape: TapeOptions;
}

/** Defaults: the config defaults of `clouds.*`, `export.clouds_stereo` and `brightness_tags.*`. */
export const CLOUD_DEFAULTS: Readonly<CloudOptions> = {
  grainLengthMinMs: 50,
  grainLengthMaxMs: 150,
  grainsPerCloud: 200,
  cloudDurationSec: 6,
  pitchShiftMin: -8,
  pitchShiftMax: 8,
  overlapRatio: 0.65,
  lowpassHz: 8000,
  cloudsPerSource: 2,
  targetPeakDbfs: -3,
  stereo: false,
  brightnessTags: true,
  brightnessLowHz: 1500,
  brightnessHighHz: 3500,
  fadeMs: 10,
  lowpassOrder: 4,
  gate: {},
  grainGate: {},
  tape: { cutoff: 0.8, zeroCrossings: 12 },
};

/** Cloud options from the validated config. */
export function cloudOptionsFromConfig(config: PatinaConfig): CloudOptions {
  const c = config.clouds;
  return {
    ...CLOUD_DEFAULTS,
    grainLengthMinMs: c.grain_length_min_ms,
    grainLengthMaxMs: c.grain_length_max_ms,
    grainsPerCloud: c.grains_per_cloud,
    cloudDurationSec: c.cloud_duration_sec,
    pitchShiftMin: c.pitch_shift_range.min,
    pitchShiftMax: c.pitch_shift_range.max,
    overlapRatio: c.overlap_ratio,
    lowpassHz: c.lowpass_hz,
    cloudsPerSource: c.clouds_per_source,
    targetPeakDbfs: c.target_peak_dbfs,
    stereo: config.export.clouds_stereo,
    brightnessTags: config.brightness_tags.enabled,
    brightnessLowHz: config.brightness_tags.centroid_low_hz,
    brightnessHighHz: config.brightness_tags.centroid_high_hz,
  };
}

function resolve(options: Partial<CloudOptions>, sampleRate: number): CloudOptions {
  const o: CloudOptions = { ...CLOUD_DEFAULTS, ...options };
  checkRange(o.grainLengthMinMs, 1, 10000, "grainLengthMinMs");
  checkRange(o.grainLengthMaxMs, o.grainLengthMinMs, 10000, "grainLengthMaxMs");
  checkInteger(o.grainsPerCloud, 1, "grainsPerCloud");
  checkRange(o.cloudDurationSec, 0.01, 180, "cloudDurationSec");
  if (o.grainLengthMaxMs > o.cloudDurationSec * 1000) {
    throw new ParameterError(
      `grainLengthMaxMs (${o.grainLengthMaxMs}) must fit in cloudDurationSec (${o.cloudDurationSec} s)`,
    );
  }
  checkRange(o.pitchShiftMin, -24, 24, "pitchShiftMin");
  checkRange(o.pitchShiftMax, o.pitchShiftMin, 24, "pitchShiftMax");
  checkRange(o.overlapRatio, 0, 0.99, "overlapRatio");
  checkFinite(o.lowpassHz, "lowpassHz");
  if (o.lowpassHz < 0 || o.lowpassHz >= sampleRate / 2) {
    throw new ParameterError(
      `lowpassHz must be 0 (off) or within (0, ${sampleRate / 2}) Hz, got: ${o.lowpassHz}`,
    );
  }
  checkInteger(o.cloudsPerSource, 0, "cloudsPerSource");
  checkRange(o.targetPeakDbfs, -120, 0, "targetPeakDbfs");
  checkRange(o.fadeMs, 0, 1000, "fadeMs");
  return o;
}

/** Extra output samples computed before and after each grain, so the cut avoids the kernel's edge ramp. */
function edgeOutputs(speed: number, tape: TapeOptions): number {
  const c = tape.cutoff * Math.min(1, 1 / speed);
  return Math.ceil(Math.ceil(tape.zeroCrossings / c) / speed) + 1;
}

/** Input samples a grain of `outLen` output samples at `speed` reads (edges included). */
function grainSpan(outLen: number, speed: number, tape: TapeOptions): number {
  return Math.ceil((outLen + 2 * edgeOutputs(speed, tape)) * speed) + 2;
}

interface GrainSource {
  readonly fetched: FetchedRegion;
  /** Mono samples of the fetched region. */
  readonly mono: Float32Array;
  /** Allowed grain-centre positions, as sample offsets into `mono`. */
  readonly centres: Int32Array;
}

/**
 * Onsets of `lengths.length` grains: spacing proportional to each grain's length times
 * (1 - overlap), jittered, then scaled so the first grain starts at 0 and the last ends at
 * `total` exactly.
 */
export function grainOnsets(lengths: Int32Array, total: number, overlapRatio: number, rng: Rng): Int32Array {
  const n = lengths.length;
  const onsets = new Int32Array(n);
  if (n === 0) return onsets;
  const lastStart = total - lengths[n - 1];
  if (lastStart < 0)
    throw new ParameterError(`grain (${lengths[n - 1]} samples) longer than the cloud (${total})`);
  if (n === 1) return onsets;
  const hops = new Float64Array(n - 1);
  let sum = 0;
  for (let i = 0; i < n - 1; i++) {
    hops[i] = Math.max(1, lengths[i] * (1 - overlapRatio)) * rng.uniform(0.5, 1.5);
    sum += hops[i];
  }
  const scale = lastStart / sum;
  let t = 0;
  for (let i = 1; i < n; i++) {
    t += hops[i - 1] * scale;
    onsets[i] = Math.min(lastStart, Math.round(t));
  }
  onsets[n - 1] = lastStart;
  return onsets;
}

export async function makeClouds(
  source: SourceMaterial<TrackAnalysis>,
  options: Partial<CloudOptions>,
  rng: Rng,
): Promise<GeneratorResult> {
  const sr = source.sampleRate;
  const o = resolve(options, sr);
  if (o.cloudsPerSource === 0) return { textures: [], skipped: "clouds_per_source is 0" };
  const analysis = source.analysis;
  const gate: StableGateOptions = { ...STABLE_GATE_DEFAULTS, ...o.gate };
  const grainGate: GrainFrameOptions = { ...GRAIN_FRAME_DEFAULTS, ...o.grainGate };
  const regions = stableRegions(analysis, gate);
  const usable = regions
    .map((r) => ({ region: r, frames: grainFrames(analysis, r, grainGate) }))
    .filter((r) => r.frames.length > 0);
  if (usable.length === 0) {
    return {
      textures: [],
      skipped:
        `no region passed the clouds quality gate (${gate.regionSec} s windows with RMS >= ${gate.minRmsDb} dB ` +
        "and no clipping, with grain positions away from onsets)",
    };
  }

  const speedMin = 2 ** (o.pitchShiftMin / 12);
  const speedMax = 2 ** (o.pitchShiftMax / 12);
  const maxLen = Math.round((o.grainLengthMaxMs / 1000) * sr);
  const margin = Math.ceil(grainSpan(maxLen, speedMax, o.tape) / 2) + 1;
  const fetched = await fetchRegions(
    source,
    usable.map((u) => u.region),
    margin,
  );
  const hop = analysis.features.hopSize;
  const sources: GrainSource[] = fetched.map((f, k) => {
    const frames = usable[k].frames;
    const centres = new Int32Array(frames.length);
    for (let i = 0; i < frames.length; i++) centres[i] = frames[i] * hop - f.start;
    return { fetched: f, mono: toMono(f.audio), centres };
  });

  const total = Math.round(o.cloudDurationSec * sr);
  const minLen = Math.max(8, Math.round((o.grainLengthMinMs / 1000) * sr));
  const channels = o.stereo ? 2 : 1;
  const fadeSamples = Math.min(Math.floor(total / 2), Math.round((o.fadeMs / 1000) * sr));
  const textures: Texture[] = [];
  for (let c = 0; c < o.cloudsPerSource; c++) {
    const n = o.grainsPerCloud;
    const lengths = new Int32Array(n);
    for (let i = 0; i < n; i++) lengths[i] = Math.min(total, rng.int(minLen, Math.max(minLen, maxLen)));
    const onsets = grainOnsets(lengths, total, o.overlapRatio, rng);
    const out: Float32Array[] = [];
    for (let ch = 0; ch < channels; ch++) out.push(new Float32Array(total));
    let shiftSum = 0;
    for (let i = 0; i < n; i++) {
      const src = sources[rng.int(0, sources.length - 1)];
      const centre = src.centres[rng.int(0, src.centres.length - 1)] + rng.int(-(hop >> 1), hop >> 1);
      const semitones = rng.uniform(o.pitchShiftMin, o.pitchShiftMax);
      shiftSum += semitones;
      const speed = Math.min(speedMax, Math.max(speedMin, 2 ** (semitones / 12)));
      const pan = o.stereo ? rng.uniform(-1, 1) : 0;
      const grain = renderGrain(src.mono, centre, lengths[i], speed, o.tape);
      addGrain(out, grain, onsets[i], pan);
    }
    if (o.lowpassHz > 0) {
      const sos = lowpass(o.lowpassHz, sr, o.lowpassOrder);
      for (let ch = 0; ch < channels; ch++) out[ch] = filtfilt(out[ch], sos);
    }
    for (const ch of out)
      applyFades(ch, { fadeInSamples: fadeSamples, fadeOutSamples: fadeSamples, shape: "hann" }, ch);
    normalizeChannels(out, o.targetPeakDbfs);
    const audio = { sampleRate: sr, channels: out };
    // The manifest's own centroid measure, so the name's tag agrees with the manifest row.
    const { brightness, centroidHz } = brightnessOf(toMono(audio), sr, {
      enabled: true,
      lowHz: o.brightnessLowHz,
      highHz: o.brightnessHighHz,
    });
    const label = indexLabel(c);
    const name = o.brightnessTags
      ? `cloud_${source.name}_${label}_${brightness}.wav`
      : `cloud_${source.name}_${label}.wav`;
    const covered = lengths.reduce((s, l) => s + l, 0);
    textures.push({
      name,
      category: "clouds",
      type: "cloud",
      audio,
      params: {
        grains: n,
        grain_length_ms: [o.grainLengthMinMs, o.grainLengthMaxMs],
        pitch_shift_range: [o.pitchShiftMin, o.pitchShiftMax],
        mean_pitch_shift: round(shiftSum / n, 3),
        overlap_ratio: o.overlapRatio,
        // Average number of grains sounding at once (1 / (1 - overlap) when the counts agree).
        grain_density: round(covered / total, 3),
        lowpass_hz: o.lowpassHz,
        stereo: o.stereo,
        regions_sec: fetched.map((f) => [round(f.region.start / sr, 3), round(f.region.end / sr, 3)]),
        centroid_hz: Math.round(centroidHz),
        brightness,
        target_peak_dbfs: o.targetPeakDbfs,
      },
      measured: { centroidHz },
    });
  }
  return { textures };
}

/**
 * One grain: `outLen` samples read around `centre` of `mono` at `speed` (tape-speed, band-limited),
 * Hann-windowed. Reads are clamped into the region.
 */
function renderGrain(
  mono: Float32Array,
  centre: number,
  outLen: number,
  speed: number,
  tape: TapeOptions,
): Float32Array {
  const span = Math.min(mono.length, grainSpan(outLen, speed, tape));
  const start = Math.max(0, Math.min(mono.length - span, Math.round(centre - span / 2)));
  const shifted = tapeSpeed(mono.subarray(start, start + span), speed, tape);
  const edge = Math.min(edgeOutputs(speed, tape), Math.max(0, shifted.length - outLen));
  const g = new Float32Array(outLen);
  const avail = Math.min(outLen, shifted.length - edge);
  g.set(shifted.subarray(edge, edge + avail));
  // Symmetric Hann window; cos(k i) by the Chebyshev recurrence (one multiply-add a sample).
  const k = outLen > 1 ? (2 * Math.PI) / (outLen - 1) : 0;
  const c1 = 2 * Math.cos(k);
  let cPrev = Math.cos(-k);
  let cNow = 1;
  for (let i = 0; i < outLen; i++) {
    g[i] *= 0.5 - 0.5 * cNow;
    const next = c1 * cNow - cPrev;
    cPrev = cNow;
    cNow = next;
  }
  return g;
}

/** Add a grain at `onset`, equal-power panned (`pan` in [-1, 1]) when there are two channels. */
function addGrain(out: Float32Array[], grain: Float32Array, onset: number, pan: number): void {
  const n = Math.min(grain.length, out[0].length - onset);
  if (out.length === 1) {
    const y = out[0];
    for (let i = 0; i < n; i++) y[onset + i] += grain[i];
    return;
  }
  const theta = ((pan + 1) * Math.PI) / 4;
  const gl = Math.cos(theta);
  const gr = Math.sin(theta);
  const l = out[0];
  const r = out[1];
  for (let i = 0; i < n; i++) {
    l[onset + i] += gl * grain[i];
    r[onset + i] += gr * grain[i];
  }
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
