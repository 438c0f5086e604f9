/**
 * One `make --all` run in a fresh process, so the benchmark sees its real peak memory. Prints one
 * JSON line: wall time, peak RSS and the pipeline's own timings.
 * Usage: node --import tsx bench/make-child.ts ROOT
 */
import { DEFAULT_CONFIG } from "../src/config/schema.js";
import { runMake } from "../src/pipeline/make.js";

const root = process.argv[2];
if (!root) throw new Error("usage: make-child.ts ROOT");
const t0 = performance.now();
const result = await runMake({
  root,
  config: { ...DEFAULT_CONFIG, report: { enabled: false } },
  phases: ["pads", "drones", "clouds", "hiss"],
  seed: 1,
});
const wallSec = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ wallSec, maxRssMb: process.resourceUsage().maxRSS / 1024, timings: result.timings, counts: result.counts, errors: result.errors.length })}\n`,
);
