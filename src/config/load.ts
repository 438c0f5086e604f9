/**
 * Loading the configuration: defaults < config.yaml < profile < --set, merged as plain data and
 * validated once against the schema. Every layer remembers which keys it set (and, for files, the
 * parsed YAML document), so each validation error names the file and line the user wrote.
 */
import { createHash } from "node:crypto";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { isFile, listNames } from "../io/fs.js";
import { readTextFile } from "../io/textfile.js";
import { type Data, describe, isPlainObject, type Layer, parseConfigText, parseSet } from "./parse.js";
import { allKeyPaths, objectSchemaAt } from "./render.js";
import { ConfigSchema, type PatinaConfig } from "./schema.js";
import { nearest } from "./suggest.js";

export { type Layer, parseConfigText, parseSet } from "./parse.js";

/** Default config file name looked up in the working folder. */
export const CONFIG_FILE = "config.yaml";

/** Folder of the config files shipped with patina (default config and profiles). */
export const SHIPPED_CONFIG_DIR: string = fileURLToPath(new URL("../../config/", import.meta.url));

export interface LoadConfigOptions {
  /** Config file (`--config`); relative to `cwd`. Default: `<cwd>/config.yaml` when it exists. */
  readonly configPath: string | undefined;
  /** Profile name (`--profile bright` reads `config_bright.yaml` next to the config file). */
  readonly profile: string | undefined;
  /** Overrides as `key.path=value` (`--set`); values are YAML (scalars, `[lists]`). */
  readonly sets: readonly string[];
  /** Folder relative paths are resolved against. Default: `process.cwd()`. */
  readonly cwd: string;
}

export interface LoadedConfig {
  /** The validated effective configuration. */
  readonly config: PatinaConfig;
  /** What was merged, in precedence order: "defaults", file paths, then `--set key=value`. */
  readonly sources: string[];
  /** sha256 (hex) of the effective config with sorted keys: equal configs, equal hashes. */
  readonly hash: string;
}

/** One validation problem, located. */
export interface ConfigIssue {
  /** File (as shown to the user) or `--set ...`; undefined when the key came from the defaults. */
  readonly source: string | undefined;
  readonly line: number | undefined;
  readonly keyPath: string;
  readonly message: string;
}

/** A config that failed validation; `message` lists every issue, one per line. */
export class ConfigValidationError extends ConfigError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], filePath: string | undefined) {
    const first = issues[0];
    super(first.message, { path: filePath, keyPath: first.keyPath, line: first.line });
    this.issues = issues;
    this.message = issues.map(formatIssue).join("\n");
  }
}

/** `config.yaml:12: clouds.grains_per_cloud: must be >= 1, got: 0` */
export function formatIssue(issue: ConfigIssue): string {
  const where =
    issue.source === undefined
      ? ""
      : issue.line === undefined
        ? `${issue.source}: `
        : `${issue.source}:${issue.line}: `;
  return `${where}${issue.keyPath}: ${issue.message}`;
}

type PathKey = string | number;

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

async function readLayer(file: string, cwd: string): Promise<Layer> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "config file not found" : `cannot read config file (${code ?? String(cause)})`;
    throw new ConfigError(why, { path: displayPath(file, cwd), cause });
  }
  return parseConfigText(text, file, displayPath(file, cwd));
}

/** Deep-merge `src` into `target` (objects merge, lists and scalars replace) and record origins. */
function overlay(
  target: Data,
  src: Data,
  layerIndex: number,
  origins: Map<string, number>,
  prefix: PathKey[],
): void {
  for (const [key, value] of Object.entries(src)) {
    const path = [...prefix, key];
    // `clouds:` with every key commented out parses as null: treat it as an empty section.
    if (value === null && objectSchemaAt(path) !== undefined) continue;
    if (isPlainObject(value) && isPlainObject(target[key])) {
      origins.set(path.join("."), layerIndex);
      overlay(target[key] as Data, value, layerIndex, origins, path);
    } else {
      target[key] = structuredClone(value);
      markAll(value, path, layerIndex, origins);
    }
  }
}

function markAll(value: unknown, path: PathKey[], layerIndex: number, origins: Map<string, number>): void {
  origins.set(path.join("."), layerIndex);
  if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) markAll(v, [...path, k], layerIndex, origins);
  else if (Array.isArray(value))
    value.forEach((v, i) => {
      markAll(v, [...path, i], layerIndex, origins);
    });
}

