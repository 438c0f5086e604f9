/**
 * `npm run fuzz [-- --count 5000 --seed 1 --jobs 2 --make 20 --keep DIR]`: thousands of mutated
 * WAV/AIFF/FLAC/MP3 files (test/support/mutate.ts) through probe and a full decode, in child
 * processes that each read a long mix of mutants one after the other (as `patina info --decode`
 * over an archive does, so state carried from file to file would show). Then `make` on a sample of
 * the mutants that decode, one process per file. Prints mutants, outcomes, errors by reason, the
 * largest resident memory of any process and the slowest mutant; exits 1 on any contract breach
 * (an untyped error, developer text, audio out of proportion to the file), on a hang (over
 * --timeout seconds), or on a process over 500 MB.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { exercise, type FuzzOutcome } from "../test/support/fuzz-check.js";
import { mutant } from "../test/support/mutate.js";

const BUDGET_MB = 500;

interface Job {
  readonly kind: "decode" | "make";
  readonly seed: number;
  readonly indices: readonly number[];
  readonly dir: string;
}

type ChildMessage =
  | { type: "start"; index: number }
  | { type: "done"; index: number; outcome: FuzzOutcome; ms: number; rssMb: number }
  | { type: "end"; maxRssMb: number };

// ---- child ----

async function makeOne(path: string, dir: string): Promise<FuzzOutcome> {
  const { runMake } = await import("../src/pipeline/make.js");
  const { loadConfig } = await import("../src/config/load.js");
  // One working folder per process: several run side by side.
  const root = join(dir, `make-root-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "source_audio"), { recursive: true });
  mkdirSync(join(root, "pad_sources"), { recursive: true });
  const name = path.slice(path.lastIndexOf("/") + 1);
  writeFileSync(
    join(root, "source_audio", name),
    new Uint8Array(await import("node:fs").then((f) => f.readFileSync(path))),
  );
  const { config } = await loadConfig({ cwd: root, sets: ["report.enabled=false"] });
  try {
    const r = await runMake({ root, config, phases: ["pads", "drones", "clouds", "hiss"], seed: 1 });
    const problems = r.errors.filter((e) => /RuntimeError|TypeError|RangeError|Maximum call/.test(e.message));
    return {
      ok: r.errors.length === 0,
      reason: null,
      message: r.errors[0]?.message ?? "",
      frames: 0,
      warnings: r.warnings.map((w) => w.message),
      problems: problems.map((p) => `make: ${p.message}`),
    };
  } catch (e) {
    return {
      ok: false,
      reason: null,
      message: String(e),
      frames: 0,
      warnings: [],
      problems: [`make threw ${String(e)}`],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function child(): Promise<void> {
  const send = (m: ChildMessage): Promise<void> =>
    new Promise((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));
  process.on("message", async (job: Job) => {
    for (const index of job.indices) {
      await send({ type: "start", index });
      const m = mutant(job.seed, index);
      const path = join(job.dir, m.name);
      writeFileSync(path, m.bytes);
      const t0 = performance.now();
      const outcome =
        job.kind === "decode" ? await exercise(path, m.bytes.length) : await makeOne(path, job.dir);
      const ms = performance.now() - t0;
      rmSync(path, { force: true });
      await send({ type: "done", index, outcome, ms, rssMb: process.memoryUsage().rss / 2 ** 20 });
    }
    await send({ type: "end", maxRssMb: process.resourceUsage().maxRSS / 1024 });
    process.disconnect();
  });
}

// ---- parent ----

interface Record {
  index: number;
  outcome: FuzzOutcome | null;
  ms: number;
  /** No result within --timeout (the process was killed). */
  hang: boolean;
  /** The process died on this mutant before the timeout (out of memory, a native crash). */
  crash: boolean;
}

function spawnChild(): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  return fork(self, ["--child"], { execArgv: ["--import", "tsx"], serialization: "advanced" });
}

