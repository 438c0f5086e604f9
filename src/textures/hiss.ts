/**
 * Hiss: band-limited noise loops with tremolo, and short flicker one-shots (issue 4, "Hiss").
 *
 * Material, in order of preference (the pipeline decides which and passes `material`):
 * - "drums": a drums/ file; the noisiest, onset-rich regions are fetched (one read each).
 * - "percussive": a pad source when drums/ is empty; one bounded region is fetched, split by
 *   harmonic/percussive separation, and only the percussive part is used.
 * - "synthetic": Gaussian white noise at `syntheticNoiseLevelDb` RMS, used only when
 *   `useSyntheticNoise` is set and there is no usable material (source null).
 *
 * A loop is cut with the DSP loop maker (exact length, crossfaded into its own continuation),
 * then filtered as a circular signal (so the filter has no start-up transient at the seam), then
 * given a tremolo that holds a whole number of cycles (its gain and phase continue across the
 * loop point). Because the result is circular, where the file starts is free: the loop is
 * rotated so the seam sits where the click and dip measures are typical for the loop (between
 * drum hits, at the tremolo's median gain), then normalised. Flickers are band-passed with a
 * zero-phase filter over a longer stretch, cut, and given fast raised-cosine attack and release
 * that reach exact silence at both ends.
 */
import type { TrackAnalysis } from "../analysis/track.js";
import type { PatinaConfig } from "../config/schema.js";
import { toMono } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import { dbToAmp } from "../core/units.js";
import { checkInteger, checkRange, checkSampleRate } from "../dsp/check.js";
import { applyFades, tremolo } from "../dsp/envelopes.js";
import { bandpass, filterLoop, filtfilt, highpass, type Sos } from "../dsp/filters.js";
import { hpss } from "../dsp/hpss.js";
import { rmsDb } from "../dsp/level.js";
import { makeLoop } from "../dsp/loop.js";
import type { Rng } from "../dsp/rng.js";
import { bestSeamRotation, DIP_WINDOW_MS, seamMetrics } from "../dsp/seam.js";
import {
  fetchRegions,
  indexLabel,
  NOISY_REGION_DEFAULTS,
  noisyRegions,
  normalizeChannels,
} from "./grains.js";
import type { GeneratorResult, SourceMaterial, Texture } from "./types.js";

export type HissMaterial = "drums" | "percussive" | "synthetic";

export interface HissOptions {
  /** Output rate (a source's own rate wins; used for synthetic noise). */
  sampleRate: number;
  loopDurationSec: number;
  highpassHz: number;
  bandpassLowHz: number;
  bandpassHighHz: number;
  useBandpass: boolean;
  tremoloRateHz: number;
  tremoloDepth: number;
  loopsPerSource: number;
  flickerMinMs: number;
  flickerMaxMs: number;
  flickerCount: number;
  useSyntheticNoise: boolean;
  syntheticNoiseLevelDb: number;
  /** Peak level (dBFS) of loops and flickers. */
  targetPeakDbfs: number;
  /** Two channels (the source's own two, or independent noise for synthetic material). */
  stereo: boolean;
  /** Which material the source is; a null source is always synthetic. */
  material: HissMaterial;
  /** Crossfade (ms) of the loop maker. */
  crossfadeMs: number;
  /** Butterworth order (per band edge) of the band-/high-pass, run forward and backward. */
  filterOrder: number;
  /** Filtered material whose RMS is below this (dBFS) is not usable (e.g. a pure chord's percussive part). */
  usableFloorDb: number;
  /** Longest region (s) fetched and separated for "percussive" material. */
  percussiveRegionSec: number;
  /** Flicker attack and release (ms), each capped at a quarter of the flicker. */
  flickerAttackMs: number;
  flickerReleaseMs: number;
}

