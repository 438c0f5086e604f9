/**
 * How batch tracks run: in worker processes (the default, each with V8 flags of its own and a heap
 * limit, so a runaway track fails alone) or in this thread (debugging, tests).
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import {
  type MakeFn,
  processTrack,
  serializeError,
  type TrackTask,
  type WorkerReply,
} from "./batch-worker.js";

/** Runs one track; `signal` aborts it (timeout, Ctrl-C). */
export interface TrackRunner {
  run(task: TrackTask, signal: AbortSignal): Promise<WorkerReply>;
  close(): Promise<void>;
}

/** Node options that take a value and that workers inherit (module hooks and conditions). */
const WORKER_OPTIONS_WITH_VALUE = new Set([
  "--import",
  "--require",
  "-r",
  "--loader",
  "--experimental-loader",
  "--conditions",
  "-C",
]);

/**
 * The parent's flags that workers inherit: module hooks (tsx), conditions and source maps. V8 flags
 * are left out: the worker processes get their own (see `processRunner`).
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.split("=")[0];
    if (WORKER_OPTIONS_WITH_VALUE.has(name)) {
      out.push(a);
      if (!a.includes("=") && i + 1 < argv.length) out.push(argv[++i]);
    } else if (a === "--enable-source-maps" || a === "--no-warnings") out.push(a);
  }
  return out;
}

/** Worker file and node flags: the compiled .js next to this module, or the .ts under tsx/vitest. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const isTs = import.meta.url.endsWith(".ts");
  const filename = fileURLToPath(new URL(`./batch-process.${isTs ? "ts" : "js"}`, import.meta.url));
  const inherited = workerExecArgv(process.execArgv);
  const hasTsx = inherited.some((a) => a.includes("tsx"));
  return {
    filename,
    // Resolved here, not from the cwd, so a run from another folder finds the dev dependency.
    execArgv: isTs && !hasTsx ? [...inherited, "--import", import.meta.resolve("tsx")] : inherited,
  };
}

/** Heap limit per worker process (MB): a runaway track fails alone instead of taking the batch down. */
const WORKER_HEAP_MB = 2048;

/**
 * Tracks in child processes (process-pool.ts), so each can run with V8 flags of its own: with a
 * track on every core (`jobs` >= cores), each process collects garbage and compiles on its own
 * thread, because the engine's helper threads would only take time from the other tracks. Measured
 * on 2 cores, 12 tracks of 4 minutes, --jobs 2: 8.1-8.6 s against 8.5-9.8 s with the helper
 * threads; one job alone is faster with them (13.4-16.9 s against 14.1-16.6 s), so it keeps them.
 * Worker threads cannot do this: V8 flags are process-wide.
 */
export async function processRunner(jobs: number): Promise<TrackRunner> {
  const { processPool } = await import("./process-pool.js");
  const { filename, execArgv } = workerEntry();
  const busy = jobs >= availableParallelism();
  return processPool(
    filename,
    [
      ...execArgv,
      `--max-old-space-size=${WORKER_HEAP_MB}`,
      "--max-semi-space-size=32",
      ...(busy ? ["--single-threaded-gc", "--no-concurrent-recompilation"] : []),
    ],
    jobs,
  );
}

/**
 * Tracks in this thread (debugging, tests). Aborting rejects at once but cannot stop the work
 * already running; use processes when timeouts must really stop a track.
 */
export function inProcessRunner(make?: MakeFn): TrackRunner {
  return {
    run: (task, signal) =>
      new Promise<WorkerReply>((res, rej) => {
        if (signal.aborted) return rej(new Error("aborted"));
        signal.addEventListener("abort", () => rej(new Error("aborted")), { once: true });
        processTrack(task, make).then(
          (stats) => res({ ok: true, stats }),
          (e: unknown) => res({ ok: false, error: serializeError(e) }),
        );
      }),
    close: async () => {},
  };
}
