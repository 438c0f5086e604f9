#!/usr/bin/env node
import { run } from "./run.js";

// Set the exit code rather than calling process.exit, so pending output is flushed.
process.exitCode = await run(process.argv.slice(2));
