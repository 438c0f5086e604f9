#!/usr/bin/env node
import { run } from "./run.js";

// `patina --help | head`: the reader may close the pipe before patina has written everything.
// Further output is dropped quietly (the work itself goes on) instead of an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
  });
}

// Set the exit code rather than calling process.exit, so pending output is flushed.
process.exitCode = await run(process.argv.slice(2));
