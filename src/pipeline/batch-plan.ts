/**
 * Batch planning and resume: the output layout, the slice of tracks with their slugs and folders,
 * and which tracks are already complete for this source and config (they are skipped).
 */
import { join, resolve } from "node:path";
import type { PatinaConfig } from "../config/schema.js";
import { ParameterError } from "../core/errors.js";
import type { ProgressObserver } from "../core/progress.js";
import { pathExists, statPath } from "../io/fs.js";
import { readJsonIfExists } from "../io/workdir.js";
import type { BatchEvent } from "./batch.js";
import type { TrackRunner } from "./batch-runner.js";
import { TRACK_MARKER, type TrackMarker } from "./batch-worker.js";
import type { CatalogRow } from "./catalog.js";
import { uniqueSlugs } from "./slug.js";

/** Folder (under the export root) holding one folder per track. */
export const BY_SOURCE_DIR = "by_source";

export interface BatchOptions {
  /** Folder the sources' rel_paths are resolved against. */
  root: string;
  /** Folder for work/ and the export; null = root. */
  out: string | null;
  /** Profile name: results go to `<export_dir>/<profile>/`. */
  profile: string | null;
  config: PatinaConfig;
  /** Hash of the effective config; a finished track is redone when it changes. */
  configHash: string;
  startIndex: number;
  /** Tracks from startIndex; null = to the end. */
  count: number | null;
  /** Tracks at once; null = config batch.jobs, else the number of cores. */
  jobs: number | null;
  /** Per-track limit in seconds; null = config batch.timeout_sec. */
  timeoutSec: number | null;
  /** Redo tracks that are already complete. */
  force: boolean;
  keepWork: boolean;
  /**
   * Take the output folder's lock (io/lock.ts) for the run, so a second batch on the same folder
   * stops instead of breaking this one. False when the caller holds it already (`patina run`).
   */
  lock: boolean;
  /** batch_results.json path; null = `<out>/batch_results.json`. */
  resultsPath: string | null;
  /** Aborting it (Ctrl-C) stops dispatching and abandons running tracks cleanly. */
  signal: AbortSignal | null;
  /** How tracks run; null = worker processes (see {@link processRunner}). */
  runner: TrackRunner | null;
  /** Module URL whose default export replaces runMake in the workers (tests, benchmarks). */
  makeModule: string | null;
  onEvent: ((event: BatchEvent) => void) | null;
  /** start(tracks to run), tick(1, slug) per finished track, done(). */
  progress: ProgressObserver | null;
}

export const DEFAULT_BATCH_OPTIONS: Omit<BatchOptions, "config" | "configHash"> = {
  root: ".",
  out: null,
  profile: null,
  startIndex: 0,
  count: null,
  jobs: null,
  timeoutSec: null,
  force: false,
  keepWork: false,
  lock: true,
  resultsPath: null,
  signal: null,
  runner: null,
  makeModule: null,
  onEvent: null,
  progress: null,
};

export interface BatchLayout {
  readonly out: string;
  readonly workRoot: string;
  /** `<out>/<export_dir>[/<profile>]`: the combined manifest.csv and the report live here. */
  readonly exportRoot: string;
  readonly bySource: string;
  readonly manifestPath: string;
}

export function batchLayout(out: string, config: PatinaConfig, profile: string | null): BatchLayout {
  const base = resolve(out, config.paths.export_dir);
  const exportRoot = profile ? join(base, profile) : base;
  return {
    out: resolve(out),
    workRoot: resolve(out, "work"),
    exportRoot,
    bySource: join(exportRoot, BY_SOURCE_DIR),
    manifestPath: join(exportRoot, "manifest.csv"),
  };
}

/** One track of the slice, before it runs. */
export interface TrackPlan {
  /** 0-based position in the full sources list. */
  readonly index: number;
  readonly id: string;
  readonly relPath: string;
  readonly slug: string;
  readonly durationSec: number;
  readonly sourcePath: string;
  readonly workDir: string;
  readonly trackDir: string;
  /** Size and mtime of the source; null when it is missing. */
  readonly source: { size: number; mtimeMs: number } | null;
  /** The finished track's marker when it is complete for this source and config (it will be skipped). */
  readonly done: TrackMarker | null;
}

