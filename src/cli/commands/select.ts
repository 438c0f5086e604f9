/**
 * `patina select --catalog audio_catalog.csv --output selected_sources.csv [--min-duration S]
 * [--max-duration S] [--format csv|json] [--explain]`: apply the config's `selection` rules (flags
 * override the durations), write the selection and print the summary; --explain prints every
 * rejected file with its reasons to stdout. Selecting nothing is not an error: the summary says why.
 */
import { resolve } from "node:path";
import { ParameterError, UsageError } from "../../core/errors.js";
import { type CommandContext, EXIT } from "../context.js";
import type { SelectFlags } from "../spec.js";

export default async function select(ctx: CommandContext<SelectFlags>): Promise<number> {
  const { readCatalog } = await import("../../pipeline/catalog.js");
  const {
    formatExplain,
    formatSelectSummary,
    select: selectRows,
    writeSelection,
  } = await import("../../pipeline/select.js");
  const { config } = await ctx.loadConfig();
  const rows = await readCatalog(resolve(ctx.io.cwd, ctx.flags.catalog));
  const rules = {
    ...config.selection,
    ...(ctx.flags.minDuration !== undefined ? { min_duration_sec: ctx.flags.minDuration } : {}),
    ...(ctx.flags.maxDuration !== undefined ? { max_duration_sec: ctx.flags.maxDuration } : {}),
  };
  let result: ReturnType<typeof selectRows>;
  try {
    result = selectRows(rows, rules);
  } catch (e) {
    // A flag that contradicts the config (e.g. --min-duration above selection.max_duration_sec).
    if (e instanceof ParameterError)
      throw new UsageError(`${e.message} (check --min-duration/--max-duration)`);
    throw e;
  }
  await writeSelection(result.selected, resolve(ctx.io.cwd, ctx.flags.output), ctx.flags.format ?? null);
  for (const line of formatSelectSummary(result)) ctx.info(line);
  ctx.info(`Selection written to ${ctx.flags.output} (${result.selected.length} rows).`);
  if (ctx.flags.explain) {
    const lines = formatExplain(result.rejected);
    ctx.out(lines.length === 0 ? "No file was rejected." : `Rejected files (${lines.length}):`);
    for (const line of lines) ctx.out(`  ${line}`);
  }
  return EXIT.ok;
}
