/**
 * `patina demo [--output DIR]`: synthesise the built-in demo archive (once) into DIR/archive and run
 * the whole workflow on it into DIR/output, ending with the report's path. This is `npm start`.
 */
import { join, resolve } from "node:path";
import type { CommandContext } from "../context.js";
import type { DemoFlags, RunFlags } from "../spec.js";

export default async function demo(ctx: CommandContext<DemoFlags>): Promise<number> {
  const { ensureDemoArchive } = await import("../../pipeline/demo.js");
  const { runCommand } = await import("../run-command.js");
  const base = resolve(ctx.io.cwd, ctx.flags.output);
  const archive = join(base, "archive");
  const written = await ensureDemoArchive(archive);
  ctx.info(
    written > 0
      ? `Synthesised the demo archive: ${written} tracks in ${archive}`
      : `Using the demo archive in ${archive}`,
  );
  const runFlags: RunFlags = {
    verbose: ctx.flags.verbose,
    quiet: ctx.flags.quiet,
    profile: ctx.flags.profile,
    jobs: ctx.flags.jobs,
    output: join(base, "output"),
  };
  return runCommand({ ...ctx, command: ["run"], args: [archive], flags: runFlags });
}
