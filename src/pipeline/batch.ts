/**
 * Phase 3, batch: a texture pack per selected track, `jobs` tracks at once in worker processes, each
 * isolated (a crash, a corrupt file or a timeout fails that track alone), resumable and
 * interruptible.
 *
 * Layout under `out`: `work/<slug>/` while a track runs; results in
 * `<export_dir>[/<profile>]/by_source/<slug>/{pads,swells,clouds,hiss}/` plus that track's
 * `manifest.csv` and completion marker `.patina-track.json`. A track folder appears with one rename
 * of a finished hidden sibling (`.<slug>.partial`), so it is either absent or complete; the
 * combined `manifest.csv` at the export root is rebuilt from every finished track at the end.
 */
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PatinaConfig } from "../config/schema.js";
import { ParameterError } from "../core/errors.js";
import { FINGERPRINT_FILE } from "../core/export-files.js";
import type { ManifestRow } from "../core/manifest.js";
import type { ProgressObserver } from "../core/progress.js";
import { combineFingerprintFiles } from "../io/fingerprint-file.js";
import { pathExists, removeDir } from "../io/fs.js";
import { readManifest, writeManifest } from "../io/manifest.js";
import {
  fileStamp,
  listSubdirs,
  readJsonIfExists,
  removeDirIfEmpty,
  removeSubdirsMatching,
  writeJsonAtomic,
} from "../io/workdir.js";
import {
  type MakeFn,
  processTrack,
  type SerializedError,
  serializeError,
  TRACK_MANIFEST,
  TRACK_MARKER,
  type TrackMarker,
  type TrackTask,
  type WorkerReply,
} from "./batch-worker.js";
import type { CatalogRow } from "./catalog.js";
import type { MakeCounts } from "./make.js";
import { uniqueSlugs } from "./slug.js";

export type { MakeFn, TrackMarker, TrackTask } from "./batch-worker.js";

/** Folder (under the export root) holding one folder per track. */
export const BY_SOURCE_DIR = "by_source";
/** Exit code of an interrupted batch (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

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

export interface TrackStatsOut {
  pads: number;
  swells: number;
  clouds: number;
  hiss_loops: number;
  hiss_flickers: number;
  error: string | null;
}

/** One entry of batch_results.json `results` (key order is the file's). */
export interface BatchTrackResult {
  id: string;
  rel_path: string;
  track_slug: string;
  success: boolean;
  skipped: boolean;
  duration_sec: number;
  elapsed_sec: number;
  stats: TrackStatsOut;
}

/** batch_results.json. `successful` counts tracks made in this run; skipped ones count only as skipped. */
export interface BatchResultsFile {
  timestamp: string;
  total: number;
  successful: number;
  failed: number;
  skipped: number;
  config_hash: string;
  results: BatchTrackResult[];
}

export type BatchEvent =
  | { kind: "skip"; plan: TrackPlan }
  | { kind: "start"; plan: TrackPlan }
  | { kind: "done"; plan: TrackPlan; result: BatchTrackResult }
  | { kind: "fail"; plan: TrackPlan; result: BatchTrackResult; error: SerializedError };

export interface BatchOutcome {
  readonly layout: BatchLayout;
  readonly plans: TrackPlan[];
  readonly results: BatchResultsFile;
  readonly resultsPath: string;
  /** Textures written in this run, per category. */
  readonly made: MakeCounts;
  readonly wallSec: number;
  /** Seconds of source audio of the tracks made in this run. */
  readonly audioSec: number;
  readonly interrupted: boolean;
  readonly jobs: number;
  /** Rows in the combined manifest (0 when no track is finished). */
  readonly manifestRows: number;
}

/** Runs one track; `signal` aborts it (timeout, Ctrl-C). */
export interface TrackRunner {
  run(task: TrackTask, signal: AbortSignal): Promise<WorkerReply>;
  close(): Promise<void>;
}

