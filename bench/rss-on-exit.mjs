// Preloaded into a benchmarked process: report its peak memory when it exits. VmHWM is per address
// space, so it starts afresh at exec; getrusage's maxrss would carry over the benchmark parent's peak.
import { readFileSync } from "node:fs";

process.on("exit", () => {
  let kb = process.resourceUsage().maxRSS;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) kb = Number(m[1]);
  } catch {
    // Not Linux: fall back to getrusage.
  }
  process.stderr.write(`\nmaxrss_kb=${kb}\n`);
});
