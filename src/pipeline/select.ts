/**
 * Phase 2, select: score and filter catalog rows by the config's `selection` rules.
 *
 * Path patterns match whole words of the relative path, case-insensitively. A word edge is the
 * path's start or end or any character that is not a letter or digit, so `test` matches
 * `test takes/a.wav` and `a_test.wav` but not `Greatest Hits/a.wav`. A pattern that itself begins
 * or ends with a non-alphanumeric character carries that edge with it: `_old` needs the underscore
 * and a word end after `old`, so it matches `mix_old.wav` and `x_old/a.wav` but not `mix_older.wav`,
 * `bold.wav` or `Old/a.wav`.
 */
import { ParameterError } from "../core/errors.js";
import { writeTextFileAtomic } from "../io/textfile.js";
import { compareNames } from "../io/walk.js";
import {
  type CatalogRow,
  formatFromPath,
  formatTable,
  SELECTION_COLUMNS,
  type SelectedRow,
  type TableFormat,
} from "./catalog.js";

/** The config's `selection` section (same keys), with the seed's defaults below. */
export interface SelectionRules {
  min_duration_sec: number;
  max_duration_sec: number;
  /** +preferred_path_score (10) for each pattern found in the path. */
  preferred_path_patterns: readonly string[];
  /** Any match rejects the file. */
  skip_path_patterns: readonly string[];
  /** +preferred_channels_score (5) when the file's channel count matches (mono = 1, stereo = 2). */
  preferred_channels: "mono" | "stereo" | null;
  /** +preferred_sample_rate_score (5) when the file's sample rate equals this (Hz). */
  preferred_sample_rate: number | null;
  preferred_path_score: number;
  preferred_channels_score: number;
  preferred_sample_rate_score: number;
}

export const DEFAULT_SELECTION_RULES: SelectionRules = {
  min_duration_sec: 30,
  max_duration_sec: 3600,
  preferred_path_patterns: ["bounces", "masters", "tracks", "songs", "finished", "complete"],
  skip_path_patterns: ["scratch", "test", "demo", "draft", "_old", "rejected", "unused"],
  preferred_channels: null,
  preferred_sample_rate: null,
  preferred_path_score: 10,
  preferred_channels_score: 5,
  preferred_sample_rate_score: 5,
};

export interface RejectedRow {
  readonly row: CatalogRow;
  /** Every rule the file failed, as rule keys (see {@link SelectResult.rejectionsByRule}). */
  readonly rules: string[];
  /** The same, in words: `too short (12.00 s < 30 s)`, `path matches skip pattern "demo"`. */
  readonly reasons: string[];
}

export interface SelectSummary {
  readonly input: number;
  readonly selected: number;
  readonly rejected: number;
  /** Total duration of the selected files in hours. */
  readonly totalHours: number;
  /** Mean duration of the selected files in seconds (0 when none). */
  readonly averageDurationSec: number;
  /** The first five selected rows (highest score). */
  readonly top: SelectedRow[];
}

