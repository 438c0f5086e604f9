/**
 * Config text to a layer: YAML parsed with line numbers kept, and everything a config never needs
 * refused as a ConfigError naming the file (syntax errors, aliases that expand to huge data,
 * nesting deeper than any config, a document that is not a mapping).
 */
import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../core/errors.js";

export type Data = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Data =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A value as messages show it: `"x"`, `a list [1,2]`, `NaN` (JSON would print NaN as null). */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  // YAML's .nan and .inf: JSON would print them as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return `a list ${JSON.stringify(value)}`;
  if (typeof value === "object") return "a mapping";
  return JSON.stringify(value);
}

/** One source of settings, merged in precedence order. */
export interface Layer {
  /** How the layer is shown in messages: a file path relative to cwd, or `--set k=v`. */
  readonly label: string;
  /** Absolute file path, for file layers. */
  readonly file: string | undefined;
  readonly data: Data;
  readonly doc: Document | undefined;
  readonly lineCounter: LineCounter | undefined;
}

/** Deeper than any config (sections hold scalars and lists): more means a broken or hostile file. */
const MAX_DEPTH = 32;

/** A YAML problem as a ConfigError `label:line: invalid YAML: why`. */
function yamlError(
  label: string,
  file: string | undefined,
  line: number,
  why: string,
  cause?: unknown,
): ConfigError {
  const e = new ConfigError(`invalid YAML: ${why}`, { path: file, line, cause });
  e.message = `${label}:${line}: invalid YAML: ${why}`;
  return e;
}

const TOO_DEEP = `nested more than ${MAX_DEPTH} levels deep (patina's config has sections of keys, lists at most)`;

/** How deep `value` nests (a scalar is 0), counted without recursion so no depth overflows the stack. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (d > max) max = d;
    if (d > MAX_DEPTH) break;
    if (v !== null && typeof v === "object") for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Parse YAML text into a layer; syntax errors and non-mapping documents become ConfigErrors. */
export function parseConfigText(text: string, file: string | undefined, label: string): Layer {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    // The parser recurses per nesting level: thousands of levels overflow the stack.
    if (err instanceof RangeError) throw yamlError(label, file, 1, TOO_DEEP, err);
    throw err;
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lineCounter.linePos(err.pos[0]).line;
    const message = err.message.split("\n")[0];
    throw yamlError(label, file, line, /call stack/i.test(message) ? TOO_DEEP : message);
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof RangeError) throw yamlError(label, file, 1, TOO_DEEP, err);
    // The yaml library refuses aliases that expand past maxAliasCount nodes ("billion laughs").
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      const why = "its aliases (*name) expand to too much data; a config file needs no aliases this large";
      throw yamlError(label, file, 1, why, err);
    }
    throw err;
  }
  if (depthOf(js) > MAX_DEPTH) throw yamlError(label, file, 1, TOO_DEEP);
  if (js !== null && js !== undefined && !isPlainObject(js)) {
    const e = new ConfigError("not a mapping", { path: file, line: 1 });
    e.message = `${label}:1: a config file must be a mapping of sections (like "clouds:"), got: ${describe(js)}`;
    throw e;
  }
  return { label, file, data: (js ?? {}) as Data, doc, lineCounter };
}

/** Turn `clouds.grains_per_cloud=300` into a layer `{clouds: {grains_per_cloud: 300}}`. */
export function parseSet(assignment: string): Layer {
  const label = `--set ${assignment}`;
  const eq = assignment.indexOf("=");
  const key = eq < 0 ? "" : assignment.slice(0, eq).trim();
  if (eq < 0 || key === "" || key.split(".").some((k) => k === "")) {
    throw new ConfigError(
      `${label}: expected key.path=value, e.g. --set clouds.grains_per_cloud=300 or --set drones.pitch_shift_semitones=[0,12]`,
    );
  }
  const layer = parseConfigText(`v: ${assignment.slice(eq + 1)}`, undefined, label);
  let value: unknown = layer.data.v;
  const parts = key.split(".");
  for (let i = parts.length - 1; i >= 0; i--) value = { [parts[i]]: value };
  return { label, file: undefined, data: value as Data, doc: undefined, lineCounter: undefined };
}
