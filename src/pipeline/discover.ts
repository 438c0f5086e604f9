/**
 * Phase 1, discover: walk an archive, probe each audio file's header (never a full decode) with
 * bounded parallelism, and build the catalog rows. Unreadable files are reported and left out; ids
 * are given after that filtering, in walk order, so they are stable for an unchanged archive.
 * A cache in the user's cache folder (never in the archive), keyed by the archive's real path and
 * each file's relative path, size and mtime, means a rerun on an unchanged archive reads no audio
 * file at all.
 */
import { mapLimit } from "../core/concurrency.js";
import { DecodeError, type DecodeErrorReason } from "../core/errors.js";
import type { ProgressObserver } from "../core/progress.js";
import {
  type CachedProbe,
  type CacheEntry,
  defaultCacheDir,
  discoverCachePath,
  loadDiscoverCache,
  lookupCache,
  saveDiscoverCache,
} from "../io/cache.js";
import { probe as ioProbe } from "../io/probe.js";
import type { AudioInfo } from "../io/types.js";
import { AUDIO_EXTENSIONS, SKIP_DIR_NAMES, type WalkSkip, walk } from "../io/walk.js";
import { BYTES_PER_MB, type CatalogRow, catalogId, round } from "./catalog.js";

export type ProbeFn = (path: string) => Promise<AudioInfo>;

export interface DiscoverOptions {
  /** Header reader; null uses patina's own `probe` (src/io). Tests inject stubs here. */
  probe: ProbeFn | null;
  /** Probes in flight at once. */
  concurrency: number;
  /** Use and update the discovery cache. */
  cache: boolean;
  /** The cache file itself; null means one per archive under `cacheDir`. */
  cachePath: string | null;
  /** Folder of patina's caches; null means `$XDG_CACHE_HOME/patina`, else `~/.cache/patina`. */
  cacheDir: string | null;
  /** Extensions to look for (lower case, with the dot). */
  extensions: readonly string[];
  /** Called once per unreadable file as soon as it is known. */
  onUnreadable: ((file: UnreadableFile) => void) | null;
  /**
   * Progress: `start(files, "Probing")`, one `tick(1, relPath)` per file probed or taken from the
   * cache, `log(formatUnreadable(u))` per unreadable file, then `done()`.
   */
  progress: ProgressObserver | null;
}

export const DEFAULT_DISCOVER_OPTIONS: DiscoverOptions = {
  probe: null,
  concurrency: 16,
  cache: true,
  cachePath: null,
  cacheDir: null,
  extensions: AUDIO_EXTENSIONS,
  onUnreadable: null,
  progress: null,
};

export interface UnreadableFile {
  /** Relative path, forward slashes; unreadable folders end with "/". */
  readonly relPath: string;
  readonly reason: DecodeErrorReason | "unknown";
  readonly message: string;
}

export interface FileWarning {
  readonly relPath: string;
  readonly message: string;
}

export interface DiscoverResult {
  readonly root: string;
  /** Catalog rows, ids in walk order. */
  readonly rows: CatalogRow[];
  /** Audio files catalogued (= rows.length). */
  readonly found: number;
  /** Folders, OS metadata files and links left out by a skip rule. */
  readonly skipped: number;
  readonly skippedEntries: WalkSkip[];
  /** Files (and folders) that could not be read, with the reason. */
  readonly unreadable: UnreadableFile[];
  /** Files ignored because their extension is not an audio one. */
  readonly otherFiles: number;
  /** Files whose header was read in this run. */
  readonly probed: number;
  /** Files answered from the cache. */
  readonly cached: number;
  /** Oddities the probe reported for readable files (e.g. a header claiming more data than exists). */
  readonly fileWarnings: FileWarning[];
  /** Run-level warnings (cache ignored or not writable). */
  readonly warnings: string[];
}

function failure(e: unknown): { reason: DecodeErrorReason | "unknown"; message: string } {
  if (e instanceof DecodeError) {
    // The error message carries the absolute path; the report names the relative one already.
    const message =
      e.path && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
    return { reason: e.reason, message };
  }
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return { reason: typeof code === "string" ? "io" : "unknown", message };
}

/** Only content verdicts are cached: I/O trouble and unexpected errors may go away without the file changing. */
const cacheable = (r: CachedProbe): boolean => r.ok || (r.reason !== "io" && r.reason !== "unknown");

