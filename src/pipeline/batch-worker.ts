/**
 * One batch track, start to finish: a fresh working folder with the source linked into
 * source_audio/ and pad_sources/ (drums/ stays empty, so hiss uses the track's own noisy part),
 * `make` with every phase, then the results assembled in a hidden sibling of the track's export
 * folder together with its manifest and completion marker, and committed with one rename.
 *
 * The default export runs one track in a worker process (batch-process.ts). It never throws: errors
 * come back as data with their class name, because structured cloning keeps only the built-in
 * error names.
 */
import { extname, join } from "node:path";
import { FINGERPRINT_DIMS } from "../analysis/fingerprint-dims.js";
import type { PatinaConfig } from "../config/schema.js";
import { PatinaError } from "../core/errors.js";
import { FINGERPRINT_FILE } from "../core/export-files.js";
import type { ManifestRow } from "../core/manifest.js";
import { mergeFingerprintFile } from "../io/fingerprint-file.js";
import { ensureDir, pathExists, removeDir } from "../io/fs.js";
import { writeManifest } from "../io/manifest.js";
import { commitDir, linkOrCopy, moveFile, writeJsonAtomic } from "../io/workdir.js";
import type { MakeCounts, MakeOptions, MakeResult } from "./make.js";

/** The part of `runMake` batch relies on (tests and benchmarks inject a stand-in). */
export type MakeFn = (
  opts: MakeOptions,
) => Promise<
  Pick<MakeResult, "counts" | "files" | "rows" | "exportDir" | "seed"> &
    Partial<Pick<MakeResult, "warnings" | "fingerprints">>
>;

/** File name of the completion marker inside each finished track folder. */
export const TRACK_MARKER = ".patina-track.json";
/** Per-track manifest (file paths relative to the track folder). */
export const TRACK_MANIFEST = "manifest.csv";
export const CATEGORIES = ["pads", "swells", "clouds", "hiss"] as const;

/** Everything one track needs; plain data so it crosses the process boundary. */
export interface TrackTask {
  readonly id: string;
  readonly relPath: string;
  readonly slug: string;
  readonly sourcePath: string;
  /** Size and mtime of the source when the batch was planned (stored in the marker). */
  readonly source: { readonly size: number; readonly mtimeMs: number };
  readonly workDir: string;
  /** Final folder `by_source/<slug>`. */
  readonly trackDir: string;
  /** Hidden sibling the results are assembled in. */
  readonly partialDir: string;
  /** Hidden sibling an old track folder is moved to while it is replaced. */
  readonly asideDir: string;
  readonly config: PatinaConfig;
  readonly configHash: string;
  readonly keepWork: boolean;
  /** URL of a module whose default export replaces runMake (tests, benchmarks); null = runMake. */
  readonly makeModule: string | null;
}

/** The completion marker: written inside the track folder before the folder is renamed into place. */
export interface TrackMarker {
  readonly version: 1;
  readonly id: string;
  readonly rel_path: string;
  readonly track_slug: string;
  readonly source: { readonly size: number; readonly mtime_ms: number };
  readonly config_hash: string;
  readonly counts: MakeCounts;
  /** Written files relative to the track folder (`pads/x.wav`). */
  readonly files: string[];
  readonly seed: number;
  /** What reading the source turned up (e.g. truncated); absent in markers of older versions. */
  readonly warnings?: string[];
  readonly completed_at: string;
  readonly elapsed_sec: number;
}

export interface TrackStats {
  readonly counts: MakeCounts;
  readonly files: string[];
  readonly elapsedSec: number;
  /** The source's decoder warnings (a truncated or damaged file still makes a pack). */
  readonly warnings: string[];
}

/** An error as data: class name, message and, for DecodeError, the reason. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly reason?: string;
  readonly stack?: string;
}

export type WorkerReply = { ok: true; stats: TrackStats } | { ok: false; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const reason = (e as { reason?: unknown }).reason;
    return {
      name: e.name || e.constructor.name,
      message: e.message,
      ...(typeof reason === "string" ? { reason } : {}),
      ...(e.stack ? { stack: e.stack } : {}),
    };
  }
  return { name: "Error", message: String(e) };
}

/** `<category>/<name>` of a make output `<source>/<category>/<name>`. */
function trackRelative(file: string): string {
  const parts = file.split("/");
  const category = parts.length >= 3 ? parts[parts.length - 2] : "";
  if (!(CATEGORIES as readonly string[]).includes(category)) {
    throw new PatinaError(`make wrote a file outside the category folders: ${JSON.stringify(file)}`);
  }
  return `${category}/${parts[parts.length - 1]}`;
}