/** The line of the deepest node on `path` in a parsed document (the key's line for map entries). */
function lineOf(layer: Layer, path: readonly PathKey[]): number | undefined {
  if (!layer.doc || !layer.lineCounter) return undefined;
  let node: unknown = layer.doc.contents;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : layer.lineCounter.linePos(offset).line;
}

const TYPE_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  boolean: "true or false",
  string: "a string",
  array: "a list",
  object: "a mapping (section)",
};

function leafSchemaAt(path: readonly PathKey[]): z.ZodType | undefined {
  const parent = objectSchemaAt(path.slice(0, -1));
  const key = path[path.length - 1];
  return parent && typeof key === "string" ? (parent.shape as Record<string, z.ZodType>)[key] : undefined;
}

function isNullable(path: readonly PathKey[]): boolean {
  const leaf = leafSchemaAt(path);
  return leaf?.safeParse(null).success === true;
}

interface RawIssue {
  readonly path: PathKey[];
  readonly message: string;
  /** Other keys involved (cross-field rules): the error is shown where the user set one of them. */
  readonly related: readonly string[];
}

function unknownKeyMessage(parent: PathKey[], key: string): string {
  const siblings = objectSchemaAt(parent);
  const local = siblings ? nearest(key, Object.keys(siblings.shape)) : undefined;
  if (local !== undefined) return `unknown key, did you mean "${local}"?`;
  // A known key in the wrong section ("grains_per_cloud" under hiss) or a misspelt section.
  const elsewhere = allKeyPaths().filter((p) => p.endsWith(`.${key}`) || p === key);
  if (elsewhere.length > 0) return `unknown key here, did you mean "${elsewhere[0]}"?`;
  const sections = parent.length === 0 ? undefined : nearest(key, allKeyPaths());
  if (sections !== undefined) return `unknown key, did you mean "${sections}"?`;
  const known = siblings ? Object.keys(siblings.shape).join(", ") : "";
  return known ? `unknown key (known keys: ${known})` : "unknown key";
}

function rawIssues(issues: readonly z.core.$ZodIssue[]): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== "symbol");
    const got = `got: ${describe(issue.input)}`;
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys)
          out.push({ path: [...path, key], message: unknownKeyMessage(path, key), related: [] });
        break;
      case "invalid_type": {
        const nonFinite = typeof issue.input === "number" && !Number.isFinite(issue.input);
        const expected = nonFinite ? "a finite number" : (TYPE_NAMES[issue.expected] ?? issue.expected);
        const orNull = isNullable(path) ? " or null" : "";
        out.push({ path, message: `must be ${expected}${orNull}, ${got}`, related: [] });
        break;
      }
      case "too_small":
      case "too_big": {
        const small = issue.code === "too_small";
        const bound = small ? issue.minimum : issue.maximum;
        const op = small ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
        const message =
          issue.origin === "array"
            ? `must hold ${small ? "at least" : "at most"} ${bound} item(s), ${got}`
            : issue.origin === "string"
              ? small
                ? `must not be empty, ${got}`
                : `must be at most ${bound} characters, ${got}`
              : `must be ${op} ${bound}, ${got}`;
        out.push({ path, message, related: [] });
        break;
      }
      case "invalid_value": {
        const values = issue.values.map((v) => JSON.stringify(v));
        const hint =
          typeof issue.input === "string" ? nearest(issue.input, issue.values.map(String)) : undefined;
        const suggestion = hint === undefined ? "" : `, did you mean "${hint}"?`;
        out.push({ path, message: `must be one of ${values.join(", ")}, ${got}${suggestion}`, related: [] });
        break;
      }
      case "custom": {
        const related = (issue.params as { related?: string[] } | undefined)?.related ?? [];
        out.push({ path, message: issue.message, related });
        break;
      }
      default:
        out.push({ path, message: `${issue.message}, ${got}`, related: [] });
    }
  }
  return out;
}

/** Find which layer set `path` (or its nearest set ancestor); -1 = defaults. */
function originOf(path: readonly PathKey[], origins: Map<string, number>): number {
  for (let n = path.length; n > 0; n--) {
    const index = origins.get(path.slice(0, n).join("."));
    if (index !== undefined) return index;
  }
  return -1;
}

