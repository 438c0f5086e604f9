/**
 * Drones (`make --make-drones`): pitch-shifted and time-stretched variants of a tonal source, each
 * giving seamless pad loops in tonal colours (warm / airy / dark), a swell one-shot and a reversed
 * loop.
 *
 * Work is bounded by the outputs, never by the track: one region, the steadiest stretch of the
 * length the least-stretched variant needs (swell or loop segment, plus vocoder edges), is found
 * from the analysis, fetched once and shared by every variant. Per pitch shift the region is
 * tape-resampled once (anti-aliased); per stretch only the part that variant needs goes through
 * ONE phase-vocoder pass: tape speed r = 2^(semitones/12) then stretch by `stretch * r` gives the
 * pitch shift and the stretch together (the tape shortens by r, the vocoder restores it).
 *
 * Naming (unique per source; neutral parts omitted: pitch 0 and stretch 1):
 *   `<source>[_pitch+7][_stretch1.5x]_loop_<warm|airy|dark>.wav`   drone loop, category "pads"
 *   `<source>[_pitch+7][_stretch1.5x]_reversed.wav`                reversed loop, category "pads"
 *   `<source>[_pitch+7][_stretch1.5x]_swell01.wav`                 swell one-shot, category "swells"
 * e.g. `song_pitch+7_loop_warm.wav`, `song_stretch1.5x_swell01.wav`, `song_reversed.wav`,
 * `song_pitch-5_stretch2x_loop_dark.wav`. With no `padVariants` the loop is `..._loop.wav`.
 * Loops (drone and reversed) go to the pads folder: they loop on the sampler like mined pads.
 */
import { transposeKey } from "../analysis/key.js";
import { measurePitch } from "../analysis/pitch.js";
import type { TrackAnalysis } from "../analysis/track.js";
import type { PatinaConfig } from "../config/schema.js";
import { toMono } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import { applyFades } from "../dsp/envelopes.js";
import { filterLoop, highpass, lowpass, type Sos } from "../dsp/filters.js";
import { rms } from "../dsp/level.js";
import { loopSegmentLength, type MakeLoopOptions } from "../dsp/loop.js";
import type { Rng } from "../dsp/rng.js";
import { tapeSpeed } from "../dsp/tape.js";
import { timeStretch } from "../dsp/vocoder.js";
import {
  checkSourceRate,
  checkTextureName,
  layoutChannels,
  loopChannels,
  normalizeJoint,
  removeMean,
  rootFields,
  seamPasses,
  steadiestSpan,
  variantTag,
  worstSeam,
} from "./common.js";
import { steadinessCost } from "./steadiness.js";
import type { GeneratorResult, SourceMaterial, Texture } from "./types.js";

export type PadVariant = "warm" | "airy" | "dark";

export interface DroneOptions {
  padLoopDurationSec: number;
  padVariants: readonly PadVariant[];
  warmLowpassHz: number;
  airyHighpassHz: number;
  darkHighCutHz: number;
  swellDurationSec: number;
  fadeInSec: number;
  fadeOutSec: number;
  pitchShiftSemitones: readonly number[];
  timeStretchFactors: readonly number[];
  enableReversal: boolean;
  /** Peak of every output (`global.target_peak_dbfs`). */
  targetPeakDbfs: number;
  /** Stereo loops, swells and reversed loops from stereo sources (`export.swells_stereo`). */
  stereo: boolean;
  /** Crossfade of the loop maker (`pad_miner.loop_crossfade_ms`: drone loops are pads too). */
  loopCrossfadeMs: number;
  /**
   * Order of the tonal-variant Butterworth filters, run once (causal) round the loop as a circle:
   * -3 dB exactly at the configured cutoff, and the loop stays seamless.
   */
  filterOrder: number;
  /** Shortest fade at a swell's edges (s), so a one-shot starts and ends at silence even with fades of 0. */
  minEdgeFadeSec: number;
  /** Largest relative deviation of a loop's length from pad_loop_duration_sec (default 0: exact). */
  lengthTolerance: number;
  loopEndSearchMs: number;
  loopStartSearchMs: number;
  /** A tonal variant more than this far (dB) below its unfiltered loop is empty there and skipped. */
  maxVariantLossDb: number;
  /** Hop (s) of the search for the steadiest region. */
  regionHopSec: number;
}

