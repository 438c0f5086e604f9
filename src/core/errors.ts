/**
 * One root error class with named subclasses. Messages carry the bad value and, where one is
 * involved, the file path, so a user can act on them without a stack trace.
 */
export class PatinaError extends Error {
  /** File the error concerns, if any. */
  readonly path: string | undefined;
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super(options.path ? `${options.path}: ${message}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.path = options.path;
  }
}

/** A parameter outside its allowed range or of the wrong kind (programming or usage error). */
export class ParameterError extends PatinaError {}

/** The file is not audio, or is audio patina cannot read (truncated, unsupported codec, ...). */
export class DecodeError extends PatinaError {
  readonly reason: DecodeErrorReason;
  constructor(reason: DecodeErrorReason, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options);
    this.reason = reason;
  }
}

export type DecodeErrorReason =
  | "not-audio"
  | "unsupported-codec"
  | "truncated"
  | "zero-length"
  | "non-finite"
  | "corrupt"
  | "io";

/** Invalid configuration: unknown key, wrong type, out of range. */
export class ConfigError extends PatinaError {
  /** Dotted key path, e.g. `clouds.grains_per_cloud`. */
  readonly keyPath: string | undefined;
  /** 1-based line in the config file, when known. */
  readonly line: number | undefined;
  constructor(
    message: string,
    options: { path?: string; keyPath?: string; line?: number; cause?: unknown } = {},
  ) {
    super(message, options);
    this.keyPath = options.keyPath;
    this.line = options.line;
  }
}

/** Bad command-line usage (contradictory flags, missing argument). Exit code 2. */
export class UsageError extends PatinaError {}

/** An output folder patina cannot create files in (read-only). Exit code 2: the user picks another. */
export class ReadOnlyFolderError extends UsageError {}

/** Who holds an output folder's lock, as its lock file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the holder started. */
  readonly started: string;
  /** What the holder runs, e.g. "patina batch". */
  readonly command: string;
}

/** Another run is writing to the same output folder. Exit code 2: nothing was done. */
export class FolderLockedError extends UsageError {
  readonly holder: LockHolder;
  constructor(message: string, holder: LockHolder, options: { path?: string } = {}) {
    super(message, options);
    this.holder = holder;
  }
}

/** Writing an output failed. */
export class WriteError extends PatinaError {}