/** Defaults: the config defaults of `hiss.*`, `export.hiss_stereo` and `global.sample_rate`. */
export const HISS_DEFAULTS: Readonly<HissOptions> = {
  sampleRate: 44100,
  loopDurationSec: 1.5,
  highpassHz: 6000,
  bandpassLowHz: 5000,
  bandpassHighHz: 14000,
  useBandpass: true,
  tremoloRateHz: 3,
  tremoloDepth: 0.6,
  loopsPerSource: 2,
  flickerMinMs: 50,
  flickerMaxMs: 300,
  flickerCount: 4,
  useSyntheticNoise: true,
  syntheticNoiseLevelDb: -10,
  targetPeakDbfs: -6,
  stereo: false,
  material: "drums",
  crossfadeMs: 50,
  filterOrder: 4,
  usableFloorDb: -70,
  percussiveRegionSec: 4,
  flickerAttackMs: 3,
  flickerReleaseMs: 40,
};

/** Hiss options from the validated config (`material` stays "drums": the pipeline sets it). */
export function hissOptionsFromConfig(config: PatinaConfig): HissOptions {
  const h = config.hiss;
  return {
    ...HISS_DEFAULTS,
    sampleRate: config.global.sample_rate,
    loopDurationSec: h.loop_duration_sec,
    highpassHz: h.highpass_hz,
    bandpassLowHz: h.bandpass_low_hz,
    bandpassHighHz: h.bandpass_high_hz,
    useBandpass: h.use_bandpass,
    tremoloRateHz: h.tremolo_rate_hz,
    tremoloDepth: h.tremolo_depth,
    loopsPerSource: h.hiss_loops_per_source,
    flickerMinMs: h.flicker_min_ms,
    flickerMaxMs: h.flicker_max_ms,
    flickerCount: h.flicker_count,
    useSyntheticNoise: h.use_synthetic_noise,
    syntheticNoiseLevelDb: h.synthetic_noise_level_db,
    targetPeakDbfs: h.target_peak_dbfs,
    stereo: config.export.hiss_stereo,
  };
}

function resolve(options: Partial<HissOptions>, sampleRate: number): HissOptions {
  const o: HissOptions = { ...HISS_DEFAULTS, ...options };
  checkSampleRate(sampleRate);
  checkRange(o.loopDurationSec, 4 * (DIP_WINDOW_MS / 1000), 180, "loopDurationSec");
  checkRange(o.tremoloRateHz, 0, 1000, "tremoloRateHz");
  checkRange(o.tremoloDepth, 0, 1, "tremoloDepth");
  checkInteger(o.loopsPerSource, 0, "loopsPerSource");
  checkInteger(o.flickerCount, 0, "flickerCount");
  checkRange(o.flickerMinMs, 1, 10000, "flickerMinMs");
  checkRange(o.flickerMaxMs, o.flickerMinMs, 10000, "flickerMaxMs");
  checkRange(o.syntheticNoiseLevelDb, -120, 0, "syntheticNoiseLevelDb");
  checkRange(o.targetPeakDbfs, -120, 0, "targetPeakDbfs");
  checkRange(o.crossfadeMs, 1, 1000, "crossfadeMs");
  if (!["drums", "percussive", "synthetic"].includes(o.material)) {
    throw new ParameterError(
      `hiss material must be drums, percussive or synthetic, got: ${String(o.material)}`,
    );
  }
  return o;
}

/** The hiss filter: band-pass, or high-pass when `useBandpass` is false (edges checked by the DSP). */
export function hissFilter(o: HissOptions, sampleRate: number): Sos {
  return o.useBandpass
    ? bandpass(o.bandpassLowHz, o.bandpassHighHz, sampleRate, o.filterOrder)
    : highpass(o.highpassHz, sampleRate, o.filterOrder);
}

/** Material as channels at the output layout: mono, or two channels when stereo is asked and present. */
interface Material {
  readonly channels: Float32Array[];
  /** Where it came from in the source (samples), for the manifest. */
  readonly startSample: number | null;
}