export const DRONE_DEFAULTS: Readonly<DroneOptions> = Object.freeze({
  padLoopDurationSec: 2.0,
  padVariants: ["warm", "airy", "dark"] as const,
  warmLowpassHz: 3000,
  airyHighpassHz: 6000,
  darkHighCutHz: 1500,
  swellDurationSec: 6.0,
  fadeInSec: 0.5,
  fadeOutSec: 1.5,
  pitchShiftSemitones: [0, 7, 12],
  timeStretchFactors: [1.0, 1.5, 2.0],
  enableReversal: true,
  targetPeakDbfs: -1.0,
  stereo: false,
  loopCrossfadeMs: 100,
  filterOrder: 4,
  minEdgeFadeSec: 0.01,
  lengthTolerance: 0,
  loopEndSearchMs: 20,
  loopStartSearchMs: 250,
  maxVariantLossDb: 60,
  regionHopSec: 0.25,
});

/** Drone options from a loaded config (`drones.*`, `global.target_peak_dbfs`, `export.swells_stereo`, `pad_miner.loop_crossfade_ms`). */
export function droneOptionsFromConfig(config: PatinaConfig): DroneOptions {
  const d = config.drones;
  return {
    ...DRONE_DEFAULTS,
    padLoopDurationSec: d.pad_loop_duration_sec,
    padVariants: [...d.pad_variants],
    warmLowpassHz: d.warm_lowpass_hz,
    airyHighpassHz: d.airy_highpass_hz,
    darkHighCutHz: d.dark_high_cut_hz,
    swellDurationSec: d.swell_duration_sec,
    fadeInSec: d.fade_in_sec,
    fadeOutSec: d.fade_out_sec,
    pitchShiftSemitones: [...d.pitch_shift_semitones],
    timeStretchFactors: [...d.time_stretch_factors],
    enableReversal: d.enable_reversal,
    targetPeakDbfs: config.global.target_peak_dbfs,
    stereo: config.export.swells_stereo,
    loopCrossfadeMs: config.pad_miner.loop_crossfade_ms,
  };
}

/** Below this RMS (dBFS) the region holds nothing to make drones from. */
const SILENT_REGION_DB = -80;
const MIN_STRETCH = 0.25;
const MAX_STRETCH = 8;
const MAX_SEMITONES = 24;

function resolveDroneOptions(options: Partial<DroneOptions>): DroneOptions {
  const o: DroneOptions = { ...DRONE_DEFAULTS, ...options };
  const fail = (what: string, v: unknown): never => {
    throw new ParameterError(`drone option ${what}, got: ${JSON.stringify(v)}`);
  };
  if (!(o.padLoopDurationSec > 0)) fail("padLoopDurationSec must be > 0 s", o.padLoopDurationSec);
  if (!(o.swellDurationSec > 0)) fail("swellDurationSec must be > 0 s", o.swellDurationSec);
  if (!(o.fadeInSec >= 0) || !(o.fadeOutSec >= 0)) fail("fades must be >= 0 s", [o.fadeInSec, o.fadeOutSec]);
  const fin = Math.max(o.fadeInSec, o.minEdgeFadeSec);
  const fout = Math.max(o.fadeOutSec, o.minEdgeFadeSec);
  if (fin + fout > o.swellDurationSec)
    fail("fadeInSec + fadeOutSec must fit in swellDurationSec", [fin, fout, o.swellDurationSec]);
  if (o.pitchShiftSemitones.length === 0)
    fail("pitchShiftSemitones must not be empty", o.pitchShiftSemitones);
  for (const p of o.pitchShiftSemitones) {
    if (!Number.isFinite(p) || Math.abs(p) > MAX_SEMITONES)
      fail(`pitch shifts must be within [-${MAX_SEMITONES}, ${MAX_SEMITONES}]`, p);
  }
  if (o.timeStretchFactors.length === 0) fail("timeStretchFactors must not be empty", o.timeStretchFactors);
  for (const s of o.timeStretchFactors) {
    if (!(s >= MIN_STRETCH && s <= MAX_STRETCH))
      fail(`stretch factors must be within [${MIN_STRETCH}, ${MAX_STRETCH}]`, s);
  }
  for (const v of o.padVariants)
    if (!["warm", "airy", "dark"].includes(v)) fail("padVariants must be warm, airy or dark", v);
  if (!(o.lengthTolerance >= 0 && o.lengthTolerance < 0.01))
    fail("lengthTolerance must be in [0, 0.01)", o.lengthTolerance);
  return o;
}