/** Run `indices` through child processes, restarting after a hang; returns records and the largest RSS. */
async function runAll(
  kind: Job["kind"],
  seed: number,
  indices: number[],
  jobs: number,
  perProcess: number,
  timeoutSec: number,
  dir: string,
): Promise<{ records: Record[]; maxRssMb: number }> {
  const queue: number[][] = [];
  for (let i = 0; i < indices.length; i += perProcess) queue.push(indices.slice(i, i + perProcess));
  const records: Record[] = [];
  let maxRssMb = 0;
  const lane = async (): Promise<void> => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const pending = [...batch];
      let crashMs = 0;
      while (pending.length > 0) {
        const stopped = await new Promise<{ index: number; hang: boolean } | null>((resolve) => {
          const c = spawnChild();
          let current = -1;
          let timedOut = false;
          let started = 0;
          let timer: NodeJS.Timeout | null = null;
          const arm = (): void => {
            if (timer) clearTimeout(timer);
            started = performance.now();
            timer = setTimeout(() => {
              timedOut = true;
              c.kill("SIGKILL");
            }, timeoutSec * 1000);
          };
          c.on("message", (m: ChildMessage) => {
            if (m.type === "start") {
              current = m.index;
              arm();
            } else if (m.type === "done") {
              records.push({ index: m.index, outcome: m.outcome, ms: m.ms, hang: false, crash: false });
              maxRssMb = Math.max(maxRssMb, m.rssMb);
              pending.splice(pending.indexOf(m.index), 1);
              current = -1;
            } else if (m.type === "end") {
              maxRssMb = Math.max(maxRssMb, m.maxRssMb);
            }
          });
          c.on("exit", () => {
            if (timer) clearTimeout(timer);
            crashMs = performance.now() - started;
            resolve(current >= 0 ? { index: current, hang: timedOut } : null);
          });
          c.send({ kind, seed, indices: pending, dir } satisfies Job);
        });
        if (stopped === null) break;
        const { index, hang } = stopped;
        records.push({ index, outcome: null, ms: hang ? timeoutSec * 1000 : crashMs, hang, crash: !hang });
        pending.splice(pending.indexOf(index), 1);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  records.sort((a, b) => a.index - b.index);
  return { records, maxRssMb };
}

function summarise(title: string, seed: number, records: Record[], maxRssMb: number): string[] {
  const ok = records.filter((r) => r.outcome?.ok).length;
  const byReason = new Map<string, number>();
  for (const r of records) {
    if (r.outcome && !r.outcome.ok) {
      const k = r.outcome.reason ?? "make failure";
      byReason.set(k, (byReason.get(k) ?? 0) + 1);
    }
  }
  const warned = records.filter((r) => r.outcome?.ok && r.outcome.warnings.length > 0).length;
  const hangs = records.filter((r) => r.hang).length;
  const crashes = records.filter((r) => r.crash).length;
  const slowest = records.reduce((a, r) => (r.ms > a.ms ? r : a), records[0] ?? { index: -1, ms: 0 });
  const total = records.reduce((a, r) => a + r.ms, 0);
  const lines = [
    `${title}: ${records.length} mutants (seed ${seed})`,
    `  ${title === "make" ? "made" : "read"}: ${ok} (${warned} with warnings), ` +
      `${title === "make" ? "failed" : "refused"}: ${records.length - ok - hangs - crashes}, hangs: ${hangs}, ` +
      `crashed processes: ${crashes}`,
    `  refused by reason: ${[...byReason].map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`,
    `  max RSS of a process: ${maxRssMb.toFixed(0)} MB (budget ${BUDGET_MB} MB)`,
    `  time: slowest mutant ${slowest.ms.toFixed(0)} ms (#${slowest.index}), mean ${(total / Math.max(1, records.length)).toFixed(1)} ms`,
  ];
  return lines;
}

async function parent(): Promise<number> {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "3000" },
      seed: { type: "string", default: "1" },
      jobs: { type: "string", default: "1" },
      "per-process": { type: "string", default: "500" },
      make: { type: "string", default: "20" },
      timeout: { type: "string", default: "60" },
      keep: { type: "string" },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const jobs = Math.max(1, Number(values.jobs));
  const timeoutSec = Number(values.timeout);
  const dir = mkdtempSync(join(tmpdir(), "patina-fuzz-"));
  let failed = false;
  try {
    const indices = Array.from({ length: count }, (_, i) => i);
    const t0 = performance.now();
    const decode = await runAll(
      "decode",
      seed,
      indices,
      jobs,
      Number(values["per-process"]),
      timeoutSec,
      dir,
    );
    const lines = summarise("probe + decode", seed, decode.records, decode.maxRssMb);
    lines.push(`  wall: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // make on a spread of the mutants that decode, one process each (a fresh high-water mark).
    const readable = decode.records.filter((r) => r.outcome?.ok).map((r) => r.index);
    const nMake = Math.min(Number(values.make), readable.length);
    const step = readable.length / Math.max(1, nMake);
    const sample = Array.from({ length: nMake }, (_, i) => readable[Math.floor(i * step)]);
    let made: { records: Record[]; maxRssMb: number } = { records: [], maxRssMb: 0 };
    if (nMake > 0) {
      made = await runAll("make", seed, sample, jobs, 1, timeoutSec, dir);
      lines.push(...summarise("make", seed, made.records, made.maxRssMb));
    }
    const bad = [...decode.records, ...made.records].filter(
      (r) => r.hang || r.crash || (r.outcome?.problems.length ?? 0) > 0,
    );
    for (const r of bad.slice(0, 50)) {
      const m = mutant(seed, r.index);
      lines.push(
        `  PROBLEM #${r.index} ${m.seedFile} [${m.steps.join("; ")}]: ` +
          `${r.hang ? "hang" : r.crash ? "process crashed" : r.outcome?.problems.join("; ")}`,
      );
      if (values.keep) {
        mkdirSync(values.keep, { recursive: true });
        writeFileSync(join(values.keep, m.name), m.bytes);
      }
    }
    failed = bad.length > 0 || decode.maxRssMb > BUDGET_MB || made.maxRssMb > BUDGET_MB;
    lines.push(
      failed
        ? `FAIL: ${bad.length} problem(s)`
        : "OK: no crash, no hang, no breach, within the memory budget",
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

if (process.argv.includes("--child")) await child();
else process.exitCode = await parent();
