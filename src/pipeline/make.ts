/**
 * `patina make`: turn the working folder's sources into textures. One streaming analysis pass per
 * source (shared when the same file sits in two folders), generators that fetch only the regions
 * they need, then measure, grade, write atomically and record every file in manifest.csv.
 */
import { randomInt } from "node:crypto";
import { basename, extname, join } from "node:path";
import { brightnessClass } from "../analysis/brightness.js";
import { FINGERPRINT_DIMS, timbreFingerprint } from "../analysis/fingerprint.js";
import type { TrackAnalysis } from "../analysis/track.js";
import { analyzeStream } from "../analysis/track.js";
import type { PatinaConfig } from "../config/schema.js";
import type { PlanarAudio } from "../core/audio.js";
import { frameCount, toMono } from "../core/audio.js";
import { FINGERPRINT_FILE } from "../core/export-files.js";
import type { ManifestRow } from "../core/manifest.js";
import { Rng, seedFromString } from "../dsp/rng.js";
import { cleanStaleTemps } from "../io/atomic.js";
import { decodeRegion, openAudio } from "../io/decode.js";
import { DecodedStore } from "../io/decoded-store.js";
import { mergeFingerprintFile } from "../io/fingerprint-file.js";
import { ensureDir, fileIdentity, fileInode, listAudioFiles, pathExists, sameContent } from "../io/fs.js";
import { readManifest, writeManifest } from "../io/manifest.js";
import { safeName } from "../io/names.js";
import type { AudioInfo } from "../io/types.js";
import { writeWav } from "../io/wav-writer.js";
import { cloudOptionsFromConfig, makeClouds } from "../textures/clouds.js";
import { index2 } from "../textures/common.js";
import { droneOptionsFromConfig, droneTextureNames, makeDrones } from "../textures/drones.js";
import { hissOptionsFromConfig, makeHiss } from "../textures/hiss.js";
import { minePads, type PlacedPad, padOptionsFromConfig, pickSeparated, planPads } from "../textures/pads.js";
import type { SourceMaterial, Texture } from "../textures/types.js";
import { measureTexture, placeLoopSeam } from "./measure.js";
import { TextureAssessor } from "./score.js";

export type Phase = "pads" | "drones" | "clouds" | "hiss";
export const ALL_PHASES: readonly Phase[] = ["pads", "drones", "clouds", "hiss"];

export interface MakeOptions {
  /** Working folder holding source_audio/, pad_sources/, drums/ (as configured). */
  readonly root: string;
  readonly config: PatinaConfig;
  readonly phases: readonly Phase[];
  /** Seed; when omitted the config's reproducibility.random_seed, else a fresh one. */
  readonly seed?: number;
  readonly dryRun?: boolean;
  /** Stop at the first failing source (the error is rethrown). */
  readonly strict?: boolean;
  /**
   * The hiss phase was asked for by name: synthetic noise may stand in even when the root holds no
   * sources at all (otherwise an empty or mistyped root would fill up with synthetic hiss).
   */
  readonly hissAsked?: boolean;
  /** Progress and log lines (the CLI prints them). */
  readonly onEvent?: (event: MakeEvent) => void;
  /**
   * Called after each texture's WAV is written, with the audio as written (before 24-bit
   * quantisation), e.g. to draw the report's images without decoding the file again. Awaited.
   */
  readonly onWritten?: (written: WrittenTexture) => Promise<void>;
}

export interface WrittenTexture {
  /** The manifest's name: relative to the export folder, forward slashes. */
  readonly file: string;
  readonly category: Texture["category"];
  readonly audio: PlanarAudio;
}

export type MakeEvent =
  | { kind: "phase"; phase: Phase; sources: number }
  | { kind: "skip"; phase: Phase; source: string | null; reason: string }
  | { kind: "source-done"; phase: Phase; source: string; files: number }
  | { kind: "file"; phase: Phase; file: string; grade: string; saved: boolean }
  | { kind: "error"; phase: Phase; source: string; message: string };