export async function makeHiss(
  source: SourceMaterial<TrackAnalysis> | null,
  options: Partial<HissOptions>,
  rng: Rng,
): Promise<GeneratorResult> {
  const sr = source?.sampleRate ?? options.sampleRate ?? HISS_DEFAULTS.sampleRate;
  const o = resolve(options, sr);
  const kind: HissMaterial = source === null ? "synthetic" : o.material;
  if (kind === "synthetic" && !o.useSyntheticNoise) {
    return { textures: [], skipped: "no usable noisy material and use_synthetic_noise is false" };
  }
  if (kind !== "synthetic" && source === null)
    throw new ParameterError(`hiss material ${kind} needs a source`);
  const sos = hissFilter(o, sr);
  const L = Math.round(o.loopDurationSec * sr);
  const C = Math.min(Math.round((o.crossfadeMs / 1000) * sr), L - 1);
  const segLen = L + C;
  const name = source?.name ?? "synthetic";

  // Material for the loops: one stretch of segLen samples per loop (flickers are cut from them).
  let stretches: Material[];
  if (kind === "synthetic") {
    stretches = [];
    const chans = o.stereo ? 2 : 1;
    const sigma = dbToAmp(o.syntheticNoiseLevelDb);
    for (let k = 0; k < Math.max(1, o.loopsPerSource); k++) {
      const channels: Float32Array[] = [];
      for (let c = 0; c < chans; c++) {
        const x = new Float32Array(segLen);
        for (let i = 0; i < segLen; i++) x[i] = sigma * rng.normal();
        channels.push(x);
      }
      stretches.push({ channels, startSample: null });
    }
  } else if (source !== null) {
    const got =
      kind === "drums"
        ? await drumStretches(source, o, segLen)
        : await percussiveStretches(source, o, segLen);
    if (typeof got === "string") return { textures: [], skipped: got };
    stretches = got;
  } else {
    stretches = [];
  }

  const textures: Texture[] = [];
  const common = {
    material: kind,
    filter: o.useBandpass ? "bandpass" : "highpass",
    ...(o.useBandpass ? { bandpass_hz: [o.bandpassLowHz, o.bandpassHighHz] } : { highpass_hz: o.highpassHz }),
    ...(kind === "synthetic" ? { synthetic_noise_level_db: o.syntheticNoiseLevelDb } : {}),
    target_peak_dbfs: o.targetPeakDbfs,
  };
  let unusable = 0;
  // One loop per distinct stretch: a short source cut twice would give identical files.
  const repeats = Math.max(0, o.loopsPerSource - stretches.length);
  for (let k = 0; k < Math.min(o.loopsPerSource, stretches.length); k++) {
    const m = stretches[k];
    const loop = hissLoop(m.channels, L, o, sos, sr);
    if (loop === null) {
      unusable++;
      continue;
    }
    textures.push({
      name: `hiss_loop_${name}_${indexLabel(textures.length)}.wav`,
      category: "hiss",
      type: "hiss_loop",
      audio: { sampleRate: sr, channels: loop.channels },
      loop: { start: 0, end: L },
      params: {
        ...common,
        source_start_sec: m.startSample === null ? null : round(m.startSample / sr, 3),
        tremolo_rate_hz: loop.rateHz,
        tremolo_cycles: Math.round((loop.rateHz * L) / sr),
        tremolo_depth: o.tremoloDepth,
        tremolo_phase_at_start_rad: round(loop.phase, 6),
        seam_click_db: round(loop.clickDb, 2),
        seam_dip_db: round(loop.dipDb, 2),
      },
    });
  }

  // Flickers: random stretches of the filtered material with fast attack and release.
  const filtered = stretches.map((m) => m.channels.map((c) => filtfilt(c, sos)));
  const minF = Math.max(8, Math.round((o.flickerMinMs / 1000) * sr));
  const maxF = Math.max(minF, Math.round((o.flickerMaxMs / 1000) * sr));
  let flickers = 0;
  for (let k = 0; k < o.flickerCount; k++) {
    const which = rng.int(0, filtered.length - 1);
    const chans = filtered[which];
    const len = Math.min(chans[0].length, rng.int(minF, maxF));
    // On a hit when the stretch has one (a flicker is a burst), else anywhere.
    const hits = hitsIn(source?.analysis ?? null, stretches[which].startSample, chans[0].length - len, sr);
    const at = hits.length > 0 ? hits[rng.int(0, hits.length - 1)] : rng.int(0, chans[0].length - len);
    const out = chans.map((c) => c.slice(at, at + len));
    if (rmsDb(toMono({ sampleRate: sr, channels: out })) < o.usableFloorDb) {
      unusable++;
      continue;
    }
    const attack = Math.min(Math.floor(len / 4), Math.max(2, Math.round((o.flickerAttackMs / 1000) * sr)));
    const release = Math.min(Math.floor(len / 4), Math.max(2, Math.round((o.flickerReleaseMs / 1000) * sr)));
    for (const c of out) applyFades(c, { fadeInSamples: attack, fadeOutSamples: release, shape: "hann" }, c);
    normalizeChannels(out, o.targetPeakDbfs);
    const start = stretches[which].startSample;
    textures.push({
      name: `hiss_flicker_${name}_${indexLabel(flickers)}.wav`,
      category: "hiss",
      type: "hiss_flicker",
      audio: { sampleRate: sr, channels: out },
      params: {
        ...common,
        source_start_sec: start === null ? null : round((start + at) / sr, 3),
        length_ms: round((len / sr) * 1000, 1),
        attack_ms: round((attack / sr) * 1000, 2),
        release_ms: round((release / sr) * 1000, 2),
      },
    });
    flickers++;
  }
  if (unusable > 0 && textures.length === 0) {
    return {
      textures,
      skipped: `${kind} material is too quiet in the hiss band (below ${o.usableFloorDb} dBFS)`,
    };
  }
  const notes: string[] = [];
  if (repeats > 0)
    notes.push(
      `${repeats} hiss loop(s) not made: the source holds only ${stretches.length} distinct stretch(es)`,
    );
  if (unusable > 0) notes.push(`${unusable} hiss outputs skipped: too quiet in the hiss band`);
  return notes.length > 0 ? { textures, skipped: notes.join("; ") } : { textures };
}