const zeroCounts = (): MakeCounts => ({ pads: 0, swells: 0, clouds: 0, hiss_loops: 0, hiss_flickers: 0 });
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const errorText = (e: SerializedError): string => `${e.name}: ${e.message}`;

/** Node options that take a value and that workers inherit (module hooks and conditions). */
const WORKER_OPTIONS_WITH_VALUE = new Set([
  "--import",
  "--require",
  "-r",
  "--loader",
  "--experimental-loader",
  "--conditions",
  "-C",
]);

/**
 * The parent's flags that workers inherit: module hooks (tsx), conditions and source maps. V8 flags
 * are left out: the worker processes get their own (see `processRunner`).
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.split("=")[0];
    if (WORKER_OPTIONS_WITH_VALUE.has(name)) {
      out.push(a);
      if (!a.includes("=") && i + 1 < argv.length) out.push(argv[++i]);
    } else if (a === "--enable-source-maps" || a === "--no-warnings") out.push(a);
  }
  return out;
}

/** Worker file and node flags: the compiled .js next to this module, or the .ts under tsx/vitest. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const isTs = import.meta.url.endsWith(".ts");
  const filename = fileURLToPath(new URL(`./batch-process.${isTs ? "ts" : "js"}`, import.meta.url));
  const inherited = workerExecArgv(process.execArgv);
  const hasTsx = inherited.some((a) => a.includes("tsx"));
  return {
    filename,
    // Resolved here, not from the cwd, so a run from another folder finds the dev dependency.
    execArgv: isTs && !hasTsx ? [...inherited, "--import", import.meta.resolve("tsx")] : inherited,
  };
}

/** Heap limit per worker process (MB): a runaway track fails alone instead of taking the batch down. */
const WORKER_HEAP_MB = 2048;

/**
 * Tracks in child processes (process-pool.ts), so each can run with V8 flags of its own: with a
 * track on every core (`jobs` >= cores), each process collects garbage and compiles on its own
 * thread, because the engine's helper threads would only take time from the other tracks. Measured
 * on 2 cores, 12 tracks of 4 minutes, --jobs 2: 8.1-8.6 s against 8.5-9.8 s with the helper
 * threads; one job alone is faster with them (13.4-16.9 s against 14.1-16.6 s), so it keeps them.
 * Worker threads cannot do this: V8 flags are process-wide.
 */
export async function processRunner(jobs: number): Promise<TrackRunner> {
  const { processPool } = await import("./process-pool.js");
  const { filename, execArgv } = workerEntry();
  const busy = jobs >= availableParallelism();
  return processPool(
    filename,
    [
      ...execArgv,
      `--max-old-space-size=${WORKER_HEAP_MB}`,
      "--max-semi-space-size=32",
      ...(busy ? ["--single-threaded-gc", "--no-concurrent-recompilation"] : []),
    ],
    jobs,
  );
}

/**
 * Tracks in this thread (debugging, tests). Aborting rejects at once but cannot stop the work
 * already running; use processes when timeouts must really stop a track.
 */
export function inProcessRunner(make?: MakeFn): TrackRunner {
  return {
    run: (task, signal) =>
      new Promise<WorkerReply>((res, rej) => {
        if (signal.aborted) return rej(new Error("aborted"));
        signal.addEventListener("abort", () => rej(new Error("aborted")), { once: true });
        processTrack(task, make).then(
          (stats) => res({ ok: true, stats }),
          (e: unknown) => res({ ok: false, error: serializeError(e) }),
        );
      }),
    close: async () => {},
  };
}

