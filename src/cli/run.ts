/**
 * `run(argv)`: parse the command line, run one command, return the exit code. Tests call it in
 * process; `bin.ts` calls it and sets process.exitCode. Nothing here calls process.exit.
 *
 * Commands are declared in `spec.ts` (flags, help, examples) and implemented in
 * `commands/<name>.ts`, which is imported only when the command runs, so `patina --help` stays fast.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { ConfigError, PatinaError, UsageError } from "../core/errors.js";
import { type CommandContext, createContext, EXIT } from "./context.js";
import { type CliIo, makeStyle, processIo, useColor } from "./io.js";
import {
  COMMANDS,
  type CommandFlags,
  type CommandSpec,
  GLOBAL_CONFLICTS,
  GLOBAL_FLAGS,
  type GlobalFlags,
  type OptionSpec,
} from "./spec.js";

/** A command's code: `export default async function (ctx) { ...; return exitCode }`. */
export type CommandModule<F extends GlobalFlags = GlobalFlags> = {
  default: (ctx: CommandContext<F>) => Promise<number>;
};

type CommandName = keyof CommandFlags;

// Static import paths (not computed) so the compiler checks them and bundlers can follow them. The
// type checks each module's flags against those its options in spec.ts produce.
const LOADERS: { readonly [K in CommandName]: () => Promise<CommandModule<CommandFlags[K]>> } = {
  make: () => import("./commands/make.js"),
  discover: () => import("./commands/discover.js"),
  select: () => import("./commands/select.js"),
  batch: () => import("./commands/batch.js"),
  run: () => import("./commands/run.js"),
  report: () => import("./commands/report.js"),
  config: () => import("./commands/config.js"),
  info: () => import("./commands/info.js"),
  demo: () => import("./commands/demo.js"),
  kit: () => import("./commands/kit.js"),
};

async function runModule<K extends CommandName>(
  name: K,
  ctx: CommandContext<CommandFlags[K]>,
): Promise<number> {
  return (await LOADERS[name]()).default(ctx);
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function examplesText(spec: CommandSpec): string {
  if (spec.examples.length === 0) return "";
  const lines = spec.examples.map(([cmd, what]) => `  $ ${cmd}\n      ${what}`);
  return `\nExamples:\n${lines.join("\n")}\n`;
}

function addOption(cmd: Command, spec: OptionSpec): void {
  const option = new Option(spec.flags, spec.description);
  if (spec.parse) option.argParser(spec.parse);
  if (spec.choices) option.choices([...spec.choices]);
  if (spec.default !== undefined) option.default(spec.default);
  cmd.addOption(option);
}

/** State of one run: the exit code the command chose. */
interface RunState {
  exitCode: number;
}

function addCommand(
  parent: Command,
  spec: CommandSpec,
  path: readonly string[],
  io: CliIo,
  state: RunState,
): void {
  const fullPath = [...path, spec.name];
  const cmd = parent.command(spec.name).summary(spec.summary).description(spec.summary);
  for (const arg of spec.args ?? []) cmd.argument(arg);
  for (const option of spec.options) addOption(cmd, option);
  cmd.addHelpText("after", examplesText(spec));
  if (spec.subcommands) {
    for (const sub of spec.subcommands) addCommand(cmd, sub, fullPath, io, state);
    return;
  }
  for (const option of GLOBAL_FLAGS) addOption(cmd, option);
  cmd.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const flags = self.optsWithGlobals() as Record<string, unknown>;
    for (const conflict of [...GLOBAL_CONFLICTS, ...(spec.conflicts ?? [])]) {
      if (conflict.when(flags)) throw new UsageError(conflict.message);
    }
    const args = received.slice(0, (spec.args ?? []).length) as (string | string[] | undefined)[];
    // Commander parsed the flags by this command's options, whose types CommandFlags is derived from.
    const name = fullPath[0] as CommandName;
    const typed = flags as CommandFlags[typeof name];
    state.exitCode = await runModule(name, createContext(fullPath, args, typed, io));
  });
}

/** Build the commander program for one run (no state shared between runs). */
export function buildProgram(io: CliIo, state: RunState = { exitCode: 0 }): Command {
  const color = useColor(io);
  const style = makeStyle(color);
  const width = io.columns ?? 100;
  const program = new Command("patina")
    .description("Mine your own audio archive for sampler textures: pads, drones, clouds and hiss.")
    .version(packageVersion(), "-V, --version", "print the version")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error:/, style.red("error:"))),
      getOutHelpWidth: () => width,
      getErrHelpWidth: () => width,
    });
  // Global flags work before the command too (`patina --quiet make`); optsWithGlobals merges them.
  for (const option of GLOBAL_FLAGS) addOption(program, option);
  for (const spec of COMMANDS) addCommand(program, spec, [], io, state);
  program.addHelpText(
    "after",
    `
Examples:
  $ patina demo                       synthesise a demo archive and run everything on it
  $ patina make --all                 textures from ./source_audio, ./pad_sources, ./drums
  $ patina run ~/Music/archive        discover, select and batch a whole archive
  $ patina info --decode song.flac    what patina reads from a file

Exit codes: 0 success, 1 some inputs failed, 2 usage or configuration error.
Colours only on a terminal and never with NO_COLOR. Run 'patina <command> --help' for its flags.
`,
  );
  return program;
}

const USAGE_CODES = new Set([
  "commander.unknownOption",
  "commander.unknownCommand",
  "commander.missingArgument",
  "commander.optionMissingArgument",
  "commander.missingMandatoryOptionValue",
  "commander.invalidArgument",
  "commander.conflictingOption",
  "commander.excessArguments",
  "commander.help", // a command run without its subcommand: help printed to stderr
]);

/**
 * Run the CLI on `argv` (the arguments after `patina`). Returns the exit code: 0 success, 1 some
 * inputs failed, 2 usage or configuration error.
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = { ...processIo(), ...io };
  const style = makeStyle(useColor(fullIo));
  const state: RunState = { exitCode: EXIT.ok };
  const program = buildProgram(fullIo, state);
  const printError = (message: string): void => {
    fullIo.stderr.write(`${style.red("error:")} ${message}\n`);
  };
  try {
    await program.parseAsync([...argv], { from: "user" });
    return state.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return EXIT.ok;
      return USAGE_CODES.has(e.code) || e.exitCode !== 0 ? EXIT.usage : EXIT.ok;
    }
    if (e instanceof UsageError) {
      printError(e.message);
      return EXIT.usage;
    }
    if (e instanceof ConfigError) {
      printError(e.message.includes("\n") ? `invalid configuration:\n${e.message}` : e.message);
      return EXIT.usage;
    }
    if (e instanceof PatinaError) {
      printError(e.message);
      return EXIT.failed;
    }
    // An unexpected failure: show the stack with --verbose.
    const err = e instanceof Error ? e : new Error(String(e));
    printError(argv.includes("--verbose") ? (err.stack ?? err.message) : err.message);
    return EXIT.failed;
  }
}