/** Load the make function: the injected module's default export, else the real runMake. */
async function loadMake(moduleUrl: string | null): Promise<MakeFn> {
  // From sources (tests, benchmarks) the worker process runs under tsx, which resolves both.
  if (moduleUrl === null) return (await import("./make.js")).runMake;
  const mod = (await import(moduleUrl)) as { default?: unknown };
  if (typeof mod.default !== "function") {
    throw new PatinaError(`make module has no default export function: ${moduleUrl}`);
  }
  return mod.default as MakeFn;
}

/** Run one track (see the module comment). Throws on failure after removing what it started. */
export async function processTrack(task: TrackTask, make?: MakeFn): Promise<TrackStats> {
  const t0 = performance.now();
  const makeFn = make ?? (await loadMake(task.makeModule));
  const { config, workDir, partialDir } = task;
  await removeDir(workDir);
  await removeDir(partialDir);
  try {
    const ext = extname(task.sourcePath).toLowerCase();
    const name = `${task.slug}${ext}`;
    await linkOrCopy(task.sourcePath, join(workDir, config.paths.source_audio_dir, name));
    await linkOrCopy(task.sourcePath, join(workDir, config.paths.pad_sources_dir, name));
    await ensureDir(join(workDir, config.paths.drums_dir));

    const result = await makeFn({
      root: workDir,
      config,
      phases: ["pads", "drones", "clouds", "hiss"],
      strict: true,
    });

    // Assemble the track folder: files by category, its manifest, then the marker.
    await ensureDir(partialDir);
    const moved = new Map<string, string>();
    for (const file of result.files) {
      const rel = trackRelative(file);
      if (moved.has(rel))
        throw new PatinaError(`two outputs would both be ${rel}: ${moved.get(rel)}, ${file}`);
      moved.set(rel, file);
      const from = join(result.exportDir, ...file.split("/"));
      if (!(await pathExists(from))) throw new PatinaError(`make reported ${file} but did not write it`);
      await moveFile(from, join(partialDir, ...rel.split("/")));
    }
    const rows: ManifestRow[] = result.rows.map((r) => ({
      ...r,
      file: trackRelative(r.file),
      source: task.slug,
    }));
    await writeManifest(join(partialDir, TRACK_MANIFEST), rows);
    const prints = [...(result.fingerprints ?? [])].map(([f, v]) => [trackRelative(f), v] as const);
    if (prints.length > 0)
      await mergeFingerprintFile(join(partialDir, FINGERPRINT_FILE), FINGERPRINT_DIMS, new Map(prints));
    const elapsedSec = round3((performance.now() - t0) / 1000);
    const files = [...moved.keys()];
    const warnings = [...new Set((result.warnings ?? []).map((w) => w.message))];
    const marker: TrackMarker = {
      version: 1,
      id: task.id,
      rel_path: task.relPath,
      track_slug: task.slug,
      source: { size: task.source.size, mtime_ms: task.source.mtimeMs },
      config_hash: task.configHash,
      counts: { ...result.counts },
      files,
      seed: result.seed,
      warnings,
      completed_at: new Date().toISOString(),
      elapsed_sec: elapsedSec,
    };
    await writeJsonAtomic(join(partialDir, TRACK_MARKER), marker);
    await commitDir(partialDir, task.trackDir, task.asideDir);
    return { counts: { ...result.counts }, files, elapsedSec, warnings };
  } finally {
    await removeDir(partialDir);
    if (!task.keepWork) await removeDir(workDir);
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** One track per call in a worker; failures come back as data. */
export default async function runTrackInWorker(task: TrackTask): Promise<WorkerReply> {
  try {
    return { ok: true, stats: await processTrack(task) };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
}
