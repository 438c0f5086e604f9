/** `patina batch --sources selected_sources.csv ...`: see ../batch-command.ts. */
import { batchCommand } from "../batch-command.js";
import type { CommandContext } from "../context.js";
import type { BatchFlags } from "../spec.js";

export default async function batch(ctx: CommandContext<BatchFlags>): Promise<number> {
  return batchCommand(ctx);
}