export interface SelectResult {
  /** Sorted by score (highest first), then by rel_path. */
  readonly selected: SelectedRow[];
  /** In input order. */
  readonly rejected: RejectedRow[];
  /**
   * Files each rule rejected: `min_duration_sec`, `max_duration_sec`, `invalid_duration`,
   * `skip_path_patterns:<pattern>`. A file failing several rules counts under each.
   */
  readonly rejectionsByRule: Record<string, number>;
  readonly summary: SelectSummary;
  /** The rules applied (defaults filled in). */
  readonly rules: SelectionRules;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A whole-word, case-insensitive matcher for one path pattern (see the module comment). */
export function patternMatcher(pattern: string): (path: string) => boolean {
  if (pattern === "") throw new ParameterError("a path pattern must not be empty");
  const chars = [...pattern];
  const before = LETTER_OR_DIGIT.test(chars[0]) ? "(?<![\\p{L}\\p{N}])" : "";
  const after = LETTER_OR_DIGIT.test(chars[chars.length - 1]) ? "(?![\\p{L}\\p{N}])" : "";
  const re = new RegExp(`${before}${escapeRegExp(pattern)}${after}`, "iu");
  return (path) => re.test(path);
}

function checkRules(rules: SelectionRules): void {
  const {
    min_duration_sec: min,
    max_duration_sec: max,
    preferred_channels: ch,
    preferred_sample_rate: sr,
  } = rules;
  if (!Number.isFinite(min) || min < 0)
    throw new ParameterError(`min_duration_sec must be >= 0, got: ${min}`);
  if (!Number.isFinite(max) || max < min) {
    throw new ParameterError(`max_duration_sec must be >= min_duration_sec (${min}), got: ${max}`);
  }
  if (ch !== null && ch !== "mono" && ch !== "stereo") {
    throw new ParameterError(
      `preferred_channels must be null, "mono" or "stereo", got: ${JSON.stringify(ch)}`,
    );
  }
  if (sr !== null && !(Number.isFinite(sr) && sr > 0)) {
    throw new ParameterError(`preferred_sample_rate must be null or a rate in Hz, got: ${sr}`);
  }
  for (const k of [
    "preferred_path_score",
    "preferred_channels_score",
    "preferred_sample_rate_score",
  ] as const) {
    if (!Number.isFinite(rules[k])) throw new ParameterError(`${k} must be a number, got: ${rules[k]}`);
  }
}

/** Ties in score keep the walk's alphabetical order (case-insensitive, see compareNames). */
const byPath = compareNames;

/** Score and filter catalog rows. Rules not given take the defaults. */
export function select(rows: readonly CatalogRow[], rules: Partial<SelectionRules> = {}): SelectResult {
  const r: SelectionRules = { ...DEFAULT_SELECTION_RULES, ...rules };
  checkRules(r);
  const preferred = r.preferred_path_patterns.map(patternMatcher);
  const skips = r.skip_path_patterns.map((p) => ({ p, match: patternMatcher(p) }));
  const preferredChannels =
    r.preferred_channels === "mono" ? 1 : r.preferred_channels === "stereo" ? 2 : null;

  const selected: SelectedRow[] = [];
  const rejected: RejectedRow[] = [];
  const rejectionsByRule: Record<string, number> = {};
  for (const row of rows) {
    const rules: string[] = [];
    const reasons: string[] = [];
    const d = row.duration_sec;
    if (!Number.isFinite(d) || d <= 0) {
      rules.push("invalid_duration");
      reasons.push(`invalid duration (${d})`);
    } else if (d < r.min_duration_sec) {
      rules.push("min_duration_sec");
      reasons.push(`too short (${d.toFixed(2)} s < ${r.min_duration_sec} s)`);
    } else if (d > r.max_duration_sec) {
      rules.push("max_duration_sec");
      reasons.push(`too long (${d.toFixed(2)} s > ${r.max_duration_sec} s)`);
    }
    for (const s of skips) {
      if (s.match(row.rel_path)) {
        rules.push(`skip_path_patterns:${s.p}`);
        reasons.push(`path matches skip pattern "${s.p}"`);
      }
    }
    if (rules.length > 0) {
      for (const k of rules) rejectionsByRule[k] = (rejectionsByRule[k] ?? 0) + 1;
      rejected.push({ row, rules, reasons });
      continue;
    }
    let score = 0;
    for (const m of preferred) if (m(row.rel_path)) score += r.preferred_path_score;
    if (preferredChannels !== null && row.channels === preferredChannels) score += r.preferred_channels_score;
    if (r.preferred_sample_rate !== null && row.sample_rate === r.preferred_sample_rate) {
      score += r.preferred_sample_rate_score;
    }
    selected.push({ ...row, selection_score: score });
  }
  selected.sort((a, b) => b.selection_score - a.selection_score || byPath(a.rel_path, b.rel_path));

  const totalSec = selected.reduce((acc, s) => acc + s.duration_sec, 0);
  return {
    selected,
    rejected,
    rejectionsByRule,
    summary: {
      input: rows.length,
      selected: selected.length,
      rejected: rejected.length,
      totalHours: totalSec / 3600,
      averageDurationSec: selected.length > 0 ? totalSec / selected.length : 0,
      top: selected.slice(0, 5),
    },
    rules: r,
  };
}

/** Write the selection (catalog columns plus selection_score) atomically; returns the format used. */
export async function writeSelection(
  rows: readonly SelectedRow[],
  path: string,
  format?: TableFormat | null,
): Promise<TableFormat> {
  const f = formatFromPath(path, format);
  await writeTextFileAtomic(path, formatSelection(rows, f));
  return f;
}

export function formatSelection(rows: readonly SelectedRow[], format: TableFormat): string {
  return formatTable(rows, SELECTION_COLUMNS, format);
}

/** `[score] path (duration s, rate Hz)` */
export function formatTopLine(row: SelectedRow): string {
  return `[${row.selection_score}] ${row.rel_path} (${row.duration_sec.toFixed(1)} s, ${row.sample_rate} Hz)`;
}

/** The summary `patina select` prints. */
export function formatSelectSummary(result: SelectResult): string[] {
  const s = result.summary;
  const lines = [
    `Input: ${s.input} files`,
    `Selected: ${s.selected}`,
    `Rejected: ${s.rejected}`,
    `Total duration: ${s.totalHours.toFixed(2)} hours`,
    `Average duration: ${s.averageDurationSec.toFixed(1)} s`,
  ];
  if (s.top.length > 0) {
    lines.push(`Top ${s.top.length} by score:`);
    for (const row of s.top) lines.push(`  ${formatTopLine(row)}`);
  }
  const rules = Object.entries(result.rejectionsByRule).sort((a, b) => b[1] - a[1] || byPath(a[0], b[0]));
  if (rules.length > 0) {
    lines.push("Rejected by rule:");
    for (const [rule, n] of rules) lines.push(`  ${ruleLabel(rule, result.rules)}: ${n}`);
  }
  return lines;
}

function ruleLabel(rule: string, rules: SelectionRules): string {
  if (rule.startsWith("skip_path_patterns:"))
    return `skip pattern "${rule.slice("skip_path_patterns:".length)}"`;
  if (rule === "min_duration_sec") return `shorter than min_duration_sec (${rules.min_duration_sec} s)`;
  if (rule === "max_duration_sec") return `longer than max_duration_sec (${rules.max_duration_sec} s)`;
  return "invalid duration";
}

/** One line per rejected file for --explain: `path: reason; reason`. */
export function formatExplain(rejected: readonly RejectedRow[]): string[] {
  return rejected.map((x) => `${x.row.rel_path}: ${x.reasons.join("; ")}`);
}
