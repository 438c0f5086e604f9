/**
 * One declarative table of every command, its arguments, flags, examples and forbidden flag
 * combinations. It makes `--help`, the parser and the flag types (`MakeFlags`, ... derived from
 * it through flags.ts, so a flag is declared once); the code of each command lives in
 * `commands/<name>.ts` and is imported only when that command runs (fast `patina --help`).
 * Flag names are the contract of the issues (make, discover/select/batch, report). The table is
 * `as const` so its literal flag strings reach the types.
 */
import { InvalidArgumentError } from "commander";
import type { FlagsOf } from "./flags.js";

export interface OptionSpec {
  /** Commander syntax: "--jobs <n>", "--dry-run", "--format <format>". */
  readonly flags: string;
  readonly description: string;
  /** Convert/validate the value (throw InvalidArgumentError: exit code 2). */
  readonly parse?: (value: string, previous: unknown) => unknown;
  readonly default?: unknown;
  /** Allowed values (checked by commander, listed in --help). */
  readonly choices?: readonly string[];
}

/** A forbidden combination of flags: `when` sees the parsed options; `message` includes an example. */
export interface ConflictSpec {
  readonly when: (opts: Readonly<Record<string, unknown>>) => boolean;
  readonly message: string;
}

export interface CommandSpec {
  /** Name; for `config` subcommands, the subcommand name. */
  readonly name: string;
  readonly summary: string;
  /** Commander syntax: "<files...>", "[archive]". */
  readonly args?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** [command line, what it does]. */
  readonly examples: readonly (readonly [string, string])[];
  readonly conflicts?: readonly ConflictSpec[];
  readonly subcommands?: readonly CommandSpec[];
}

// ---- value parsers (errors become exit code 2 with commander's message) ----

export function intArg(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`expected a whole number, got: ${JSON.stringify(value)}`);
    }
    if (n < min || n > max) throw new InvalidArgumentError(`must be in [${min}, ${max}], got: ${n}`);
    return n;
  };
}

export function numberArg(min: number, minExclusive = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) {
      throw new InvalidArgumentError(`expected a number, got: ${JSON.stringify(value)}`);
    }
    if (minExclusive ? n <= min : n < min) {
      throw new InvalidArgumentError(`must be ${minExclusive ? ">" : ">="} ${min}, got: ${n}`);
    }
    return n;
  };
}

/** Repeatable flag: every occurrence is kept, in order. */
export function collect(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
}

// ---- shared flags ----

const CONFIG_FLAGS = [
  {
    flags: "--config <file>",
    description: "config file (default: ./config.yaml when it exists, else the defaults)",
  },
  {
    flags: "--profile <name>",
    description: "merge config_<name>.yaml (next to the config) over it, e.g. bright",
  },
  {
    flags: "--set <key=value>",
    description: "override one config key (repeatable), e.g. --set clouds.grains_per_cloud=300",
    parse: collect,
  },
] as const satisfies readonly OptionSpec[];

/** Where discovery keeps what it read (never inside the archive). */
const CACHE_FLAGS = [
  {
    flags: "--cache-dir <dir>",
    description: "cache folder (default: $XDG_CACHE_HOME/patina, else ~/.cache/patina)",
  },
  { flags: "--no-cache", description: "read every file's header again and keep no cache" },
] as const satisfies readonly OptionSpec[];

const JOBS = {
  flags: "--jobs <n>",
  description: "tracks processed at once (default: batch.jobs, else the number of cores)",
  parse: intArg(1, 256),
} as const satisfies OptionSpec;

/** Added to every command by the program builder. */
export const GLOBAL_FLAGS = [
  { flags: "--verbose", description: "print more detail (to stderr)" },
  { flags: "-q, --quiet", description: "print only errors and the results asked for" },
] as const satisfies readonly OptionSpec[];

export const GLOBAL_CONFLICTS: readonly ConflictSpec[] = [
  {
    when: (o) => Boolean(o.verbose && o.quiet),
    message: "--verbose and --quiet contradict each other; pick one, e.g. patina make --all --quiet",
  },
];

// ---- typed flags per command, derived from the table below (see flags.ts) ----

type Spec<N extends string> = Extract<(typeof COMMANDS)[number], { readonly name: N }>;
type ConfigSub<N extends string> = Extract<Spec<"config">["subcommands"][number], { readonly name: N }>;