/** Distinct values (to 1/1000), in their configured order: a repeated value would repeat names. */
function distinct(values: readonly number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const v of values) {
    const k = Math.round(v * 1000);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(k / 1000);
    }
  }
  return out;
}

/** The files `makeDrones` would write for a source (for dry runs: needs no audio). */
export function droneTextureNames(
  sourceName: string,
  options: Partial<DroneOptions> = {},
): Array<Pick<Texture, "name" | "category" | "type">> {
  const o = resolveDroneOptions(options);
  const out: Array<Pick<Texture, "name" | "category" | "type">> = [];
  for (const p of distinct(o.pitchShiftSemitones)) {
    for (const s of distinct(o.timeStretchFactors)) {
      const base = `${sourceName}${variantTag(p, s)}`;
      if (o.padVariants.length === 0) out.push({ name: `${base}_loop.wav`, category: "pads", type: "loop" });
      for (const v of distinctVariants(o.padVariants)) {
        out.push({ name: `${base}_loop_${v}.wav`, category: "pads", type: "loop" });
      }
      if (o.enableReversal) out.push({ name: `${base}_reversed.wav`, category: "pads", type: "reversed" });
      out.push({ name: `${base}_swell01.wav`, category: "swells", type: "swell" });
    }
  }
  return out;
}

function distinctVariants(v: readonly PadVariant[]): PadVariant[] {
  return [...new Set(v)];
}

/** Vocoder window: about 46 ms at any rate (as pitchShift uses). */
function vocoderFft(sampleRate: number): number {
  return sampleRate > 66000 ? 4096 : 2048;
}

/** Stretch by any factor in [1/64, 64]: one vocoder pass when the factor is in its range, else two. */
function stretchBy(x: Float32Array, factor: number, fftSize: number): Float32Array {
  if (Math.abs(factor - 1) < 1e-9) return x.slice();
  if (factor >= MIN_STRETCH && factor <= MAX_STRETCH) return timeStretch(x, factor, { fftSize });
  const half = Math.sqrt(factor);
  return timeStretch(timeStretch(x, half, { fftSize }), factor / half, { fftSize });
}

/**
 * The steadiest window of `lengthSec` (the pads' steadiness cost: level steadiness, tonality, onsets,
 * level range and trend, drum hits), preferring windows that are neither near-silent nor clipped;
 * the whole track when it is shorter.
 */
function steadiestRegion(
  analysis: TrackAnalysis,
  lengthSec: number,
  hopSec: number,
  from = 0,
  to = analysis.durationSec as number,
): { start: number; end: number } {
  const sr = analysis.sampleRate;
  const span = to - from;
  if (lengthSec >= span) return { start: Math.round(from * sr), end: Math.round(to * sr) };
  let best = from;
  let bestCost = Number.POSITIVE_INFINITY;
  const steps = Math.floor((span - lengthSec) / hopSec);
  for (let k = 0; k <= steps; k++) {
    const t0 = from + k * hopSec;
    const w = analysis.window(t0, t0 + lengthSec);
    let cost = steadinessCost(w);
    if (w.powerDb < -60) cost += 1000 + (-60 - w.powerDb);
    if (w.clipCount > 0) cost += 100;
    if (cost < bestCost) {
      bestCost = cost;
      best = t0;
    }
  }
  const start = Math.round(best * sr);
  return { start, end: Math.min(analysis.sampleCount, start + Math.round(lengthSec * sr)) };
}

