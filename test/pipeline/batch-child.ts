/**
 * `patina batch` with the fake make in a real process, for the tests that need one: Ctrl-C (SIGINT
 * sent to it), and two batches on one output folder (the lock).
 * Usage: node --import tsx batch-child.ts <cwd> [batch flags as JSON]
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