export type GlobalFlags = FlagsOf<typeof GLOBAL_FLAGS>;
export type ConfigFlags = FlagsOf<typeof CONFIG_FLAGS>;
export type CacheFlags = FlagsOf<typeof CACHE_FLAGS>;
export type MakeFlags = GlobalFlags & FlagsOf<Spec<"make">["options"]>;
export type DiscoverFlags = GlobalFlags & FlagsOf<Spec<"discover">["options"]>;
export type SelectFlags = GlobalFlags & FlagsOf<Spec<"select">["options"]>;
export type BatchFlags = GlobalFlags & FlagsOf<Spec<"batch">["options"]>;
export type RunFlags = GlobalFlags & FlagsOf<Spec<"run">["options"]>;
export type ReportFlags = GlobalFlags & FlagsOf<Spec<"report">["options"]>;
export type InfoFlags = GlobalFlags & FlagsOf<Spec<"info">["options"]>;
export type DemoFlags = GlobalFlags & FlagsOf<Spec<"demo">["options"]>;
export type KitFlags = GlobalFlags & FlagsOf<Spec<"kit">["options"]>;
export type ConfigInitFlags = GlobalFlags & FlagsOf<ConfigSub<"init">["options"]>;
export type ConfigValidateFlags = GlobalFlags & FlagsOf<ConfigSub<"validate">["options"]>;
export type ConfigShowFlags = GlobalFlags & FlagsOf<ConfigSub<"show">["options"]>;

/** The flags each command's module receives (checked against its default export in run.ts). */
export interface CommandFlags {
  make: MakeFlags;
  discover: DiscoverFlags;
  select: SelectFlags;
  batch: BatchFlags;
  run: RunFlags;
  report: ReportFlags;
  config: GlobalFlags;
  info: InfoFlags;
  demo: DemoFlags;
  kit: KitFlags;
}

// ---- the commands ----

const KIT_COMMAND = {
  name: "kit",
  summary: "put chosen textures on a sampler: TR-8S card folder, SFZ, Decent Sampler or WAVs",
  args: ["[export_dirs...]"],
  options: [
    {
      flags: "--device <name>",
      description: "device profile: tr8s, sfz, decentsampler, folder, or a profile .yaml file",
    },
    { flags: "--out <dir>", description: "kit folder to write (an earlier kit there is replaced)" },
    { flags: "--from <file>", description: "selection file (default: selection.json in the export folder)" },
    {
      flags: "--count <n>",
      description: "how many textures (default: all kept, else the profile's)",
      parse: intArg(1, 100000),
    },
    { flags: "--name <name>", description: "the kit's name (its folder on the TR-8S)", default: "patina" },
    {
      flags: "--category <name>",
      description: "only pads, swells, clouds or hiss (repeatable, or comma-separated)",
      parse: collect,
    },
    { flags: "--key <key>", description: 'only textures whose key or root fits, e.g. "A minor", Am, F#' },
    {
      flags: "--sustain <s>",
      description: "sustain length of loops on devices without loop points (default: the profile's, fitted)",
      parse: numberArg(0, true),
    },
    { flags: "--dry-run", description: "print what the kit would hold, write nothing" },
  ],
  examples: [
    ["patina kit export/tr8s --device tr8s --out ~/tr8s-card --dry-run", "what a TR-8S kit would hold"],
    [
      "patina kit export/tr8s --device tr8s --out ~/tr8s-card --name Glass",
      "the chosen ones on a TR-8S card",
    ],
    ["patina kit export/tr8s --device sfz --out ~/kits/dusk --key Am --count 24", "24 in A minor as SFZ"],
    ["patina kit --device decentsampler --out ~/kits/air --category pads,swells", "pads and swells"],
  ],
  conflicts: [
    {
      when: (o) => o.device === undefined,
      message: "--device is needed, e.g. patina kit export/tr8s --device tr8s --out ~/tr8s-card",
    },
    {
      when: (o) => o.out === undefined && !o.dryRun,
      message:
        "--out is needed to write a kit, e.g. patina kit export/tr8s --device sfz --out ~/kits/dusk (or --dry-run)",
    },
  ],
} as const satisfies CommandSpec;

const PHASES = ["minePads", "makeDrones", "makeClouds", "makeHiss"] as const;