export interface MakeCounts {
  pads: number;
  swells: number;
  clouds: number;
  hiss_loops: number;
  hiss_flickers: number;
}

export interface SourceReport {
  readonly path: string;
  readonly phase: Phase;
  readonly files: number;
  readonly skipped?: string;
  readonly error?: string;
}

export interface MakeResult {
  readonly seed: number;
  readonly dryRun: boolean;
  readonly counts: MakeCounts;
  readonly sources: SourceReport[];
  readonly errors: { path: string; phase: Phase; message: string }[];
  readonly skipped: { phase: Phase; source: string | null; reason: string }[];
  /** What reading the sources turned up (a truncated or damaged file read up to what exists, ...). */
  readonly warnings: { path: string; message: string }[];
  /** Files written (or, in a dry run, that would be written), relative to the export folder. */
  readonly files: string[];
  readonly rows: ManifestRow[];
  /** Timbre fingerprints of the textures written, by manifest file name (analysis/fingerprint.ts). */
  readonly fingerprints: ReadonlyMap<string, readonly number[]>;
  readonly exportDir: string;
  readonly manifestPath: string;
  readonly timings: Record<string, number>;
}

export function emptyCounts(): MakeCounts {
  return { pads: 0, swells: 0, clouds: 0, hiss_loops: 0, hiss_flickers: 0 };
}

function countKey(t: Pick<Texture, "category" | "type">): keyof MakeCounts {
  if (t.type === "hiss_loop") return "hiss_loops";
  if (t.type === "hiss_flicker") return "hiss_flickers";
  if (t.category === "clouds") return "clouds";
  if (t.category === "swells") return "swells";
  return "pads";
}

const stem = (path: string): string => safeName(basename(path, extname(path)));

/**
 * Decoded samples kept from the analysis passes, over all sources of a run: two 5-minute stereo
 * 16-bit tracks, or one 5-minute 24-bit one (kept as floats), so a 5-minute source stays well under
 * 300 MB. A longer source (or one past the budget) is read region by region from its file.
 */
const DECODED_STORE_BUDGET_BYTES = 112 * 1024 * 1024;

/** The sources a run reads, analysed lazily and at most once per distinct file content. */
class SourceCache {
  /**
   * Loaded sources by quick identity (size, first and last 64 KiB). A match is shared only when it
   * is the same file (hard link) or holds the same bytes: two bounces of one length with silent
   * edges share the quick identity but not their audio.
   */
  private readonly byIdentity = new Map<
    string,
    { path: string; inode: string; material: Promise<SourceMaterial<TrackAnalysis>> }[]
  >();
  /** Kept decoded sources, oldest first; the oldest are dropped to stay within the budget. */
  private readonly stores: { store: DecodedStore | null }[] = [];
  /** Seconds spent in decode + analysis passes (the rest of make should not grow with track length). */
  analysisSec = 0;
  /** Decoder warnings per source path, from its analysis pass (which reads the whole file). */
  readonly warnings = new Map<string, readonly string[]>();
  constructor(private readonly sampleRate: number) {}

  async get(path: string): Promise<SourceMaterial<TrackAnalysis>> {
    const [id, inode] = await Promise.all([fileIdentity(path), fileInode(path)]);
    const known = this.byIdentity.get(id) ?? [];
    let entry: (typeof known)[number] | undefined;
    for (const k of known) {
      if (k.inode === inode || (await sameContent(k.path, path))) {
        entry = k;
        break;
      }
    }
    if (!entry) {
      entry = { path, inode, material: this.load(path) };
      known.push(entry);
      this.byIdentity.set(id, known);
    }
    const material = await entry.material;
    // Same content, maybe another name: keep this path's name for its outputs.
    return { ...material, name: stem(path), readRegion: material.readRegion };
  }

