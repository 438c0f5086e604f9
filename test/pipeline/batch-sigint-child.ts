/**
 * Child process for the interrupt test: `patina batch` with the fake make, so SIGINT can be sent to
 * a real process. Usage: node --import tsx batch-sigint-child.ts <cwd> [batch flags as JSON]
 */
import { batchCommand } from "../../src/cli/batch-command.js";
import { createContext } from "../../src/cli/context.js";
import { processIo } from "../../src/cli/io.js";
import type { BatchFlags } from "../../src/cli/spec.js";
import { FAKE_MAKE_URL } from "./batch-helpers.js";

const [cwd, json] = process.argv.slice(2);
const flags: BatchFlags = {
  sources: "selected_sources.csv",
  root: ".",
  startIndex: 0,
  output: "batch_results.json",
  ...(json ? (JSON.parse(json) as Partial<BatchFlags>) : {}),
};
const ctx = createContext(["batch"], [], flags, { ...processIo(), cwd });
process.exitCode = await batchCommand(ctx, { makeModule: FAKE_MAKE_URL });
