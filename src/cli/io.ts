/**
 * The console as the CLI sees it. `run()` takes one of these so tests can capture output in
 * process; `processIo()` is the real terminal.
 */

/** Anything with a `write(text)` (a Node stream, or a string collector in tests). */
export interface TextSink {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal: colours and redrawn progress bars are allowed. */
  readonly isTTY: boolean;
  /** Folder relative paths are resolved against. */
  readonly cwd: string;
  /** Terminal width for help and progress (columns); undefined off a TTY. */
  readonly columns?: number | undefined;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    columns: process.stderr.isTTY ? process.stderr.columns : undefined,
  };
}

/** Colours only on a TTY and never with NO_COLOR set (https://no-color.org: any non-empty value). */
export function useColor(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === "");
}

export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;

const identity = (s: string): string => s;

export function makeStyle(color: boolean): Style {
  return color
    ? { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), bold: sgr(1, 22), dim: sgr(2, 22) }
    : { red: identity, yellow: identity, green: identity, bold: identity, dim: identity };
}