  /** A store for a source about to be analysed, dropping the oldest kept ones to make room. */
  private reserve(info: AudioInfo): DecodedStore | null {
    const store = DecodedStore.for(info, this.sampleRate, DECODED_STORE_BUDGET_BYTES);
    if (!store) return null;
    let used = this.stores.reduce((a, k) => a + (k.store?.bytes ?? 0), 0);
    while (used + store.bytes > DECODED_STORE_BUDGET_BYTES && this.stores.length > 0) {
      const oldest = this.stores.shift();
      used -= oldest?.store?.bytes ?? 0;
      if (oldest) oldest.store = null;
    }
    return store;
  }

  private async load(path: string): Promise<SourceMaterial<TrackAnalysis>> {
    const sampleRate = this.sampleRate;
    const t0 = performance.now();
    // The analysis pass also keeps the decoded samples when they fit, for the region reads.
    const kept: { store: DecodedStore | null } = { store: null };
    let info: AudioInfo | null = null;
    const stream = await openAudio(path, {
      sampleRate,
      mono: true,
      chunkFrames: "any",
      onNativeBlock: (block) => {
        if (info === null) {
          info = stream.info;
          kept.store = this.reserve(info);
        }
        kept.store?.append(block);
      },
    });
    const analysis = await analyzeStream(stream, { sampleRate });
    this.analysisSec += (performance.now() - t0) / 1000;
    if (stream.warnings.length > 0) this.warnings.set(path, [...stream.warnings]);
    const channels = Math.min(2, stream.info.channels);
    const frames = analysis.sampleCount;
    if (kept.store && !kept.store.holds(frames)) kept.store = null;
    if (kept.store) this.stores.push(kept);
    return {
      name: stem(path),
      sampleRate,
      frames,
      channels,
      analysis,
      async readRegion(start: number, end: number): Promise<PlanarAudio> {
        const s = Math.max(0, Math.min(frames, Math.floor(start)));
        const e = Math.max(s, Math.min(frames, Math.ceil(end)));
        if (kept.store) return { sampleRate, channels: kept.store.region(s, e) };
        const region = await decodeRegion(path, s, e, { sampleRate, mono: stream.info.channels > 2 });
        return { sampleRate, channels: region.channels.slice(0, 2) };
      },
    };
  }
}

function resolveSeed(opts: MakeOptions): number {
  if (opts.seed !== undefined) return opts.seed >>> 0;
  const s = opts.config.reproducibility.random_seed;
  return s === null ? randomInt(0, 2 ** 32 - 1) : s;
}

/** Files written at once while the next textures are measured (their I/O overlaps that work). */
const WRITES_IN_FLIGHT = 4;

/** Channel layout per texture: drone loops, reversed loops and swells follow `swells_stereo`. */
function isStereo(config: PatinaConfig, t: Pick<Texture, "category" | "type">): boolean {
  const e = config.export;
  if (t.type === "loop" || t.type === "reversed" || t.type === "swell") return e.swells_stereo;
  if (t.category === "pads") return e.pads_stereo;
  if (t.category === "clouds") return e.clouds_stereo;
  return e.hiss_stereo;
}

/** Mono unless the category exports stereo; a mono texture is duplicated only when stereo is asked. */
function toLayout(audio: PlanarAudio, stereo: boolean): PlanarAudio {
  if (!stereo)
    return audio.channels.length === 1 ? audio : { sampleRate: audio.sampleRate, channels: [toMono(audio)] };
  if (audio.channels.length >= 2)
    return { sampleRate: audio.sampleRate, channels: audio.channels.slice(0, 2) };
  return { sampleRate: audio.sampleRate, channels: [audio.channels[0], audio.channels[0]] };
}

/**
 * The loop a texture's `smpl` chunk carries. The chunk cannot say "no root" (its unity note is
 * always a note), so a loop without a confident root that spans the whole file gets no chunk at all:
 * looping the whole file needs no loop points, and a sampler then maps it as it maps any WAV (or
 * detects the pitch itself) instead of trusting a made-up middle C. A loop inside a longer file
 * keeps its chunk (its points matter more), with the chunk's default unity note.
 */
