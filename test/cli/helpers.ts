import { run } from "../../src/cli/run.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in process with captured output (not a TTY, no NO_COLOR unless given). */
export async function runCli(
  args: string[],
  options: { cwd?: string; isTTY?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    cwd: options.cwd ?? process.cwd(),
    columns: 100,
  });
  return { code, stdout, stderr };
}