export function isMarker(v: unknown): v is TrackMarker {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    m.version === 1 &&
    typeof m.rel_path === "string" &&
    Array.isArray(m.files) &&
    typeof m.counts === "object"
  );
}

/** The marker of a finished track if it matches this source and config and all its files exist. */
export async function completedMarker(
  trackDir: string,
  relPath: string,
  source: { size: number; mtimeMs: number } | null,
  configHash: string,
): Promise<TrackMarker | null> {
  if (source === null) return null;
  const m = await readJsonIfExists(join(trackDir, TRACK_MARKER));
  if (!isMarker(m)) return null;
  if (m.rel_path !== relPath || m.config_hash !== configHash) return null;
  if (m.source.size !== source.size || m.source.mtime_ms !== source.mtimeMs) return null;
  for (const f of m.files) if (!(await pathExists(join(trackDir, ...f.split("/"))))) return null;
  return m;
}

export function resolved(
  opts: Partial<BatchOptions> & Pick<BatchOptions, "config" | "configHash">,
): BatchOptions {
  const o: BatchOptions = { ...DEFAULT_BATCH_OPTIONS, ...opts };
  if (!Number.isInteger(o.startIndex) || o.startIndex < 0) {
    throw new ParameterError(`startIndex must be a whole number >= 0, got: ${o.startIndex}`);
  }
  if (o.count !== null && (!Number.isInteger(o.count) || o.count < 1)) {
    throw new ParameterError(`count must be a whole number >= 1, got: ${o.count}`);
  }
  return o;
}

/** The tracks of the slice with slugs (unique over the whole list), folders and resume state. */
export async function planBatch(
  sources: readonly CatalogRow[],
  options: Partial<BatchOptions> & Pick<BatchOptions, "config" | "configHash">,
): Promise<{ layout: BatchLayout; plans: TrackPlan[] }> {
  const o = resolved(options);
  const layout = batchLayout(o.out ?? o.root, o.config, o.profile);
  const slugs = uniqueSlugs(sources.map((s) => s.rel_path));
  const end = o.count === null ? sources.length : Math.min(sources.length, o.startIndex + o.count);
  const plans: TrackPlan[] = [];
  for (let i = o.startIndex; i < end; i++) {
    const row = sources[i];
    const slug = slugs[i];
    const sourcePath = resolve(o.root, ...row.rel_path.split("/"));
    const trackDir = join(layout.bySource, slug);
    const st = await statPath(sourcePath);
    // Rounded: the marker stores whole milliseconds.
    const source = st?.kind === "file" ? { size: st.size, mtimeMs: Math.round(st.mtimeMs) } : null;
    const done = o.force ? null : await completedMarker(trackDir, row.rel_path, source, o.configHash);
    plans.push({
      index: i,
      id: row.id,
      relPath: row.rel_path,
      slug,
      durationSec: row.duration_sec,
      sourcePath,
      workDir: join(layout.workRoot, slug),
      trackDir,
      source,
      done,
    });
  }
  return { layout, plans };
}

/**
 * What --dry-run can say about a track's outputs without decoding: the most files per category the
 * config allows (pads = mined pads + drone loops and reversed loops; swells = drone swells).
 */
export function expectedOutputs(config: PatinaConfig): { category: string; upTo: number; names: string }[] {
  const d = config.drones;
  const variants = d.pitch_shift_semitones.length * d.time_stretch_factors.length;
  const h = config.hiss;
  return [
    {
      category: "pads",
      upTo:
        config.pad_miner.target_durations_sec.length * config.pad_miner.max_candidates_per_file +
        variants * (d.pad_variants.length + (d.enable_reversal ? 1 : 0)),
      names:
        "<slug>_padNN_<brightness>.wav, <slug>_pitch+N_stretchNx_loop_<variant>.wav, <slug>_..._reversed.wav",
    },
    { category: "swells", upTo: variants, names: "<slug>_pitch+N_stretchNx_swellNN.wav" },
    { category: "clouds", upTo: config.clouds.clouds_per_source, names: "cloud_<slug>_NN_<brightness>.wav" },
    {
      category: "hiss",
      upTo: h.hiss_loops_per_source + h.flicker_count,
      names: "hiss_loop_<slug>_NN.wav, hiss_flicker_<slug>_NN.wav",
    },
  ];
}
