/**
 * Child-process entry of a batch worker (see process-pool.ts): tracks arrive as IPC messages and
 * their replies go back the same way, one at a time.
 *
 * Ctrl-C reaches every process of the terminal's process group; the parent decides what an
 * interrupt means (it stops dispatching and ends the running tracks), so this process ignores it.
 * A crash (an uncaught exception) is reported as the running track's error before the process ends.
 */
import runTrackInWorker, { serializeError, type TrackTask } from "./batch-worker.js";
import type { ProcessReply } from "./process-pool.js";

const send = (message: ProcessReply): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

process.on("SIGINT", () => {});
process.on("uncaughtException", (e) => {
  void send({ reply: { ok: false, error: serializeError(e) }, exiting: true }).finally(() => process.exit(1));
});
process.on("disconnect", () => process.exit(0));
process.on("message", (task: TrackTask) => {
  void runTrackInWorker(task).then((reply) => send({ reply, exiting: false }));
});