function smplLoop(t: Texture, frames: number): Texture["loop"] {
  if (!t.loop) return undefined;
  const wholeFile = t.loop.start === 0 && t.loop.end === frames;
  return t.rootMidi == null && wholeFile ? undefined : t.loop;
}

export async function runMake(opts: MakeOptions): Promise<MakeResult> {
  const t0 = performance.now();
  const { config, root } = opts;
  const emit = opts.onEvent ?? (() => {});
  const seed = resolveSeed(opts);
  const dryRun = opts.dryRun === true;
  const sampleRate = config.global.sample_rate;
  const exportDir = join(root, config.paths.export_dir);
  const manifestPath = join(exportDir, "manifest.csv");
  const cache = new SourceCache(sampleRate);
  const counts = emptyCounts();
  const sources: SourceReport[] = [];
  const errors: MakeResult["errors"] = [];
  const skipped: MakeResult["skipped"] = [];
  const files: string[] = [];
  const rows: ManifestRow[] = [];
  const fingerprints = new Map<string, readonly number[]>();
  const timings: Record<string, number> = {};
  const preparedDirs = new Map<string, Promise<unknown>>();

  if (!dryRun) {
    await ensureDir(exportDir);
    await cleanStaleTemps(exportDir);
  }

  const dirs = {
    source: join(root, config.paths.source_audio_dir),
    pad: join(root, config.paths.pad_sources_dir),
    drums: join(root, config.paths.drums_dir),
  };
  const listed = {
    source: await listAudioFiles(dirs.source),
    pad: await listAudioFiles(dirs.pad),
    drums: await listAudioFiles(dirs.drums),
  };

  const skip = (phase: Phase, source: string | null, reason: string): void => {
    skipped.push({ phase, source, reason });
    emit({ kind: "skip", phase, source, reason });
  };

  /**
   * Measure, grade, write and record each texture. Up to WRITES_IN_FLIGHT files are written (I/O)
   * while the next textures are measured and encoded. A texture is counted and recorded only once
   * its file is on disk, in texture order. After a failed write no further file is started, the
   * files already written stay counted, and the error fails the source.
   */
  const assessors = new Map<string, TextureAssessor>();
  const handleTextures = async (phase: Phase, sourcePath: string | null, textures: readonly Texture[]) => {
    const record = (t: Texture, rel: string, saved: boolean, grade: string, row: ManifestRow): void => {
      if (saved) {
        files.push(rel);
        counts[countKey(t)]++;
      }
      rows.push(row);
      emit({ kind: "file", phase, file: rel, grade, saved });
    };
    const inFlight: Promise<void>[] = [];
    // One assessor per output folder over all phases: a drone loop can duplicate a pad of the same track.
    const folder = sourcePath === null ? "synthetic" : stem(sourcePath);
    let assessor = assessors.get(folder);
    if (!assessor) {
      assessor = new TextureAssessor(config);
      assessors.set(folder, assessor);
    }
    let recorded: Promise<void> = Promise.resolve();
    const failures: unknown[] = [];
    try {
      for (const t of textures) {
        let audio = toLayout(t.audio, isStereo(config, t));
        const isLoop = t.loop !== undefined;
        // The generator's own measures hold only for its audio as made (not a new channel layout).
        let m = measureTexture(audio, isLoop, config, audio === t.audio ? t.measured : undefined);
        const th = config.curation.thresholds;
        let seamRotation = 0;
        if (isLoop && ((m.seamDb ?? 0) > th.max_loop_seam_db || (m.dipDb ?? 0) < th.min_loop_dip_db)) {
          // A loop is a circle: move its file boundary to where the seam does not stand out.
          const placed = placeLoopSeam(audio);
          audio = placed.audio;
          seamRotation = placed.rotation;
          m = measureTexture(audio, isLoop, config);
        }
        const sourceName = sourcePath === null ? "synthetic" : stem(sourcePath);
        const rel = `${sourceName}/${t.category}/${t.name}`;
        const { grade, reason, score, duplicateOf } = assessor.assess(t, rel, audio, m);
        const saved = !(grade === "F" && config.curation.auto_delete_grade_f) && duplicateOf === null;
        const print = saved && !dryRun ? timbreFingerprint(audio) : null;
        while (inFlight.length >= WRITES_IN_FLIGHT) await inFlight.shift();
        if (failures.length > 0) break;
        const write = async (): Promise<void> => {
          if (saved && !dryRun) {
            const dir = join(exportDir, sourceName, t.category);
            // Once per folder, before any of its files is started (a later clean-up would delete
            // another write's temporary file).
            let ready = preparedDirs.get(dir);
            if (ready === undefined) {
              ready = ensureDir(dir).then(() => cleanStaleTemps(dir));
              preparedDirs.set(dir, ready);
            }
            await ready;
            await writeWav(join(dir, t.name), audio, {
              bitDepth: config.global.output_bit_depth,
              dither: { seed: seedFromString(rel, seed) },
              loop: smplLoop(t, frameCount(audio)),
              rootMidi: t.rootMidi ?? undefined,
              rootCents: t.rootMidi == null ? undefined : (t.rootCents ?? 0),
            });
            await opts.onWritten?.({ file: rel, category: t.category, audio });
          }
        };
        const row: ManifestRow = {
          file: rel,
          source: sourceName,
          type: t.type,
          category: t.category,
          duration_sec: round(m.durationSec, 4),
          rms_db: round(m.rmsDb, 2),
          peak_dbfs: round(m.peakDbfs, 2),
          crest_factor: round(m.crestDb, 2),
          centroid_hz: Math.round(m.centroidHz),
          brightness: m.brightness,
          root_hz: t.rootHz == null ? null : round(t.rootHz, 2),
          root_midi: t.rootMidi ?? null,
          key: t.key ?? null,
          loop: isLoop,
          loop_start: t.loop?.start ?? null,
          loop_end: t.loop?.end ?? null,
          loop_seam_db: m.seamDb === null ? null : round(m.seamDb, 2),
          loop_dip_db: m.dipDb === null ? null : round(m.dipDb, 2),
          grade,
          grade_reason: reason,
          saved,
          seed,
          params: seamRotation > 0 ? { ...t.params, seam_rotation: seamRotation } : { ...t.params },
          score,
          duplicate_of: duplicateOf,
          root_confidence: t.rootConfidence == null ? null : round(t.rootConfidence, 2),
          root_cents: t.rootCents == null ? null : round(t.rootCents, 1),
        };
        // Never rejects: a failure is kept for the end, when every started write has settled.
        const written = write().then(
          () => true,
          (error: unknown) => {
            failures.push(error);
            return false;
          },
        );
        inFlight.push(written.then(() => undefined));
        recorded = recorded.then(async () => {
          if (!(await written)) return;
          record(t, rel, saved, grade, row);
          if (print) fingerprints.set(rel, print);
        });
      }
    } finally {
      // Also when a texture failed while earlier files were still being written.
      await recorded;
    }
    if (failures.length > 0) throw failures[0];
    return textures.length;
  };

  const planFiles = (phase: Phase, sourcePath: string | null, planned: readonly PlannedTexture[]): number => {
    const sourceName = sourcePath === null ? "synthetic" : stem(sourcePath);
    for (const t of planned) {
      const rel = `${sourceName}/${t.category}/${t.name}`;
      files.push(rel);
      counts[countKey(t)]++;
      emit({ kind: "file", phase, file: rel, grade: "?", saved: true });
    }
    return planned.length;
  };

  const runSource = async (
    phase: Phase,
    path: string,
    work: (s: SourceMaterial<TrackAnalysis>, rng: Rng) => Promise<{ textures: Texture[]; skipped?: string }>,
  ): Promise<void> => {
    try {
      const material = await cache.get(path);
      if (dryRun) {
        // Plan from the analysis alone: no region is fetched, nothing is synthesised.
        const planned = planTextures(phase, material, config);
        const n = planFiles(phase, path, planned.textures);
        if (planned.skipped) skip(phase, path, planned.skipped);
        sources.push({ path, phase, files: n, ...(planned.skipped ? { skipped: planned.skipped } : {}) });
        return;
      }
      const rng = new Rng(seedFromString(`${phase}:${material.name}`, seed));
      const result = await work(material, rng);
      const n = await handleTextures(phase, path, result.textures);
      if (result.skipped && result.textures.length === 0) skip(phase, path, result.skipped);
      sources.push({ path, phase, files: n, ...(result.skipped ? { skipped: result.skipped } : {}) });
      emit({ kind: "source-done", phase, source: path, files: n });
    } catch (e) {
      if (opts.strict) throw e;
      const message = e instanceof Error ? e.message : String(e);
      errors.push({ path, phase, message });
      sources.push({ path, phase, files: 0, error: message });
      emit({ kind: "error", phase, source: path, message });
    }
  };

  const timed = async (name: string, fn: () => Promise<void>): Promise<void> => {
    const s = performance.now();
    await fn();
    timings[name] = round((performance.now() - s) / 1000, 3);
  };

  if (opts.phases.includes("pads")) {
    await timed("pads_sec", async () => {
      const o = padOptionsFromConfig(config);
      if (listed.source.length === 0) skip("pads", null, `no audio files in ${dirs.source}`);
      emit({ kind: "phase", phase: "pads", sources: listed.source.length });
      for (const p of listed.source) await runSource("pads", p, (s, rng) => minePads(s, o, rng));
    });
  }
  if (opts.phases.includes("drones")) {
    await timed("drones_sec", async () => {
      const o = droneOptionsFromConfig(config);
      if (listed.pad.length === 0) skip("drones", null, `no audio files in ${dirs.pad}`);
      emit({ kind: "phase", phase: "drones", sources: listed.pad.length });
      for (const p of listed.pad) await runSource("drones", p, (s, rng) => makeDrones(s, o, rng));
    });
  }
  if (opts.phases.includes("clouds")) {
    await timed("clouds_sec", async () => {
      const o = cloudOptionsFromConfig(config);
      if (listed.pad.length === 0) skip("clouds", null, `no audio files in ${dirs.pad}`);
      emit({ kind: "phase", phase: "clouds", sources: listed.pad.length });
      for (const p of listed.pad) await runSource("clouds", p, (s, rng) => makeClouds(s, o, rng));
    });
  }
  if (opts.phases.includes("hiss")) {
    await timed("hiss_sec", async () => {
      const o = hissOptionsFromConfig(config);
      // drums/ first; else the noisy part of the pad sources; else synthetic noise.
      const fromDrums = listed.drums.length > 0;
      const list = fromDrums ? listed.drums : listed.pad;
      emit({ kind: "phase", phase: "hiss", sources: list.length });
      if (!fromDrums)
        skip("hiss", null, `no audio files in ${dirs.drums}: using the pad sources' noisy part`);
      let made = 0;
      for (const p of list) {
        const before = files.length;
        await runSource("hiss", p, (s, rng) =>
          makeHiss(s, { ...o, material: fromDrums ? "drums" : "percussive" }, rng),
        );
        made += files.length - before;
      }
      const anySources = listed.source.length + listed.pad.length + listed.drums.length > 0;
      const synthetic = made === 0 && o.useSyntheticNoise && (anySources || opts.hissAsked === true);
      if (made === 0 && o.useSyntheticNoise && !synthetic) {
        skip("hiss", null, `no audio files under ${root}: no synthetic hiss unless asked for (--make-hiss)`);
      } else if (synthetic && dryRun) {
        planFiles("hiss", null, hissNames("synthetic", o.loopsPerSource, o.flickerCount));
      } else if (synthetic) {
        const rng = new Rng(seedFromString("hiss:synthetic", seed));
        const result = await makeHiss(null, { ...o, material: "synthetic" }, rng);
        await handleTextures("hiss", null, result.textures);
      }
    });
  }

  if (!dryRun) {
    await timed("manifest_sec", async () => {
      const written = new Set(rows.map((r) => r.file));
      const previous = (await pathExists(manifestPath))
        ? readManifest(manifestPath).filter((r) => !written.has(r.file))
        : [];
      await writeManifest(manifestPath, [...previous, ...rows]);
      const listed = new Set([...previous, ...rows].filter((r) => r.saved).map((r) => r.file));
      const printsPath = join(exportDir, FINGERPRINT_FILE);
      await mergeFingerprintFile(printsPath, FINGERPRINT_DIMS, fingerprints, (f) => listed.has(f));
    });
  }
  timings.analysis_sec = round(cache.analysisSec, 3);
  timings.total_sec = round((performance.now() - t0) / 1000, 3);
  const warnings = [...cache.warnings].flatMap(([path, ws]) => ws.map((message) => ({ path, message })));
  return {
    seed,
    dryRun,
    counts,
    sources,
    errors,
    skipped,
    warnings,
    files,
    rows,
    fingerprints,
    exportDir,
    manifestPath,
    timings,
  };
}