interface Variant {
  semitones: number;
  stretch: number;
  /** Output channels (the variant's processed audio). */
  channels: Float32Array[];
  /** Source span [start, end) (samples) the variant was made from. */
  sourceStart: number;
  sourceEnd: number;
}

/**
 * Make drones from one source: for every pitch shift x stretch, loops in each tonal variant, a
 * swell and (with enableReversal) a reversed loop. Deterministic (`rng` is not drawn from).
 */
export async function makeDrones(
  source: SourceMaterial<TrackAnalysis>,
  options: Partial<DroneOptions>,
  _rng: Rng,
): Promise<GeneratorResult> {
  const o = resolveDroneOptions(options);
  const sr = source.sampleRate;
  const analysis = source.analysis;
  checkSourceRate(source);
  const fftSize = vocoderFft(sr);
  const loopLen = Math.round(o.padLoopDurationSec * sr);
  const loopOpts: Partial<MakeLoopOptions> & Pick<MakeLoopOptions, "sampleRate" | "lengthSamples"> = {
    sampleRate: sr,
    lengthSamples: loopLen,
    crossfadeMs: o.loopCrossfadeMs,
    searchMs: o.loopEndSearchMs,
    startSearchMs: o.loopStartSearchMs,
    lengthTolerance: o.lengthTolerance,
    crossfadeShape: "matched",
    levelMatch: true,
  };
  const loopSeg = loopSegmentLength(loopLen, sr, loopOpts);
  const swellLen = Math.round(o.swellDurationSec * sr);
  // Vocoder output each variant needs: the longer of swell and loop segment, plus an edge of one
  // window at each end (the first and last frames see the region's cut edges).
  const edge = fftSize;
  const needOut = Math.max(swellLen, loopSeg) + 2 * edge;
  const pitches = distinct(o.pitchShiftSemitones);
  const stretches = distinct(o.timeStretchFactors);
  const tapeMargin = 512; // tape kernel reach at up to 2 octaves of speed-up
  const needIn = (s: number): number => Math.ceil(needOut / s) + 2 * tapeMargin;
  const regionLen = Math.min(analysis.sampleCount, needIn(Math.min(...stretches)));
  const region = steadiestRegion(analysis, regionLen / sr, o.regionHopSec);
  const fetched = await source.readRegion(region.start, region.end);
  const regionChannels = layoutChannels(fetched, o.stereo);
  const regionMono =
    regionChannels.length === 1 ? regionChannels[0] : toMono({ sampleRate: sr, channels: regionChannels });
  const levelDb = 20 * Math.log10(rms(regionMono) + 1e-30);
  if (levelDb < SILENT_REGION_DB) {
    return {
      textures: [],
      skipped: `no drones: the steadiest region is silent (RMS ${Math.round(levelDb)} dBFS)`,
    };
  }
  // One reading of the unshifted region; each variant carries it shifted with its tape speed.
  const pitch = measurePitch(regionMono, sr);
  const key = analysis.key(region.start / sr, region.end / sr) ?? analysis.key();

  const textures: Texture[] = [];
  const notes: string[] = [];
  const ctx: DroneContext = { sourceName: source.name, o, sr, loopOpts, loopSeg, swellLen, edge, notes };
  for (const p of pitches) {
    const speed = 2 ** (p / 12);
    const taped = p === 0 ? regionChannels : regionChannels.map((ch) => tapeSpeed(ch, speed));
    for (const s of stretches) {
      const variant = makeVariant(analysis, region, taped, p, s, speed, needIn(s), o, fftSize);
      const made = variantTextures(ctx, variant);
      const root = rootFields(pitch, p);
      const keyName = transposeKey(key, p);
      for (const t of made) textures.push({ ...t, ...root, key: keyName });
    }
  }
  const result: GeneratorResult = { textures };
  if (notes.length > 0) return { ...result, skipped: notes.join("; ") };
  return result;
}