/** Discover the audio files under `root`. Throws UsageError when root is not a readable folder. */
export async function discover(
  root: string,
  options: Partial<DiscoverOptions> = {},
): Promise<DiscoverResult> {
  const opts: DiscoverOptions = { ...DEFAULT_DISCOVER_OPTIONS, ...options };
  const walked = await walk(root, { extensions: opts.extensions });
  const warnings: string[] = [];
  const unreadable: UnreadableFile[] = [];
  const report = (u: UnreadableFile): void => {
    unreadable.push(u);
    opts.onUnreadable?.(u);
    opts.progress?.log(formatUnreadable(u));
  };

  const cachePath = opts.cachePath ?? (await discoverCachePath(root, opts.cacheDir ?? defaultCacheDir()));
  let old = new Map<string, CacheEntry>();
  if (opts.cache) {
    const loaded = await loadDiscoverCache(cachePath);
    old = loaded.entries;
    if (loaded.warning) warnings.push(loaded.warning);
  }
  const fresh = new Map<string, CacheEntry>();
  const probeFn = opts.probe ?? ioProbe;
  let probed = 0;
  opts.progress?.start(walked.files.length, "Probing");
  for (const p of walked.problems) report({ relPath: p.relPath, reason: "io", message: p.message });

  const results = await mapLimit(walked.files, opts.concurrency, async (f) => {
    let result = opts.cache ? lookupCache(old, f.relPath, f.sizeBytes, f.mtimeMs) : undefined;
    if (!result) {
      probed++;
      try {
        const { path: _path, ...info } = await probeFn(f.absPath);
        result = { ok: true, info };
      } catch (e) {
        result = { ok: false, ...failure(e) };
      }
    }
    if (!result.ok) report({ relPath: f.relPath, reason: result.reason, message: result.message });
    opts.progress?.tick(1, f.relPath);
    return result;
  });
  opts.progress?.done();

  const rows: CatalogRow[] = [];
  const fileWarnings: FileWarning[] = [];
  walked.files.forEach((f, i) => {
    const r = results[i];
    if (cacheable(r)) fresh.set(f.relPath, { size: f.sizeBytes, mtimeMs: f.mtimeMs, result: r });
    if (!r.ok) return;
    for (const w of r.info.warnings) fileWarnings.push({ relPath: f.relPath, message: w });
    rows.push({
      id: catalogId(rows.length),
      rel_path: f.relPath,
      duration_sec: round(r.info.durationSec, 2),
      sample_rate: r.info.sampleRate,
      channels: r.info.channels,
      file_size_mb: round(f.sizeBytes / BYTES_PER_MB, 1),
    });
  });

  // Rewrite the cache only when something changed, so an unchanged archive is not written to.
  const changed = probed > 0 || fresh.size !== old.size || [...fresh.keys()].some((k) => !old.has(k));
  if (opts.cache && changed) {
    try {
      await saveDiscoverCache(cachePath, fresh);
    } catch (e) {
      warnings.push(`discovery cache not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return {
    root,
    rows,
    found: rows.length,
    skipped: walked.skipped.length,
    skippedEntries: walked.skipped,
    unreadable,
    otherFiles: walked.otherFiles,
    probed,
    cached: walked.files.length - probed,
    fileWarnings,
    warnings,
  };
}

/** Summary lines for the console: the final counts, or "No audio files discovered" with a hint. */
export function formatDiscoverSummary(result: DiscoverResult, output?: string): string[] {
  const counts = `${result.found} found, ${result.skipped} skipped, ${result.unreadable.length} unreadable`;
  if (result.found === 0) {
    return [
      `No audio files discovered under ${result.root} (${counts}).`,
      `Hint: patina looks for ${AUDIO_EXTENSIONS.join(" ")} files (any letter case) and skips folders named ` +
        `${SKIP_DIR_NAMES.filter((n) => !n.startsWith(".")).join(", ")} (exactly so written) and every ` +
        'folder starting with "."; check --root.',
      ...formatSkippedFolders(result),
    ];
  }
  const lines: string[] = [];
  if (output) lines.push(`Catalog written to ${output} (${result.found} rows).`);
  lines.push(`Discovered: ${counts} (${result.cached} from cache, ${result.probed} probed).`);
  return [...lines, ...formatSkippedFolders(result)];
}

/** Every folder left out, with why: a musician's folder skipped by a rule must not go unnoticed. */
export function formatSkippedFolders(result: DiscoverResult): string[] {
  const folders = result.skippedEntries.filter((s) => s.folder);
  if (folders.length === 0) return [];
  return [
    `Skipped ${folders.length} folder${folders.length === 1 ? "" : "s"}:`,
    ...folders.map((s) => `  ${s.relPath}/ (${s.reason})`),
  ];
}

/** One line per unreadable file (always worth printing: the file is missing from the catalog). */
export function formatUnreadable(u: UnreadableFile): string {
  return `unreadable: ${u.relPath} (${u.reason}: ${u.message})`;
}

/** What --verbose adds: every skipped file (folders are in the summary), probe and run-level warnings. */
export function formatDiscoverDetails(result: DiscoverResult): string[] {
  return [
    ...result.skippedEntries
      .filter((s) => !s.folder)
      .map((s) => `skipped ${s.kind}: ${s.relPath} (${s.reason})`),
    ...result.fileWarnings.map((w) => `warning: ${w.relPath}: ${w.message}`),
    ...result.warnings.map((w) => `warning: ${w}`),
  ];
}
