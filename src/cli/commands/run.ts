/** `patina run ARCHIVE [--output DIR] [--profile NAME] [--jobs N]`: see ../run-command.ts. */

import type { CommandContext } from "../context.js";
import { runCommand } from "../run-command.js";
import type { RunFlags } from "../spec.js";

export default async function run(ctx: CommandContext<RunFlags>): Promise<number> {
  return runCommand(ctx);
}
