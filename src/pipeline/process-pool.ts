/**
 * Batch tracks in child processes, one track at a time per process (entry: batch-process.ts).
 *
 * A process, unlike a worker thread, runs with V8 flags of its own: when the tracks fill every
 * core, the garbage collector's and the compiler's helper threads only take time from the other
 * tracks, and single-threaded collection and compilation are faster (see batch.ts, `processRunner`).
 * A crash, a timeout or an interrupt ends that process only; the next track starts a new one.
 */
import { type ChildProcess, fork } from "node:child_process";
import type { TrackRunner } from "./batch.js";
import type { TrackTask, WorkerReply } from "./batch-worker.js";

/** What a worker process sends back: the reply, and whether the process is ending (a crash). */
export interface ProcessReply {
  readonly reply: WorkerReply;
  readonly exiting: boolean;
}

function isProcessReply(m: unknown): m is ProcessReply {
  return typeof m === "object" && m !== null && "reply" in m && "exiting" in m;
}

/** A pool of up to `size` processes running `filename` with node flags `execArgv`. */
export function processPool(filename: string, execArgv: readonly string[], size: number): TrackRunner {
  const idle: ChildProcess[] = [];
  const all = new Set<ChildProcess>();

  const spawn = (): ChildProcess => {
    const child = fork(filename, [], { execArgv: [...execArgv], serialization: "advanced" });
    all.add(child);
    child.once("exit", () => {
      all.delete(child);
      const i = idle.indexOf(child);
      if (i >= 0) idle.splice(i, 1);
    });
    return child;
  };

  const run = (task: TrackTask, signal: AbortSignal): Promise<WorkerReply> =>
    new Promise<WorkerReply>((resolve, reject) => {
      if (signal.aborted) return reject(new Error("aborted"));
      if (all.size - idle.length >= size) return reject(new Error("process pool: no free process"));
      const child = idle.pop() ?? spawn();
      let settled = false;
      const settle = (then: () => void): void => {
        if (settled) return;
        settled = true;
        child.off("message", onMessage);
        child.off("exit", onExit);
        signal.removeEventListener("abort", onAbort);
        then();
      };
      const onMessage = (m: unknown): void => {
        if (!isProcessReply(m)) return;
        settle(() => {
          // A process that is ending no longer counts against the pool's size.
          if (m.exiting) all.delete(child);
          else idle.push(child);
          resolve(m.reply);
        });
      };
      const onExit = (code: number | null, sig: NodeJS.Signals | null): void =>
        settle(() => {
          all.delete(child);
          reject(new Error(`worker process ended (${sig ?? `exit code ${code}`}) during the track`));
        });
      const onAbort = (): void =>
        settle(() => {
          all.delete(child);
          child.kill("SIGKILL");
          reject(new Error("aborted"));
        });
      child.on("message", onMessage);
      child.once("exit", onExit);
      signal.addEventListener("abort", onAbort, { once: true });
      child.send(task);
    });

  const close = async (): Promise<void> => {
    const exits = [...all].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          // An idle process ends when its channel closes; a busy one is no longer wanted.
          if (idle.includes(child)) child.disconnect();
          else child.kill("SIGKILL");
        }),
    );
    await Promise.all(exits);
  };

  return { run, close };
}