/** Onsets (as offsets, 2 ms early) inside a stretch starting at `start`, where a flicker of the rest fits. */
function hitsIn(
  analysis: TrackAnalysis | null,
  start: number | null,
  maxOffset: number,
  sr: number,
): number[] {
  if (analysis === null || start === null) return [];
  const lead = Math.round(0.002 * sr);
  const out: number[] = [];
  for (const t of analysis.onsetTimes) {
    const at = Math.round(t * sr) - start - lead;
    if (at >= 0 && at <= maxOffset) out.push(at);
  }
  return out;
}

/** Stretches of `segLen` from the noisiest regions of a drums file (one read each). */
async function drumStretches(
  source: SourceMaterial<TrackAnalysis>,
  o: HissOptions,
  segLen: number,
): Promise<Material[] | string> {
  const sr = source.sampleRate;
  if (source.frames < segLen) {
    return `source is shorter (${round(source.frames / sr, 3)} s) than a hiss loop plus its crossfade (${round(segLen / sr, 3)} s)`;
  }
  const regions = noisyRegions(source.analysis, {
    ...NOISY_REGION_DEFAULTS,
    regionSec: segLen / sr,
    maxRegions: Math.max(1, o.loopsPerSource),
  });
  if (regions.length === 0) return "no non-silent region in the drums file";
  const fetched = await fetchRegions(source, regions);
  return fetched.map((f) => ({ channels: layout(f.audio.channels, o.stereo, segLen), startSample: f.start }));
}

