/**
 * The code of `patina run` (its command module exports only the default function).
 *
 * `patina run ARCHIVE [--output DIR] [--profile NAME] [--jobs N]`: discover, select and batch in one
 * go with the config's rules (src/pipeline/run.ts). Everything lands in --output (default
 * ./patina-output): audio_catalog.csv, selected_sources.csv, batch_results.json, export/.
 * Exit codes: 0 everything processed; 1 nothing found or selected, some tracks failed, some files
 * unreadable or read only in part (the others are processed all the same); 2 usage, configuration,
 * or the output folder busy (another run holds its lock) or read-only; 130 Ctrl-C.
 */
import { resolve } from "node:path";
import type { TrackRunner } from "../pipeline/batch.js";
import {
  batchEventPrinter,
  buildBatchReport,
  formatBatchSummary,
  incompleteTracks,
  onInterrupt,
  resolveJobs,
  withFlagHint,
} from "./batch-command.js";
import { type CommandContext, EXIT } from "./context.js";
import type { RunFlags } from "./spec.js";

export interface RunCommandDeps {
  readonly runner?: TrackRunner;
  readonly makeModule?: string;
}

export async function runCommand(ctx: CommandContext<RunFlags>, deps: RunCommandDeps = {}): Promise<number> {
  const { DEFAULT_RUN_OUTPUT, runArchive } = await import("../pipeline/run.js");
  const { formatDiscoverSummary, formatUnreadable } = await import("../pipeline/discover.js");
  const { formatSelectSummary } = await import("../pipeline/select.js");
  const { defaultCacheDir } = await import("../io/cache.js");
  const archive = resolve(ctx.io.cwd, String(ctx.args[0]));
  const output = resolve(ctx.io.cwd, ctx.flags.output ?? DEFAULT_RUN_OUTPUT);
  const { config, hash } = await ctx.loadConfig();
  const controller = new AbortController();
  const removeHandler = onInterrupt(ctx, controller);
  let batchProgress: ReturnType<CommandContext["progress"]> | null = null;
  let result: Awaited<ReturnType<typeof runArchive>>;
  try {
    result = await runArchive(archive, {
      output,
      cache: ctx.flags.cache !== false,
      cacheDir: ctx.flags.cacheDir ? resolve(ctx.io.cwd, ctx.flags.cacheDir) : defaultCacheDir(ctx.io.env),
      profile: ctx.flags.profile ?? null,
      config,
      configHash: hash,
      jobs: resolveJobs(ctx.flags.jobs, config),
      signal: controller.signal,
      progress: () => {
        batchProgress = ctx.progress();
        return batchProgress;
      },
      onUnreadable: ctx.quiet ? (u) => ctx.warn(formatUnreadable(u)) : null,
      onBatchEvent: (e) => {
        if (batchProgress) batchEventPrinter(ctx, batchProgress)(e);
      },
      onPhase: (phase) => {
        if (phase.kind === "discovered") {
          ctx.info("== discover");
          for (const line of formatDiscoverSummary(phase.result, phase.catalogPath)) ctx.info(line);
        } else if (phase.kind === "selected") {
          ctx.info("== select");
          for (const line of formatSelectSummary(phase.result)) ctx.info(line);
          ctx.info(`Selection written to ${phase.selectionPath}`);
          if (phase.result.selected.length > 0) ctx.info("== batch");
        }
      },
      runner: deps.runner ?? null,
      makeModule: deps.makeModule ?? null,
    });
  } catch (e) {
    throw withFlagHint(e, "--output DIR");
  } finally {
    removeHandler();
  }
  if (result.discovered.found === 0) return EXIT.failed;
  if (result.batch === null && controller.signal.aborted) {
    ctx.warn("interrupted before the batch started; nothing was made");
    return EXIT.interrupted;
  }
  if (result.batch === null) {
    ctx.error("no track was selected, so nothing was made: see the rejection counts above");
    return EXIT.failed;
  }
  const outcome = result.batch;
  for (const line of formatBatchSummary(outcome)) ctx.out(line);
  const report = outcome.interrupted ? null : await buildBatchReport(ctx, config, outcome);
  ctx.out("");
  ctx.out(`Catalog:   ${result.catalogPath}`);
  ctx.out(`Selection: ${result.selectionPath}`);
  ctx.out(`Results:   ${result.resultsPath}`);
  ctx.out(`Export:    ${outcome.layout.exportRoot}`);
  if (report) ctx.out(`Report:    ${report}`);
  if (outcome.interrupted) return EXIT.interrupted;
  // Everything readable was processed; the exit code still says whether that was everything.
  const unreadable = result.discovered.unreadable.length;
  if (unreadable > 0) ctx.out(`Unreadable: ${unreadable} file(s) left out (listed above)`);
  return outcome.results.failed > 0 || unreadable > 0 || incompleteTracks(outcome) > 0
    ? EXIT.failed
    : EXIT.ok;
}
