/**
 * `patina batch`: flags and help are declared in ../spec.ts. Replace the body with the real
 * command: load the config with ctx.loadConfig(), call the pipeline (import it here, lazily), print
 * with ctx.out/info/warn, report progress through ctx.progress(), and return the exit code (EXIT).
 */
import type { CommandContext } from "../context.js";
import type { BatchFlags } from "../spec.js";

export default async function batch(ctx: CommandContext<BatchFlags>): Promise<number> {
  return ctx.notImplemented();
}