/** Percussive stretches of a pad source: one bounded region, separated, cut into stretches. */
async function percussiveStretches(
  source: SourceMaterial<TrackAnalysis>,
  o: HissOptions,
  segLen: number,
): Promise<Material[] | string> {
  const sr = source.sampleRate;
  if (source.frames < segLen) {
    return `source is shorter (${round(source.frames / sr, 3)} s) than a hiss loop plus its crossfade (${round(segLen / sr, 3)} s)`;
  }
  const want = Math.min(
    source.frames,
    Math.max(segLen * Math.max(1, o.loopsPerSource), Math.round(o.percussiveRegionSec * sr)),
  );
  const [region] = noisyRegions(source.analysis, {
    ...NOISY_REGION_DEFAULTS,
    regionSec: want / sr,
    maxRegions: 1,
  });
  if (region === undefined) return "no non-silent region in the pad source";
  const [f] = await fetchRegions(source, [region]);
  const channels = layout(f.audio.channels, o.stereo, f.audio.channels[0].length).map(
    (c) => hpss(c).percussive,
  );
  const n = channels[0].length;
  const count = Math.max(1, o.loopsPerSource);
  const out: Material[] = [];
  for (let k = 0; k < count; k++) {
    // Separate stretches where the region allows, else evenly spread overlapping ones.
    const at = count === 1 ? 0 : Math.round((k * (n - segLen)) / (count - 1));
    out.push({ channels: channels.map((c) => c.slice(at, at + segLen)), startSample: f.start + at });
  }
  return out;
}

/** Mono (downmix) or the first two channels (a mono source is duplicated), cut to `length`. */
function layout(channels: readonly Float32Array[], stereo: boolean, length: number): Float32Array[] {
  if (!stereo) {
    const m = toMono({ sampleRate: 1, channels });
    return [m === channels[0] ? m.slice(0, length) : m.subarray(0, length)];
  }
  const l = channels[0].slice(0, length);
  const r = (channels[1] ?? channels[0]).slice(0, length);
  return [l, r];
}

interface LoopOut {
  channels: Float32Array[];
  rateHz: number;
  phase: number;
  clickDb: number;
  dipDb: number;
}

/** One seamless hiss loop of `L` samples from stretches of `L + crossfade`; null when too quiet. */
function hissLoop(
  stretch: readonly Float32Array[],
  L: number,
  o: HissOptions,
  sos: Sos,
  sr: number,
): LoopOut | null {
  const looped = stretch.map((seg) => {
    // Exact length, start fixed (both channels get the same loop points); the seam is placed later.
    const made = makeLoop(seg, {
      sampleRate: sr,
      lengthSamples: L,
      crossfadeMs: o.crossfadeMs,
      searchMs: 0,
      startSearchMs: 0,
      lengthTolerance: 0,
      crossfadeShape: "matched",
      levelMatch: true,
    });
    return filterLoop(made.audio, sos, { zeroPhase: true });
  });
  if (rmsDb(toMono({ sampleRate: sr, channels: looped })) < o.usableFloorDb) return null;
  let rateHz = 0;
  for (const c of looped) {
    rateHz = tremolo(
      c,
      { rateHz: o.tremoloRateHz, depth: o.tremoloDepth, sampleRate: sr, snapToLength: true },
      c,
    ).rateHz;
  }
  const k = bestSeamRotation(toMono({ sampleRate: sr, channels: looped }), sr);
  const channels = looped.map((c) => rotate(c, k));
  normalizeChannels(channels, o.targetPeakDbfs);
  const { clickDb, dipDb } = seamMetrics(toMono({ sampleRate: sr, channels }), sr);
  const phase = ((2 * Math.PI * rateHz * k) / sr) % (2 * Math.PI);
  return { channels, rateHz, phase, clickDb, dipDb };
}

function rotate(x: Float32Array, k: number): Float32Array {
  const y = new Float32Array(x.length);
  y.set(x.subarray(k));
  y.set(x.subarray(0, k), x.length - k);
  return y;
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
