/**
 * Things derived from the one schema: the fully commented default `config.yaml` and the JSON
 * Schema for editors. The shipped `config/config.yaml` and `config/patina.schema.json` are these
 * outputs verbatim (a test keeps them equal), so they never drift from the code.
 */
import { stringify } from "yaml";
import { z } from "zod";
import { ConfigSchema, ConfigShape, DEFAULT_CONFIG } from "./schema.js";

/** File name of the JSON Schema that `config init` writes next to config.yaml. */
export const JSON_SCHEMA_FILE = "patina.schema.json";

/** Strip default/prefault/nullable/optional wrappers, keeping the first description found. */
export function unwrapSchema(schema: z.ZodType): { inner: z.ZodType; description: string | undefined } {
  let inner = schema;
  let description = schema.description;
  for (;;) {
    if (
      inner instanceof z.ZodDefault ||
      inner instanceof z.ZodPrefault ||
      inner instanceof z.ZodNullable ||
      inner instanceof z.ZodOptional
    ) {
      inner = inner.unwrap() as z.ZodType;
      description ??= inner.description;
    } else {
      return { inner, description };
    }
  }
}

/** The object schema at a key path (e.g. ["clouds", "pitch_shift_range"]), or undefined. */
export function objectSchemaAt(path: readonly (string | number)[]): z.ZodObject | undefined {
  let node: z.ZodType = ConfigShape;
  for (const key of path) {
    const { inner } = unwrapSchema(node);
    if (!(inner instanceof z.ZodObject) || typeof key !== "string") return undefined;
    const child = (inner.shape as Record<string, z.ZodType>)[key];
    if (child === undefined) return undefined;
    node = child;
  }
  const { inner } = unwrapSchema(node);
  return inner instanceof z.ZodObject ? inner : undefined;
}

/** Every leaf key path of the schema ("clouds.pitch_shift_range.min", ...), in file order. */
export function allKeyPaths(): string[] {
  const out: string[] = [];
  const walk = (obj: z.ZodObject, prefix: string): void => {
    for (const [key, child] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      const { inner } = unwrapSchema(child);
      if (inner instanceof z.ZodObject) walk(inner, `${prefix}${key}.`);
      else out.push(`${prefix}${key}`);
    }
  };
  walk(ConfigShape, "");
  return out;
}

const HEADER = `# yaml-language-server: $schema=./${JSON_SCHEMA_FILE}
#
# patina configuration. Every key is optional: a missing key takes the default shown here, and an
# unknown key is an error. Precedence: defaults < this file < profile (--profile NAME reads
# config_NAME.yaml next to this file) < --set key=value on the command line.
# Written by \`patina config init\`; check a file with \`patina config validate FILE\`.
`;

function scalarYaml(value: unknown): string {
  // Flow style keeps lists on one line, as a person would write them.
  return stringify(value, { flow: true, flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

function wrapComment(text: string, indent: string): string[] {
  const width = 100 - indent.length - 2;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`${indent}# ${line}`);
  return lines;
}

/** The fully commented default config.yaml, generated from the schema's descriptions and defaults. */
export function renderDefaultConfigYaml(): string {
  const lines: string[] = [HEADER.trimEnd()];
  const walk = (obj: z.ZodObject, values: Record<string, unknown>, depth: number): void => {
    const indent = "  ".repeat(depth);
    for (const [key, child] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      const { inner, description } = unwrapSchema(child);
      if (depth === 0) lines.push("");
      if (description) lines.push(...wrapComment(description, indent));
      if (inner instanceof z.ZodObject) {
        lines.push(`${indent}${key}:`);
        walk(inner, values[key] as Record<string, unknown>, depth + 1);
      } else {
        lines.push(`${indent}${key}: ${scalarYaml(values[key])}`);
      }
    }
  };
  walk(ConfigShape, DEFAULT_CONFIG as unknown as Record<string, unknown>, 0);
  return `${lines.join("\n")}\n`;
}

/** JSON Schema (draft 2020-12) of what a config file may hold. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: "patina configuration",
    description: "config.yaml and config_<profile>.yaml of patina. Every key is optional.",
  };
}

/** The JSON Schema as the text of `patina.schema.json`. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
