import type { CliIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CaptureOptions {
  cwd?: string;
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
}

/** A CLI io whose output is kept: pass `io` to the command, then `result(code)`. */
export function capturedIo(options: CaptureOptions = {}): { io: CliIo; result: (code: number) => CliResult } {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    // The test's cache folder (test/setup.ts) unless the test sets its own: never the real home.
    env: { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, ...options.env },
    isTTY: options.isTTY ?? false,
    cwd: options.cwd ?? process.cwd(),
    columns: 100,
  };
  return { io, result: (code) => ({ code, stdout, stderr }) };
}

/** Run the CLI in process with captured output (not a TTY, no NO_COLOR unless given). */
export async function runCli(args: string[], options: CaptureOptions = {}): Promise<CliResult> {
  const { io, result } = capturedIo(options);
  return result(await run(args, io));
}