/** Run one variant through tape + vocoder over just the part of the region it needs. */
function makeVariant(
  analysis: TrackAnalysis,
  region: { start: number; end: number },
  taped: readonly Float32Array[],
  semitones: number,
  stretch: number,
  speed: number,
  needIn: number,
  o: DroneOptions,
  fftSize: number,
): Variant {
  const sr = analysis.sampleRate;
  const regionLen = region.end - region.start;
  // Steadiest part of the region of the length this stretch needs (source time).
  const sub =
    needIn >= regionLen
      ? region
      : steadiestRegion(
          analysis,
          needIn / sr,
          Math.min(o.regionHopSec, 0.1),
          region.start / sr,
          region.end / sr,
        );
  const a = Math.floor((sub.start - region.start) / speed);
  const b = Math.min(taped[0].length, Math.ceil((sub.end - region.start) / speed));
  const channels = taped.map((ch) => stretchBy(ch.subarray(a, b), stretch * speed, fftSize));
  return { semitones, stretch, channels, sourceStart: sub.start, sourceEnd: sub.end };
}

function variantFilter(v: PadVariant, o: DroneOptions, sr: number): { sos: Sos; cutoffHz: number } {
  if (v === "warm") return { sos: lowpass(o.warmLowpassHz, sr, o.filterOrder), cutoffHz: o.warmLowpassHz };
  if (v === "airy") return { sos: highpass(o.airyHighpassHz, sr, o.filterOrder), cutoffHz: o.airyHighpassHz };
  return { sos: lowpass(o.darkHighCutHz, sr, o.filterOrder), cutoffHz: o.darkHighCutHz };
}

/** What every variant of one source shares. */
interface DroneContext {
  readonly sourceName: string;
  readonly o: DroneOptions;
  readonly sr: number;
  readonly loopOpts: Partial<MakeLoopOptions> & Pick<MakeLoopOptions, "sampleRate" | "lengthSamples">;
  /** Samples the loop maker wants for one loop. */
  readonly loopSeg: number;
  readonly swellLen: number;
  /** Vocoder edge left out at each end of a variant. */
  readonly edge: number;
  /** Why something was not made (collected for the result). */
  readonly notes: string[];
}