export const COMMANDS = [
  {
    name: "make",
    summary: "make pads, swells, clouds and hiss from one working folder",
    options: [
      { flags: "--all", description: "run every phase (the default when no phase is named)" },
      { flags: "--mine-pads", description: "mine seamless pad loops from source_audio/" },
      {
        flags: "--make-drones",
        description: "make drone loops, swells and reversed loops from pad_sources/",
      },
      { flags: "--make-clouds", description: "make granular clouds from pad_sources/" },
      { flags: "--make-hiss", description: "make hiss loops and flickers from drums/" },
      {
        flags: "--root <dir>",
        description: "working folder holding source_audio/, pad_sources/, drums/",
        default: ".",
      },
      ...CONFIG_FLAGS,
      {
        flags: "--seed <n>",
        description: "random seed for bit-identical runs",
        parse: intArg(0, 4294967295),
      },
      { flags: "--dry-run", description: "list the files that would be written, write nothing" },
      {
        flags: "--json-output <file>",
        description: "write machine-readable stats (counts, errors, timings)",
      },
      { flags: "--strict", description: "stop at the first failing source (exit code 1)" },
    ],
    examples: [
      ["patina make --all", "every phase on ./source_audio, ./pad_sources and ./drums"],
      ["patina make --mine-pads --make-clouds --root ~/album", "two phases in another folder"],
      ["patina make --all --profile dark --seed 42", "the dark profile, reproducibly"],
      ["patina make --make-hiss --set hiss.tremolo_depth=0.3 --dry-run", "what would be written"],
    ],
    conflicts: [
      {
        when: (o) => Boolean(o.all) && PHASES.some((p) => o[p]),
        message:
          "--all already runs every phase; name phases only without it, e.g. patina make --mine-pads --make-clouds",
      },
    ],
  },
  {
    name: "discover",
    summary: "catalogue the audio files of an archive (headers only, cached)",
    options: [
      { flags: "--root <dir>", description: "archive folder to search recursively", default: "." },
      { flags: "--output <file>", description: "catalog file to write", default: "audio_catalog.csv" },
      {
        flags: "--format <format>",
        description: "catalog format (default: from the output's extension)",
        choices: ["csv", "json", "markdown"],
      },
      ...CACHE_FLAGS,
    ],
    examples: [
      ["patina discover --root ~/Music/archive --output audio_catalog.csv", "catalogue an archive as CSV"],
      ["patina discover --root . --output catalog.md", "a markdown table (format from the extension)"],
    ],
  },
  {
    name: "select",
    summary: "pick the tracks worth mining from a catalog",
    options: [
      {
        flags: "--catalog <file>",
        description: "catalog from patina discover (CSV or JSON)",
        default: "audio_catalog.csv",
      },
      { flags: "--output <file>", description: "selected sources to write", default: "selected_sources.csv" },
      {
        flags: "--min-duration <s>",
        description: "shortest track in seconds (overrides selection.min_duration_sec)",
        parse: numberArg(0),
      },
      {
        flags: "--max-duration <s>",
        description: "longest track in seconds (overrides selection.max_duration_sec)",
        parse: numberArg(0, true),
      },
      {
        flags: "--format <format>",
        description: "output format (default: from the output's extension)",
        choices: ["csv", "json"],
      },
      { flags: "--explain", description: "also list every rejected file with its reason" },
      ...CONFIG_FLAGS,
    ],
    examples: [
      [
        "patina select --catalog audio_catalog.csv --output selected_sources.csv",
        "apply the config's selection rules",
      ],
      [
        "patina select --min-duration 60 --max-duration 900 --explain",
        "tighter durations, and why files were left out",
      ],
    ],
    conflicts: [
      {
        when: (o) =>
          typeof o.minDuration === "number" &&
          typeof o.maxDuration === "number" &&
          o.minDuration > o.maxDuration,
        message:
          "--min-duration must not exceed --max-duration, e.g. patina select --min-duration 30 --max-duration 600",
      },
    ],
  },
  {
    name: "batch",
    summary: "make a texture pack per selected track, in parallel and resumable",
    options: [
      {
        flags: "--sources <file>",
        description: "selected sources from patina select",
        default: "selected_sources.csv",
      },
      { flags: "--profile <name>", description: "use config_<name>.yaml; results go to export/tr8s/<name>/" },
      { flags: "--config <file>", description: "config file (default: ./config.yaml when it exists)" },
      { flags: "--set <key=value>", description: "override one config key (repeatable)", parse: collect },
      {
        flags: "--root <dir>",
        description: "folder the sources' rel_paths are resolved against",
        default: ".",
      },
      { flags: "--out <dir>", description: "folder for work/ and export/ (default: --root)" },
      { flags: "--dry-run", description: "print per track what would be done, do nothing" },
      {
        flags: "--start-index <n>",
        description: "first source (0-based) of the slice to process",
        parse: intArg(0),
        default: 0,
      },
      {
        flags: "--count <n>",
        description: "number of sources to process from --start-index",
        parse: intArg(1),
      },
      { flags: "--output <file>", description: "results file", default: "batch_results.json" },
      JOBS,
      {
        flags: "--timeout <s>",
        description: "time limit per track in seconds (default: batch.timeout_sec, 300)",
        parse: numberArg(0, true),
      },
      { flags: "--force", description: "redo tracks whose outputs are already complete" },
      { flags: "--keep-work", description: "keep each track's working folder" },
    ],
    examples: [
      ["patina batch --sources selected_sources.csv --root ~/Music/archive", "process every selected track"],
      [
        "patina batch --profile bright --jobs 2 --out /tmp/packs",
        "bright profile, 2 at once, into another folder",
      ],
      ["patina batch --start-index 10 --count 5 --dry-run", "what a slice of five tracks would do"],
    ],
  },
  {
    name: "run",
    summary: "discover, select and batch an archive in one go",
    args: ["<archive>"],
    options: [
      {
        flags: "--output <dir>",
        description: "folder for the catalog, selection, results and export (default: the archive)",
      },
      { flags: "--profile <name>", description: "use config_<name>.yaml" },
      JOBS,
      { flags: "--config <file>", description: "config file (default: ./config.yaml when it exists)" },
      { flags: "--set <key=value>", description: "override one config key (repeatable)", parse: collect },
      ...CACHE_FLAGS,
    ],
    examples: [
      ["patina run ~/Music/archive", "the whole workflow with the defaults"],
      [
        "patina run ~/Music/archive --output ~/packs --profile dark --jobs 2",
        "into another folder, dark profile",
      ],
    ],
  },
  {
    name: "report",
    summary: "(re)build the HTML report of an export folder",
    args: ["[export_dir]"],
    options: [
      { flags: "--open", description: "open the report in the default browser" },
      {
        flags: "--serve",
        description:
          "serve it on 127.0.0.1 (a free port, printed) until Ctrl-C; choices are saved to selection.json",
      },
    ],
    examples: [
      ["patina report", "rebuild export/tr8s/index.html"],
      ["patina report export/tr8s/bright --open", "rebuild a profile's report and open it"],
      ["patina report --serve", "audition over a local HTTP server"],
    ],
  },
  KIT_COMMAND,
  {
    name: "config",
    summary: "write, check and describe configuration files",
    options: [],
    examples: [
      ["patina config init", "write a commented config.yaml (and patina.schema.json) here"],
      ["patina config validate config_bright.yaml", "check a file: errors name the file, line and key"],
      ["patina config show --profile dark --set clouds.grains_per_cloud=300", "the effective config"],
      ["patina config schema > patina.schema.json", "the JSON Schema for editors"],
    ],
    subcommands: [
      {
        name: "init",
        summary: "write a fully commented default config.yaml and patina.schema.json",
        options: [
          { flags: "--force", description: "overwrite existing files" },
          { flags: "--dir <dir>", description: "folder to write into (default: the current folder)" },
        ],
        examples: [
          ["patina config init", "write ./config.yaml and ./patina.schema.json"],
          ["patina config init --force", "overwrite them with the defaults"],
        ],
      },
      {
        name: "validate",
        summary: "check a config file (default ./config.yaml), optionally with a profile and overrides",
        args: ["[file]"],
        options: [
          { flags: "--profile <name>", description: "also merge config_<name>.yaml" },
          { flags: "--set <key=value>", description: "also apply an override (repeatable)", parse: collect },
        ],
        examples: [
          ["patina config validate", "check ./config.yaml"],
          [
            "patina config validate my.yaml --profile bright",
            "check my.yaml with config_bright.yaml over it",
          ],
        ],
      },
      {
        name: "show",
        summary: "print the effective config (YAML, or JSON with --json) with its sources and hash",
        options: [...CONFIG_FLAGS, { flags: "--json", description: "print JSON {config, sources, hash}" }],
        examples: [["patina config show --profile noisy", "what --profile noisy changes, merged"]],
      },
      {
        name: "schema",
        summary: "print the JSON Schema of config files",
        options: [],
        examples: [["patina config schema > patina.schema.json", "for editor autocompletion"]],
      },
    ],
  },
  {
    name: "info",
    summary: "show what patina reads from audio files (like soxi)",
    args: ["<files...>"],
    options: [
      { flags: "--decode", description: "decode fully and report peak, RMS, DC offset and warnings" },
      { flags: "--json", description: "print a JSON array, one object per file" },
    ],
    examples: [
      ["patina info song.wav take.flac", "format, rate, channels, bit depth, duration"],
      ["patina info --decode --json *.mp3", "levels of every file as JSON"],
    ],
  },
  {
    name: "demo",
    summary: "synthesise a small demo archive and run the whole pipeline on it",
    options: [
      {
        flags: "--output <dir>",
        description: "folder for the demo archive and its results",
        default: "demo",
      },
      { flags: "--profile <name>", description: "use config_<name>.yaml" },
      JOBS,
    ],
    examples: [
      ["patina demo", "make ./demo/archive and run patina on it"],
      ["patina demo --output /tmp/patina-demo --profile bright", "elsewhere, with the bright profile"],
    ],
  },
] as const satisfies readonly CommandSpec[];