type PlannedTexture = Pick<Texture, "name" | "category" | "type">;

function hissNames(source: string, loops: number, flickers: number): PlannedTexture[] {
  const out: PlannedTexture[] = [];
  for (let i = 0; i < loops; i++)
    out.push({ name: `hiss_loop_${source}_${index2(i + 1)}.wav`, category: "hiss", type: "hiss_loop" });
  for (let i = 0; i < flickers; i++) {
    out.push({ name: `hiss_flicker_${source}_${index2(i + 1)}.wav`, category: "hiss", type: "hiss_flicker" });
  }
  return out;
}

/**
 * What a phase would write for a source, from its analysis alone (for --dry-run). Brightness tags
 * come from the analysed windows, so a real run may tag a file differently near the class bounds.
 */
function planTextures(
  phase: Phase,
  material: SourceMaterial<TrackAnalysis>,
  config: PatinaConfig,
): { textures: PlannedTexture[]; skipped?: string } {
  const a = material.analysis;
  const b = config.brightness_tags;
  const tag = (centroidHz: number): string =>
    b.enabled
      ? `_${brightnessClass(centroidHz, { lowHz: b.centroid_low_hz, highHz: b.centroid_high_hz })}`
      : "";
  if (phase === "pads") {
    const o = padOptionsFromConfig(config);
    const out: PlannedTexture[] = [];
    const taken: PlacedPad[] = [];
    for (const plan of planPads(a, o)) {
      for (const c of pickSeparated(plan, o.maxCandidatesPerFile, o.maxOverlap, taken)) {
        out.push({
          name: `${material.name}_pad${index2(out.length + 1)}${tag(c.stats.meanCentroidHz)}.wav`,
          category: "pads",
          type: "pad",
        });
      }
    }
    return out.length > 0
      ? { textures: out }
      : { textures: out, skipped: "no window passed the pad filters" };
  }
  if (phase === "drones")
    return { textures: droneTextureNames(material.name, droneOptionsFromConfig(config)) };
  if (phase === "clouds") {
    const n = config.clouds.clouds_per_source;
    return {
      textures: Array.from({ length: n }, (_, i) => ({
        name: `cloud_${material.name}_${index2(i + 1)}${tag(a.meanCentroidHz)}.wav`,
        category: "clouds" as const,
        type: "cloud" as const,
      })),
    };
  }
  return { textures: hissNames(material.name, config.hiss.hiss_loops_per_source, config.hiss.flicker_count) };
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