function variantTextures(ctx: DroneContext, variant: Variant): Texture[] {
  const { sourceName, o, sr, loopOpts, loopSeg, swellLen, edge, notes } = ctx;
  const base = `${sourceName}${variantTag(variant.semitones, variant.stretch)}`;
  const label = base.slice(sourceName.length + 1) || "unshifted";
  const out: Texture[] = [];
  const y = variant.channels;
  const n = y[0].length;
  // The interior, away from the vocoder's cut edges (short sources: whatever there is).
  const e =
    n >= Math.max(swellLen, loopSeg) + 2 * edge
      ? edge
      : Math.max(0, Math.floor((n - Math.max(swellLen, loopSeg)) / 2));
  const inner = y.map((ch) => ch.subarray(e, n - e));
  const innerMono = inner.length === 1 ? inner[0] : toMono({ sampleRate: sr, channels: inner });
  const common = {
    pitch_semitones: variant.semitones,
    stretch_factor: variant.stretch,
    source_start_sec: round(variant.sourceStart / sr, 4),
    source_end_sec: round(variant.sourceEnd / sr, 4),
  };

  // Loop from the variant's steadiest part.
  if (innerMono.length > loopSeg) {
    const at = steadiestSpan(innerMono, loopSeg, sr);
    const loop = loopChannels(
      inner.map((ch) => ch.subarray(at, at + loopSeg)),
      loopOpts,
    );
    removeMean(loop.channels);
    const seam = worstSeam(loop.channels, sr);
    if (!seamPasses(seam))
      notes.push(`${label}: loop seam click ${round(seam.clickDb, 1)} dB, dip ${round(seam.dipDb, 1)} dB`);
    const loopParams = {
      ...common,
      loop_duration_sec: round(loop.channels[0].length / sr, 5),
      loop_correlation: round(loop.choice.correlation, 4),
    };
    const plainLevel = Math.max(...loop.channels.map((ch) => rms(ch)));
    const variants = distinctVariants(o.padVariants);
    if (variants.length === 0) {
      const channels = loop.channels.map((ch) => ch.slice());
      normalizeJoint(channels, o.targetPeakDbfs);
      out.push(loopTexture(`${base}_loop.wav`, "loop", channels, { ...loopParams, ...seamParams(seam) }, sr));
    }
    for (const v of variants) {
      const { sos, cutoffHz } = variantFilter(v, o, sr);
      const channels = loop.channels.map((ch) => filterLoop(ch, sos));
      removeMean(channels);
      const level = Math.max(...channels.map((ch) => rms(ch)));
      if (!(level > plainLevel * 10 ** (-o.maxVariantLossDb / 20))) {
        notes.push(
          `${label}: ${v} loop skipped (nothing left of the material after the ${cutoffHz} Hz filter)`,
        );
        continue;
      }
      normalizeJoint(channels, o.targetPeakDbfs);
      // Filtered round the loop, the variant keeps the loop's seam (the pipeline measures it again).
      out.push(
        loopTexture(
          `${base}_loop_${v}.wav`,
          "loop",
          channels,
          {
            ...loopParams,
            variant: v,
            cutoff_hz: cutoffHz,
            // How much quieter the filter left the loop: a dark source has little for "airy".
            variant_loss_db: round(20 * Math.log10(plainLevel / level), 2),
          },
          sr,
        ),
      );
    }
    if (o.enableReversal) {
      const channels = loop.channels.map((ch) => ch.slice().reverse());
      normalizeJoint(channels, o.targetPeakDbfs);
      // Reversal mirrors the seam: second differences and RMS windows measure the same.
      out.push(
        loopTexture(`${base}_reversed.wav`, "reversed", channels, { ...loopParams, ...seamParams(seam) }, sr),
      );
    }
  } else {
    notes.push(`${label}: source too short for a ${o.padLoopDurationSec} s loop`);
  }

  // Swell one-shot from the steadiest swell-long part.
  if (innerMono.length >= swellLen) {
    const at = steadiestSpan(innerMono, swellLen, sr);
    const channels = inner.map((ch) => ch.slice(at, at + swellLen));
    removeMean(channels);
    const fadeIn = Math.round(Math.max(o.fadeInSec, o.minEdgeFadeSec) * sr);
    const fadeOut = Math.round(Math.max(o.fadeOutSec, o.minEdgeFadeSec) * sr);
    for (const ch of channels)
      applyFades(ch, { fadeInSamples: fadeIn, fadeOutSamples: fadeOut, shape: "hann" }, ch);
    normalizeJoint(channels, o.targetPeakDbfs);
    out.push({
      name: checkTextureName(`${base}_swell01.wav`),
      category: "swells",
      type: "swell",
      audio: { sampleRate: sr, channels },
      params: {
        ...common,
        swell_duration_sec: o.swellDurationSec,
        fade_in_sec: fadeIn / sr,
        fade_out_sec: fadeOut / sr,
      },
    });
  } else {
    notes.push(`${label}: source too short for a ${o.swellDurationSec} s swell`);
  }
  return out;
}

function seamParams(s: { clickDb: number; dipDb: number }): Record<string, number> {
  return { seam_click_db: round(s.clickDb, 2), seam_dip_db: round(s.dipDb, 2) };
}

function loopTexture(
  name: string,
  type: "loop" | "reversed",
  channels: Float32Array[],
  params: Record<string, unknown>,
  sr: number,
): Texture {
  return {
    name: checkTextureName(name),
    category: "pads",
    type,
    audio: { sampleRate: sr, channels },
    loop: { start: 0, end: channels[0].length },
    params,
  };
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
