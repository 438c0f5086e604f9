/**
 * The code of `patina batch` and the parts `patina run` shares with it (command modules export only
 * their default function, so this lives beside them).
 *
 * `patina batch --sources selected_sources.csv [--profile NAME] [--root DIR] [--out DIR] [--dry-run]
 * [--start-index N] [--count N] [--output batch_results.json] [--jobs N] [--timeout S] [--force]
 * [--keep-work]`: a texture pack per selected track (see src/pipeline/batch.ts).
 *
 * Exit codes: 0 every track made or already done, 1 some tracks failed or a source could be read only
 * in part (cut short, damaged: its warnings are in the summary and in batch_results.json), 2 usage,
 * configuration, or the output folder busy or read-only, 130 interrupted by Ctrl-C
 * (finished tracks are kept and batch_results.json is written; the same command resumes).
 * A relative --output is relative to the current folder; the default is `<out>/batch_results.json`.
 */
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import type { LoadedConfig } from "../config/load.js";
import { ReadOnlyFolderError } from "../core/errors.js";
import { isDataLoss } from "../io/warnings.js";

type PatinaConfig = LoadedConfig["config"];

import type { BatchEvent, BatchOutcome, TrackPlan, TrackRunner } from "../pipeline/batch.js";
import { type CommandContext, EXIT } from "./context.js";
import type { ProgressObserver } from "./progress.js";
import type { BatchFlags, GlobalFlags } from "./spec.js";

/** What tests and benchmarks may inject (the CLI itself uses worker threads and the real make). */
export interface BatchCommandDeps {
  readonly runner?: TrackRunner;
  readonly makeModule?: string;
}

const DEFAULT_RESULTS = "batch_results.json";

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Default jobs: --jobs, else config batch.jobs, else the number of cores. */
export function resolveJobs(flag: number | undefined, config: PatinaConfig): number {
  return flag ?? config.batch.jobs ?? availableParallelism();
}

/**
 * Abort `controller` on the first Ctrl-C (a graceful stop); a second Ctrl-C ends the process the
 * default way. Returns the function that removes the handler.
 */
export function onInterrupt<F extends GlobalFlags>(
  ctx: CommandContext<F>,
  controller: AbortController,
): () => void {
  const handler = (): void => {
    if (!controller.signal.aborted) {
      ctx.warn(
        "interrupted: stopping; running tracks are abandoned, finished ones kept (Ctrl-C again to quit now)",
      );
      controller.abort();
      return;
    }
    process.off("SIGINT", handler);
    process.kill(process.pid, "SIGINT");
  };
  process.on("SIGINT", handler);
  return () => process.off("SIGINT", handler);
}

/** Per-track lines above the progress bar. */
export function batchEventPrinter<F extends GlobalFlags>(
  ctx: CommandContext<F>,
  progress: ProgressObserver,
): (e: BatchEvent) => void {
  return (e) => {
    if (e.kind === "skip") progress.log(`skip   ${e.plan.slug} (already done for this source and config)`);
    else if (e.kind === "start") ctx.debug(`start  ${e.plan.slug} (${e.plan.relPath})`);
    else if (e.kind === "done") {
      const s = e.result.stats;
      const n = s.pads + s.swells + s.clouds + s.hiss_loops + s.hiss_flickers;
      progress.log(`done   ${e.plan.slug}: ${plural(n, "texture")} in ${e.result.elapsed_sec.toFixed(1)} s`);
    } else if (e.error.name !== "Interrupted") {
      progress.log(ctx.style.red(`failed ${e.plan.slug} (${e.plan.relPath}): ${e.result.stats.error}`));
    }
  };
}

/** The end-of-batch summary. */
export function formatBatchSummary(o: BatchOutcome): string[] {
  const r = o.results;
  const m = o.made;
  const textures = m.pads + m.swells + m.clouds + m.hiss_loops + m.hiss_flickers;
  const minutes = o.wallSec / 60;
  const made = r.successful;
  const lines = [
    `Batch: ${plural(r.total, "track")}: ${made} made, ${r.failed} failed, ${r.skipped} skipped ` +
      `(${o.wallSec.toFixed(1)} s wall, ${plural(o.jobs, "job")})`,
    `Textures made: ${m.pads} pads, ${m.swells} swells, ${m.clouds} clouds, ${m.hiss_loops} hiss loops, ` +
      `${m.hiss_flickers} hiss flickers (${textures} files)`,
  ];
  if (made > 0 && minutes > 0) {
    lines.push(
      `Throughput: ${(made / minutes).toFixed(1)} tracks/min, ` +
        `${(o.audioSec / 60 / minutes).toFixed(1)} min of audio per min of wall time`,
    );
  }
  const failures = r.results.filter((x) => !x.success);
  const crashed = failures.filter((x) => !(x.stats.error ?? "").startsWith("Interrupted"));
  if (crashed.length > 0) {
    lines.push("Failed tracks:");
    for (const f of crashed) lines.push(`  ${f.rel_path}: ${f.stats.error}`);
  }
  const warned = r.results.filter((x) => x.warnings.length > 0);
  if (warned.length > 0) {
    lines.push("Warnings:");
    for (const x of warned) for (const w of x.warnings) lines.push(`  ${x.rel_path}: ${w}`);
  }
  if (o.interrupted) {
    const left = failures.length - crashed.length;
    lines.push(`Interrupted: ${plural(left, "track")} not finished; run the same command again to resume.`);
  }
  lines.push(`Results: ${o.resultsPath}`);
  if (o.manifestRows > 0)
    lines.push(`Export: ${o.layout.exportRoot} (manifest.csv: ${plural(o.manifestRows, "row")})`);
  return lines;
}

