/**
 * `patina run ARCHIVE`: discover, select and batch in one go with the config's rules, writing
 * `audio_catalog.csv`, `selected_sources.csv` and `batch_results.json` next to the export in the
 * output folder. Each phase's result is handed to `onPhase` as soon as it is known, so the CLI can
 * print it before the next (long) phase starts.
 */
import { isAbsolute, join, relative, resolve } from "node:path";
import type { PatinaConfig } from "../config/schema.js";
import { UsageError } from "../core/errors.js";
import type { ProgressObserver } from "../core/progress.js";
import { isDirectory } from "../io/fs.js";
import { lockFolder } from "../io/lock.js";
import { type BatchEvent, type BatchOutcome, runBatch, type TrackRunner } from "./batch.js";
import { catalogId, writeCatalog } from "./catalog.js";
import { type DiscoverResult, discover, type UnreadableFile } from "./discover.js";
import { type SelectResult, select, writeSelection } from "./select.js";

export const CATALOG_FILE = "audio_catalog.csv";
export const SELECTION_FILE = "selected_sources.csv";
export const RESULTS_FILE = "batch_results.json";
/** Default output folder of `patina run`, in the current folder. */
export const DEFAULT_RUN_OUTPUT = "patina-output";

export interface RunArchiveOptions {
  /** Output folder (catalog, selection, results, work/ and export/); relative to cwd. */
  output: string;
  profile: string | null;
  /** Use and update the discovery cache. */
  cache: boolean;
  /** Folder of patina's caches; null = `$XDG_CACHE_HOME/patina`, else `~/.cache/patina`. */
  cacheDir: string | null;
  config: PatinaConfig;
  configHash: string;
  jobs: number | null;
  timeoutSec: number | null;
  signal: AbortSignal | null;
  /** Progress of the discovery probes and of the batch (one observer per phase). */
  progress: (() => ProgressObserver) | null;
  onUnreadable: ((file: UnreadableFile) => void) | null;
  onBatchEvent: ((event: BatchEvent) => void) | null;
  onPhase: ((phase: RunPhase) => void) | null;
  runner: TrackRunner | null;
  makeModule: string | null;
}

export type RunPhase =
  | { kind: "discovered"; result: DiscoverResult; catalogPath: string }
  | { kind: "selected"; result: SelectResult; selectionPath: string }
  | { kind: "batched"; outcome: BatchOutcome };

export interface RunArchiveResult {
  readonly archive: string;
  readonly output: string;
  readonly catalogPath: string;
  readonly selectionPath: string;
  readonly resultsPath: string;
  readonly discovered: DiscoverResult;
  readonly selected: SelectResult;
  /** null when nothing was found or selected (batch did not run). */
  readonly batch: BatchOutcome | null;
}

/**
 * Leave out files under the output folder when it lies inside the archive (kept working folders
 * hold links to the sources), renumbering the ids so they stay consecutive.
 */
function withoutFolder(result: DiscoverResult, rel: string): DiscoverResult {
  if (rel.startsWith("..") || isAbsolute(rel)) return result;
  // Output = archive: only work/ needs leaving out (export/ is skipped by discovery itself).
  const prefix = rel === "" ? "work/" : `${rel.split(/[\\/]/).join("/")}/`;
  const rows = result.rows
    .filter((r) => !r.rel_path.startsWith(prefix))
    .map((r, i) => ({ ...r, id: catalogId(i) }));
  return rows.length === result.rows.length ? result : { ...result, rows, found: rows.length };
}

export async function runArchive(
  archive: string,
  options: Partial<RunArchiveOptions> & Pick<RunArchiveOptions, "config" | "configHash">,
): Promise<RunArchiveResult> {
  const o = {
    output: DEFAULT_RUN_OUTPUT,
    profile: null,
    cache: true,
    cacheDir: null,
    jobs: null,
    timeoutSec: null,
    signal: null,
    progress: null,
    onUnreadable: null,
    onBatchEvent: null,
    onPhase: null,
    runner: null,
    makeModule: null,
    ...options,
  } satisfies RunArchiveOptions;
  const root = resolve(archive);
  const output = resolve(o.output);

  // Checked before the output folder is created for the lock.
  if (!(await isDirectory(root))) throw new UsageError("the archive folder does not exist", { path: root });
  // One run per output folder, for the whole run: the catalog and selection are written there too.
  const lock = await lockFolder(output, "patina run");
  try {
    return await runLocked(root, output, o);
  } finally {
    await lock.release();
  }
}

async function runLocked(root: string, output: string, o: RunArchiveOptions): Promise<RunArchiveResult> {
  const catalogPath = join(output, CATALOG_FILE);
  const selectionPath = join(output, SELECTION_FILE);
  const resultsPath = join(output, RESULTS_FILE);
  const found = await discover(root, {
    cache: o.cache,
    cacheDir: o.cacheDir,
    progress: o.progress?.() ?? null,
    onUnreadable: o.onUnreadable,
  });
  const discovered = withoutFolder(found, relative(root, output));
  await writeCatalog(discovered.rows, catalogPath, "csv");
  o.onPhase?.({ kind: "discovered", result: discovered, catalogPath });

  const selected = select(discovered.rows, o.config.selection);
  await writeSelection(selected.selected, selectionPath, "csv");
  o.onPhase?.({ kind: "selected", result: selected, selectionPath });

  let batch: BatchOutcome | null = null;
  if (selected.selected.length > 0 && o.signal?.aborted !== true) {
    batch = await runBatch(selected.selected, {
      config: o.config,
      configHash: o.configHash,
      root,
      out: output,
      profile: o.profile,
      jobs: o.jobs,
      timeoutSec: o.timeoutSec,
      resultsPath,
      lock: false,
      signal: o.signal,
      runner: o.runner,
      makeModule: o.makeModule,
      onEvent: o.onBatchEvent,
      progress: o.progress?.() ?? null,
    });
    o.onPhase?.({ kind: "batched", outcome: batch });
  }
  return {
    archive: root,
    output,
    catalogPath,
    selectionPath,
    resultsPath,
    discovered,
    selected,
    batch,
  };
}
