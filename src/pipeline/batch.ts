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
import { FINGERPRINT_FILE } from "../core/export-files.js";
import type { ManifestRow } from "../core/manifest.js";
import { combineFingerprintFiles } from "../io/fingerprint-file.js";
import { pathExists, removeDir } from "../io/fs.js";
import { lockFolder } from "../io/lock.js";
import { readManifest, writeManifest } from "../io/manifest.js";
import {
  listSubdirs,
  readJsonIfExists,
  removeDirIfEmpty,
  removeSubdirsMatching,
  writeJsonAtomic,
} from "../io/workdir.js";
import {
  type BatchLayout,
  type BatchOptions,
  BY_SOURCE_DIR,
  isMarker,
  planBatch,
  resolved,
  type TrackPlan,
} from "./batch-plan.js";
import { processRunner, type TrackRunner } from "./batch-runner.js";
import {
  type SerializedError,
  serializeError,
  TRACK_MANIFEST,
  TRACK_MARKER,
  type TrackTask,
  type WorkerReply,
} from "./batch-worker.js";
import type { CatalogRow } from "./catalog.js";
import type { MakeCounts } from "./make.js";

export {
  type BatchLayout,
  type BatchOptions,
  BY_SOURCE_DIR,
  batchLayout,
  completedMarker,
  DEFAULT_BATCH_OPTIONS,
  expectedOutputs,
  planBatch,
  type TrackPlan,
} from "./batch-plan.js";
export { inProcessRunner, processRunner, type TrackRunner, workerExecArgv } from "./batch-runner.js";
export type { MakeFn, TrackMarker, TrackTask } from "./batch-worker.js";

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
  /** What reading the source turned up (a truncated file is read up to what exists): [] when nothing. */
  warnings: string[];
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

const zeroCounts = (): MakeCounts => ({ pads: 0, swells: 0, clouds: 0, hiss_loops: 0, hiss_flickers: 0 });
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const errorText = (e: SerializedError): string => `${e.name}: ${e.message}`;

function resultFor(
  plan: TrackPlan,
  fields: {
    success: boolean;
    skipped: boolean;
    elapsedSec: number;
    counts: MakeCounts;
    error: string | null;
    warnings?: readonly string[];
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
    warnings: [...(fields.warnings ?? [])],
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
  await writeManifest(layout.manifestPath, rows);
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
  const o = resolved(options);
  // Before anything is read or written: another batch on this folder would delete our work in progress.
  const lock = o.lock ? await lockFolder(resolve(o.out ?? o.root), "patina batch") : null;
  try {
    return await runUnlocked(sources, o);
  } finally {
    await lock?.release();
  }
}

async function runUnlocked(sources: readonly CatalogRow[], o: BatchOptions): Promise<BatchOutcome> {
  const t0 = performance.now();
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
        warnings: plan.done.warnings,
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
        warnings: reply.stats.warnings,
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