function isMarker(v: unknown): v is TrackMarker {
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

function resolved(opts: Partial<BatchOptions> & Pick<BatchOptions, "config" | "configHash">): BatchOptions {
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
    const source = await fileStamp(sourcePath);
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

function resultFor(
  plan: TrackPlan,
  fields: {
    success: boolean;
    skipped: boolean;
    elapsedSec: number;
    counts: MakeCounts;
    error: string | null;
  },
): BatchTrackResult {
  return {
    id: plan.id,
    rel_path: plan.relPath,
    track_slug: plan.slug,
    success: fields.success,
    skipped: fields.skipped,
    duration_sec: round(plan.durationSec, 2),
    elapsed_sec: round(fields.elapsedSec, 3),
    stats: { ...fields.counts, error: fields.error },
  };
}

/** Rebuild `<exportRoot>/manifest.csv` from every finished track folder; returns the row count. */
export async function rebuildCombinedManifest(layout: BatchLayout): Promise<number> {
  const rows: ManifestRow[] = [];
  const prints: { prefix: string; path: string }[] = [];
  let tracks = 0;
  for (const slug of await listSubdirs(layout.bySource)) {
    if (slug.startsWith(".")) continue;
    const dir = join(layout.bySource, slug);
    if (!isMarker(await readJsonIfExists(join(dir, TRACK_MARKER)))) continue;
    const manifest = join(dir, TRACK_MANIFEST);
    if (!(await pathExists(manifest))) continue;
    tracks++;
    for (const r of readManifest(manifest)) rows.push({ ...r, file: `${BY_SOURCE_DIR}/${slug}/${r.file}` });
    prints.push({ prefix: `${BY_SOURCE_DIR}/${slug}/`, path: join(dir, FINGERPRINT_FILE) });
  }
  if (tracks === 0) return 0;
  writeManifest(layout.manifestPath, rows);
  await combineFingerprintFiles(prints, join(layout.exportRoot, FINGERPRINT_FILE));
  return rows.length;
}

/** Hidden siblings of track folders: being assembled (`.partial`) or replaced (`.aside`). */
const LEFTOVER_RE = /^\..+\.(partial|aside)$/;

/** Run the batch over `sources[startIndex, startIndex + count)` (see the module comment). */
export async function runBatch(
  sources: readonly CatalogRow[],
  options: Partial<BatchOptions> & Pick<BatchOptions, "config" | "configHash">,
): Promise<BatchOutcome> {
  const t0 = performance.now();
  const o = resolved(options);
  const { layout, plans } = await planBatch(sources, o);
  const jobs = Math.max(1, o.jobs ?? o.config.batch.jobs ?? availableParallelism());
  const timeoutSec = o.timeoutSec ?? o.config.batch.timeout_sec;
  const resultsPath = resolve(o.resultsPath ?? join(layout.out, "batch_results.json"));
  const emit = o.onEvent ?? (() => {});
  const results: (BatchTrackResult | null)[] = plans.map(() => null);
  const made = zeroCounts();
  let audioSec = 0;

  // Leftovers of a run that was killed outright (no chance to clean up) go first.
  await removeSubdirsMatching(layout.bySource, LEFTOVER_RE);

  const todo: number[] = [];
  plans.forEach((plan, i) => {
    if (plan.done) {
      results[i] = resultFor(plan, {
        success: true,
        skipped: true,
        elapsedSec: 0,
        counts: { ...zeroCounts(), ...plan.done.counts },
        error: null,
      });
      emit({ kind: "skip", plan });
    } else if (plan.source === null) {
      const error = {
        name: "ParameterError",
        message: `${plan.sourcePath}: source file not found (check --root)`,
      };
      results[i] = resultFor(plan, {
        success: false,
        skipped: false,
        elapsedSec: 0,
        counts: zeroCounts(),
        error: errorText(error),
      });
      emit({ kind: "fail", plan, result: results[i] as BatchTrackResult, error });
    } else {
      todo.push(i);
    }
  });

  const stopped = (): boolean => o.signal?.aborted === true;
  const progress = o.progress;
  progress?.start(todo.length, "Tracks");
  const runner =
    todo.length > 0 && !stopped() ? (o.runner ?? (await processRunner(Math.min(jobs, todo.length)))) : null;

  const runOne = async (i: number): Promise<void> => {
    const plan = plans[i];
    const source = plan.source as { size: number; mtimeMs: number };
    const task: TrackTask = {
      id: plan.id,
      relPath: plan.relPath,
      slug: plan.slug,
      sourcePath: plan.sourcePath,
      source,
      workDir: plan.workDir,
      trackDir: plan.trackDir,
      partialDir: join(layout.bySource, `.${plan.slug}.partial`),
      asideDir: join(layout.bySource, `.${plan.slug}.aside`),
      config: o.config,
      configHash: o.configHash,
      keepWork: o.keepWork,
      makeModule: o.makeModule,
    };
    emit({ kind: "start", plan });
    const started = performance.now();
    const ac = new AbortController();
    let timedOut = false;
    const onStop = (): void => ac.abort();
    o.signal?.addEventListener("abort", onStop, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutSec * 1000);
    let reply: WorkerReply;
    try {
      reply = await (runner as TrackRunner).run(task, ac.signal);
    } catch (e) {
      const error: SerializedError = timedOut
        ? { name: "TimeoutError", message: `${plan.relPath}: no result after ${timeoutSec} s (--timeout)` }
        : stopped()
          ? { name: "Interrupted", message: "stopped by Ctrl-C; it will be redone on the next run" }
          : serializeError(e);
      reply = { ok: false, error };
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onStop);
    }
    const elapsedSec = (performance.now() - started) / 1000;
    if (reply.ok) {
      for (const k of Object.keys(made) as (keyof MakeCounts)[]) made[k] += reply.stats.counts[k];
      audioSec += plan.durationSec;
      results[i] = resultFor(plan, {
        success: true,
        skipped: false,
        elapsedSec,
        counts: reply.stats.counts,
        error: null,
      });
      emit({ kind: "done", plan, result: results[i] as BatchTrackResult });
    } else {
      if (ac.signal.aborted) {
        // The process is being killed; let its last file operation settle before cleaning up.
        await delay(150);
        await removeDir(task.partialDir);
        await removeDir(task.asideDir);
        if (!o.keepWork) await removeDir(task.workDir);
      }
      results[i] = resultFor(plan, {
        success: false,
        skipped: false,
        elapsedSec,
        counts: zeroCounts(),
        error: errorText(reply.error),
      });
      emit({ kind: "fail", plan, result: results[i] as BatchTrackResult, error: reply.error });
    }
    progress?.tick(1, plan.slug);
  };

  // Longest tracks first when tracks run side by side: a long track started last would leave the
  // other workers idle at the end. Results keep the selection's order (they are indexed).
  if (jobs > 1) todo.sort((a, b) => plans[b].durationSec - plans[a].durationSec || a - b);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < todo.length && !stopped()) await runOne(todo[next++]);
  };
  try {
    if (runner) await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, lane));
  } finally {
    progress?.done();
    await runner?.close();
  }
  const interrupted = stopped();
  if (interrupted) await removeSubdirsMatching(layout.bySource, LEFTOVER_RE);
  await removeDirIfEmpty(layout.workRoot);

  const final = results.map(
    (r, i) =>
      r ??
      resultFor(plans[i], {
        success: false,
        skipped: false,
        elapsedSec: 0,
        counts: zeroCounts(),
        error: "Interrupted: not started (the batch was stopped); it will run on the next run",
      }),
  );
  const file: BatchResultsFile = {
    timestamp: new Date().toISOString(),
    total: final.length,
    successful: final.filter((r) => r.success && !r.skipped).length,
    failed: final.filter((r) => !r.success).length,
    skipped: final.filter((r) => r.skipped).length,
    config_hash: o.configHash,
    results: final,
  };
  const manifestRows = await rebuildCombinedManifest(layout);
  await writeJsonAtomic(resultsPath, file);
  return {
    layout,
    plans,
    results: file,
    resultsPath,
    made,
    wallSec: (performance.now() - t0) / 1000,
    audioSec,
    interrupted,
    jobs,
    manifestRows,
  };
}