function locate(raw: RawIssue, layers: readonly Layer[], origins: Map<string, number>): ConfigIssue {
  // Cross-field rules point at the involved key the user set last (highest precedence).
  let path = raw.path;
  let index = originOf(path, origins);
  for (const other of raw.related) {
    const otherPath = other.split(".");
    const otherIndex = originOf(otherPath, origins);
    if (otherIndex > index) {
      path = otherPath;
      index = otherIndex;
    }
  }
  const layer = index >= 0 ? layers[index] : undefined;
  return {
    source: layer?.label,
    line: layer ? lineOf(layer, path) : undefined,
    keyPath: path.join("."),
    message: raw.message,
  };
}

/** Validate merged layers (in precedence order, lowest first); throws ConfigValidationError. */
export function validateLayers(layers: readonly Layer[]): PatinaConfig {
  const merged: Data = {};
  const origins = new Map<string, number>();
  layers.forEach((layer, i) => {
    overlay(merged, layer.data, i, origins, []);
  });
  const result = ConfigSchema.safeParse(merged, { reportInput: true });
  if (result.success) return result.data;
  const issues = rawIssues(result.error.issues).map((raw) => locate(raw, layers, origins));
  const firstLayerIndex = originOf(issues.length ? issues[0].keyPath.split(".") : [], origins);
  throw new ConfigValidationError(issues, firstLayerIndex >= 0 ? layers[firstLayerIndex].file : undefined);
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Stable hash of an effective configuration (sha256 hex of the sorted-key JSON). */
export function configHash(config: PatinaConfig): string {
  return createHash("sha256").update(stableStringify(config)).digest("hex");
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Profile names available in a folder (from `config_<name>.yaml` files). */
export async function listProfiles(dir: string): Promise<string[]> {
  return (await listNames(dir))
    .map((n) => /^config_(.+)\.yaml$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

const exists = isFile;

/** Find `config_<profile>.yaml` next to the config file, else among the shipped profiles. */
async function resolveProfile(profile: string, baseDir: string, cwd: string): Promise<string> {
  if (!PROFILE_NAME.test(profile)) {
    throw new ConfigError(
      `--profile ${JSON.stringify(profile)}: a profile name is letters, digits, "_" and "-"`,
    );
  }
  for (const dir of [baseDir, SHIPPED_CONFIG_DIR]) {
    const file = join(dir, `config_${profile}.yaml`);
    if (await exists(file)) return file;
  }
  const available = [
    ...new Set([...(await listProfiles(baseDir)), ...(await listProfiles(SHIPPED_CONFIG_DIR))]),
  ];
  const hint = nearest(profile, available);
  throw new ConfigError(
    `--profile ${profile}: no config_${profile}.yaml in ${displayPath(baseDir, cwd) || "."} nor among the shipped profiles` +
      (hint ? `; did you mean "${hint}"?` : "") +
      (available.length ? ` (available: ${available.join(", ")})` : ""),
  );
}

/**
 * Load the effective configuration: defaults < config file < profile < --set.
 * Throws ConfigError (ConfigValidationError for invalid values) naming file, line and key.
 */
export async function loadConfig(options: Partial<LoadConfigOptions> = {}): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const layers: Layer[] = [];
  let baseDir = cwd;
  if (options.configPath !== undefined) {
    const file = resolve(cwd, options.configPath);
    layers.push(await readLayer(file, cwd));
    baseDir = dirname(file);
  } else {
    const file = join(cwd, CONFIG_FILE);
    if (await exists(file)) layers.push(await readLayer(file, cwd));
  }
  if (options.profile !== undefined) {
    layers.push(await readLayer(await resolveProfile(options.profile, baseDir, cwd), cwd));
  }
  for (const assignment of options.sets ?? []) layers.push(parseSet(assignment));
  const config = validateLayers(layers);
  return {
    config,
    sources: ["defaults", ...layers.map((l) => l.file ?? l.label)],
    hash: configHash(config),
  };
}

/** Validate one file on its own (over the defaults), as `patina config validate FILE` does. */
export async function validateConfigFile(file: string, cwd: string = process.cwd()): Promise<LoadedConfig> {
  return loadConfig({ configPath: file, cwd });
}
