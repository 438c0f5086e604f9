/**
 * What a command's code receives: its parsed arguments and flags, printing helpers that respect
 * --quiet/--verbose and colours, a progress observer, and the config loader. Commands return
 * their exit code; they never call process.exit.
 */
import type { LoadedConfig } from "../config/load.js";
import { type CliIo, makeStyle, type Style, useColor } from "./io.js";
import { createProgress, type ProgressObserver } from "./progress.js";
import type { ConfigFlags, GlobalFlags } from "./spec.js";

/** Exit codes, decided in one place. */
export const EXIT = {
  ok: 0,
  /** Some inputs failed (the others were processed). */
  failed: 1,
  /** Usage or configuration error, or the output folder is busy or read-only: nothing was done. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it); finished work is kept. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CommandContext<F extends GlobalFlags = GlobalFlags> {
  /** Command path, e.g. ["make"] or ["config", "init"]. */
  readonly command: readonly string[];
  /** Positional arguments in declaration order (variadic ones as arrays). */
  readonly args: readonly (string | string[] | undefined)[];
  readonly flags: F;
  readonly io: CliIo;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
  readonly style: Style;
  /** A line to stdout (results). */
  out(line: string): void;
  /** A status line to stderr (suppressed by --quiet). */
  info(line: string): void;
  /** A detail line to stderr (only with --verbose). */
  debug(line: string): void;
  /** A warning to stderr (always shown). */
  warn(line: string): void;
  /** An error line to stderr (always shown). */
  error(line: string): void;
  /** A progress observer for this console (silent with --quiet). */
  progress(): ProgressObserver;
  /** Load the config from --config/--profile/--set (when the command has them) and the cwd. */
  loadConfig(overrides?: Partial<ConfigFlags>): Promise<LoadedConfig>;
}

export function createContext<F extends GlobalFlags>(
  command: readonly string[],
  args: readonly (string | string[] | undefined)[],
  flags: F,
  io: CliIo,
): CommandContext<F> {
  const color = useColor(io);
  const style = makeStyle(color);
  const verbose = Boolean(flags.verbose);
  const quiet = Boolean(flags.quiet);
  const line = (sink: CliIo["stdout"], text: string): void => {
    sink.write(`${text}\n`);
  };
  return {
    command,
    args,
    flags,
    io,
    verbose,
    quiet,
    color,
    style,
    out: (text) => line(io.stdout, text),
    info: (text) => {
      if (!quiet) line(io.stderr, text);
    },
    debug: (text) => {
      if (verbose) line(io.stderr, style.dim(text));
    },
    warn: (text) => line(io.stderr, `${style.yellow("warning:")} ${text}`),
    error: (text) => line(io.stderr, `${style.red("error:")} ${text}`),
    progress: () => createProgress(io.stderr, { quiet, isTTY: io.isTTY, columns: io.columns }),
    async loadConfig(overrides = {}) {
      const { loadConfig } = await import("../config/load.js");
      const f = { ...(flags as ConfigFlags), ...overrides };
      return loadConfig({ configPath: f.config, profile: f.profile, sets: f.set ?? [], cwd: io.cwd });
    },
  };
}
