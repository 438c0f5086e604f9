/**
 * `patina discover --root DIR --output audio_catalog.csv [--format csv|json|markdown]`: catalogue
 * the archive's audio files from their headers (cached). Unreadable files are warned about and left
 * out; they do not change the exit code (an archive always holds some), an empty result does (1).
 */
import { resolve } from "node:path";
import { type CommandContext, EXIT } from "../context.js";
import type { DiscoverFlags } from "../spec.js";

export default async function discover(ctx: CommandContext<DiscoverFlags>): Promise<number> {
  const {
    discover: discoverArchive,
    formatDiscoverDetails,
    formatDiscoverSummary,
    formatUnreadable,
  } = await import("../../pipeline/discover.js");
  const { writeCatalog } = await import("../../pipeline/catalog.js");
  const root = resolve(ctx.io.cwd, ctx.flags.root);
  const output = resolve(ctx.io.cwd, ctx.flags.output);
  const progress = ctx.progress();
  // The observer prints unreadable files above the bar; with --quiet it is silent, so warn instead.
  const { defaultCacheDir } = await import("../../io/cache.js");
  const result = await discoverArchive(root, {
    cache: ctx.flags.cache !== false,
    cacheDir: ctx.flags.cacheDir ? resolve(ctx.io.cwd, ctx.flags.cacheDir) : defaultCacheDir(ctx.io.env),
    progress,
    onUnreadable: ctx.quiet ? (u) => ctx.warn(formatUnreadable(u)) : null,
  });
  for (const line of formatDiscoverDetails(result)) ctx.debug(line);
  if (result.found === 0) {
    for (const line of formatDiscoverSummary(result)) ctx.error(line);
    return EXIT.failed;
  }
  const format = await writeCatalog(result.rows, output, ctx.flags.format ?? null);
  ctx.debug(`format: ${format}`);
  for (const line of formatDiscoverSummary(result, ctx.flags.output)) ctx.info(line);
  return EXIT.ok;
}
