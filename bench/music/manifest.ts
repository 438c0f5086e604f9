/**
 * patina's export read defensively for the music bench: every manifest.csv under the export folder,
 * each row as plain strings, the columns the bench understands picked out (absent or new columns
 * are fine), params parsed when they are JSON. Nothing here assumes a column exists.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { parseCsv } from "../../src/io/csv.js";

export interface Output {
  /** Absolute path of the WAV (it may not exist: saved=false or a listed duplicate). */
  readonly path: string;
  readonly file: string;
  readonly source: string;
  readonly type: string;
  readonly category: string;
  readonly grade: string;
  readonly score: number | null;
  readonly rootMidi: number | null;
  readonly rootConfidence: number | null;
  readonly rootCents: number | null;
  readonly duplicateOf: string;
  readonly saved: boolean;
  readonly params: Record<string, unknown>;
  /** The manifest's columns as read, for what the bench does not know yet. */
  readonly raw: Record<string, string>;
}

function manifestsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith(".")) out.push(...manifestsUnder(join(dir, e.name)));
    else if (e.isFile() && e.name === "manifest.csv") out.push(join(dir, e.name));
  }
  return out;
}

const num = (s: string | undefined): number | null => {
  if (s === undefined || s.trim() === "") return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
};

function parseParams(s: string | undefined): Record<string, unknown> {
  if (!s) return {};
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Every row of every manifest under `exportDir`, and the columns seen. */
export function readOutputs(exportDir: string): { outputs: Output[]; columns: string[] } {
  const outputs: Output[] = [];
  const columns = new Set<string>();
  for (const m of manifestsUnder(exportDir)) {
    for (const r of parseCsv(readFileSync(m, "utf8"))) {
      for (const k of Object.keys(r)) columns.add(k);
      const file = r.file ?? "";
      outputs.push({
        path: join(dirname(m), file),
        file,
        source: r.source ?? "",
        type: r.type ?? "",
        category: r.category ?? "",
        grade: r.grade ?? "",
        score: num(r.score),
        rootMidi: num(r.root_midi),
        rootConfidence: num(r.root_confidence),
        rootCents: num(r.root_cents),
        duplicateOf: r.duplicate_of ?? "",
        saved: (r.saved ?? "true") !== "false",
        params: parseParams(r.params),
        raw: r,
      });
    }
  }
  return { outputs, columns: [...columns] };
}

/** A finite number from the params, or null. */
export function param(o: Output, key: string): number | null {
  const v = o.params[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The source window [start, end] (s) an output came from, when its params say so. */
export function sourceWindow(o: Output): { start: number; end: number } | null {
  const start = param(o, "source_start_sec");
  const end = param(o, "source_end_sec");
  return start !== null && end !== null && end > start ? { start, end } : null;
}

/** The pitch shift (semitones) of a drone variant: params, else the `_pitch+7` in its name, else 0. */
export function pitchShift(o: Output): number {
  const p = param(o, "pitch_semitones");
  if (p !== null) return p;
  const m = /_pitch([+-]\d+(?:\.\d+)?)/.exec(o.file);
  return m ? Number(m[1]) : 0;
}

/** Why make skipped a source or a phase of it (`--json-output`'s `skipped`), read defensively. */
export interface Skip {
  readonly phase: string;
  /** The source's file stem. */
  readonly source: string;
  readonly reason: string;
}

export function readSkips(statsPath: string): Skip[] {
  try {
    const stats: unknown = JSON.parse(readFileSync(statsPath, "utf8"));
    const list = (stats as { skipped?: unknown }).skipped;
    if (!Array.isArray(list)) return [];
    return list.map((s: Record<string, unknown>) => ({
      phase: String(s.phase ?? ""),
      source: basename(String(s.source ?? ""), extname(String(s.source ?? ""))),
      reason: String(s.reason ?? ""),
    }));
  } catch {
    return [];
  }
}