/** A read-only output folder, with the flag that picks another. */
export function withFlagHint(e: unknown, flag: string): unknown {
  if (!(e instanceof ReadOnlyFolderError)) return e;
  return new ReadOnlyFolderError(`${e.message}; write elsewhere with ${flag}`, { cause: e });
}

/** Tracks whose source could be read only in part (cut short, damaged): they make the exit code 1. */
export function incompleteTracks(o: BatchOutcome): number {
  return o.results.results.filter((x) => x.warnings.some(isDataLoss)).length;
}

/** Dry-run lines for one track. */
export function formatPlan(plan: TrackPlan, outputs: string, cwd: string): string[] {
  const show = (p: string): string => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith("..") ? rel : p;
  };
  const status = plan.done
    ? "would be skipped (done for this source and config; --force redoes it)"
    : plan.source === null
      ? `would fail: source not found at ${show(plan.sourcePath)}`
      : "would run";
  return [
    `[${plan.index}] ${plan.slug}  ${plan.relPath}`,
    `    work:    ${show(plan.workDir)}`,
    `    outputs: ${show(plan.trackDir)}/ ${outputs}`,
    `    status:  ${status}`,
  ];
}

/** Build the export's HTML report when enabled; a failure is a warning, never a failed batch. */
export async function buildBatchReport<F extends GlobalFlags>(
  ctx: CommandContext<F>,
  config: PatinaConfig,
  outcome: BatchOutcome,
): Promise<string | null> {
  if (!config.report.enabled || outcome.manifestRows === 0) return null;
  try {
    const { buildReport } = await import("../report/index.js");
    const report = await buildReport(outcome.layout.exportRoot, { batchResultsPath: outcome.resultsPath });
    return report.htmlPath;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.warn(`report not built (${message}); retry with: patina report ${outcome.layout.exportRoot}`);
    return null;
  }
}

export async function batchCommand(
  ctx: CommandContext<BatchFlags>,
  deps: BatchCommandDeps = {},
): Promise<number> {
  const { expectedOutputs, planBatch, runBatch } = await import("../pipeline/batch.js");
  const { readCatalog } = await import("../pipeline/catalog.js");
  const { config, hash } = await ctx.loadConfig();
  const cwd = ctx.io.cwd;
  const root = resolve(cwd, ctx.flags.root);
  const out = ctx.flags.out === undefined ? root : resolve(cwd, ctx.flags.out);
  const sources = await readCatalog(resolve(cwd, ctx.flags.sources));
  const common = {
    config,
    configHash: hash,
    root,
    out,
    profile: ctx.flags.profile ?? null,
    startIndex: ctx.flags.startIndex,
    count: ctx.flags.count ?? null,
    force: Boolean(ctx.flags.force),
  };

  if (ctx.flags.dryRun) {
    const { layout, plans } = await planBatch(sources, common);
    const outputs = expectedOutputs(config)
      .map((c) => `${c.category}/ (up to ${c.upTo})`)
      .join(", ");
    for (const plan of plans) for (const line of formatPlan(plan, outputs, cwd)) ctx.out(line);
    const done = plans.filter((p) => p.done).length;
    ctx.out(
      `Dry run: ${plural(plans.length, "track")} of ${sources.length}: ${plans.length - done} would run, ` +
        `${done} would be skipped; export ${layout.exportRoot}; nothing written.`,
    );
    ctx.debug(
      `names: ${expectedOutputs(config)
        .map((c) => c.names)
        .join("; ")}`,
    );
    return EXIT.ok;
  }

  const controller = new AbortController();
  const removeHandler = onInterrupt(ctx, controller);
  const progress = ctx.progress();
  let outcome: BatchOutcome;
  try {
    outcome = await runBatch(sources, {
      ...common,
      jobs: resolveJobs(ctx.flags.jobs, config),
      timeoutSec: ctx.flags.timeout ?? config.batch.timeout_sec,
      keepWork: Boolean(ctx.flags.keepWork),
      resultsPath:
        ctx.flags.output === DEFAULT_RESULTS ? join(out, DEFAULT_RESULTS) : resolve(cwd, ctx.flags.output),
      signal: controller.signal,
      runner: deps.runner ?? null,
      makeModule: deps.makeModule ?? null,
      onEvent: batchEventPrinter(ctx, progress),
      progress,
    });
  } catch (e) {
    throw withFlagHint(e, "--out DIR");
  } finally {
    removeHandler();
  }
  for (const line of formatBatchSummary(outcome)) ctx.out(line);
  if (!outcome.interrupted) {
    const report = await buildBatchReport(ctx, config, outcome);
    if (report) ctx.out(`Report: ${report}`);
  }
  if (outcome.interrupted) return EXIT.interrupted;
  return outcome.results.failed > 0 || incompleteTracks(outcome) > 0 ? EXIT.failed : EXIT.ok;
}
