/**
 * The benchmark guard: figures of several rounds summarised by their median and spread, compared
 * with the ones recorded in bench/baseline.json, corrected for the host's speed.
 *
 * The host's speed drifts between runs (by up to a third on a shared machine), so every round
 * also times a fixed calibration loop that does not depend on patina's code. Speed and time
 * figures are compared after scaling the baseline by how much slower or faster the calibration
 * ran, and a figure counts as slower only when it lost more than its threshold: the larger of a
 * floor (default 15 %) and twice the relative spread (max - min over median) of its rounds, in
 * the baseline or now, whichever is wider. Memory figures are compared unscaled; counts (files
 * made, frames, rounds) are shown but not judged.
 */
import { median } from "./stats.js";

export type Figures = Record<string, number>;

/** One figure over the rounds of a run. */
export interface Summary {
  median: number;
  /** (max - min) / |median| over the rounds (0 for a single round). */
  spread: number;
  rounds: number[];
}

export interface Baseline {
  /** When, where and how the figures were recorded. */
  recorded: string;
  host: string;
  node: string;
  rounds: number;
  /** CPU milliseconds of the calibration loop (per round). */
  calibration: Summary;
  figures: Record<string, Summary>;
}

/** How a figure is judged: which way is better, and whether it scales with the host's speed. */
export interface FigureKind {
  better: "higher" | "lower";
  hostScaled: boolean;
}

/** Judged by name: speeds and times scale with the host, memory does not, counts are not judged. */
export function figureKind(name: string): FigureKind | null {
  if (/_(files|frames|found|rounds)$|^rounds$|_rounds$|fetched_sec_per_run$|_every_/.test(name)) return null;
  if (/speedup_/.test(name)) return { better: "higher", hostScaled: false };
  if (/x_realtime(_cpu)?$|_per_s$|_per_min$|_per_wall_min$/.test(name))
    return { better: "higher", hostScaled: true };
  if (/_(mb|bytes_per_frame)$/.test(name)) return { better: "lower", hostScaled: false };
  if (/_(ms|s|sec|cpu_ms)$/.test(name)) return { better: "lower", hostScaled: true };
  return null;
}

export function summarise(rounds: readonly number[]): Summary {
  const m = median(rounds);
  const spread = rounds.length > 1 && m !== 0 ? (Math.max(...rounds) - Math.min(...rounds)) / Math.abs(m) : 0;
  return { median: m, spread, rounds: [...rounds] };
}

/** Per-figure summaries of several rounds of the same benchmarks. */
export function summariseRounds(rounds: readonly Figures[]): Record<string, Summary> {
  const names = new Set(rounds.flatMap((r) => Object.keys(r)));
  const out: Record<string, Summary> = {};
  for (const name of names) {
    const values = rounds.map((r) => r[name]).filter((v): v is number => Number.isFinite(v));
    if (values.length > 0) out[name] = summarise(values);
  }
  return out;
}

export type Verdict = "slower" | "ok" | "faster" | "info" | "new";

export interface Comparison {
  name: string;
  baseline: number | undefined;
  now: number;
  /** Host speed factor applied (calibration now / then; 1 when not host-scaled). */
  host: number;
  /** Relative loss after the host correction: > 0 means worse (0.2 = 20 % slower). */
  loss: number;
  threshold: number;
  verdict: Verdict;
}

export interface CompareOptions {
  /** Smallest relative loss that can count as slower. */
  floor: number;
  /** Threshold = max(floor, spreadFactor * spread). */
  spreadFactor: number;
}

export const COMPARE_DEFAULTS: CompareOptions = { floor: 0.15, spreadFactor: 2 };

/**
 * Compare a run with the baseline. `hostFactor` = calibration time now / at recording (> 1: the
 * host is slower now, so host-scaled figures are allowed to be that much worse).
 */
export function compare(
  baseline: Record<string, Summary>,
  now: Record<string, Summary>,
  hostFactor: number,
  options: Partial<CompareOptions> = {},
): Comparison[] {
  const o = { ...COMPARE_DEFAULTS, ...options };
  const rows: Comparison[] = [];
  for (const [name, cur] of Object.entries(now)) {
    const kind = figureKind(name);
    const base = baseline[name];
    if (!base) {
      rows.push({
        name,
        baseline: undefined,
        now: cur.median,
        host: 1,
        loss: 0,
        threshold: 0,
        verdict: "new",
      });
      continue;
    }
    if (!kind || base.median === 0 || cur.median === 0) {
      rows.push({
        name,
        baseline: base.median,
        now: cur.median,
        host: 1,
        loss: 0,
        threshold: 0,
        verdict: "info",
      });
      continue;
    }
    const host = kind.hostScaled ? hostFactor : 1;
    // Expected now on this host: times grow with a slower host, speeds shrink.
    const expected = kind.better === "lower" ? base.median * host : base.median / host;
    const loss = kind.better === "lower" ? cur.median / expected - 1 : expected / cur.median - 1;
    const threshold = Math.max(o.floor, o.spreadFactor * Math.max(base.spread, cur.spread));
    const verdict: Verdict = loss > threshold ? "slower" : loss < -threshold ? "faster" : "ok";
    rows.push({ name, baseline: base.median, now: cur.median, host, loss, threshold, verdict });
  }
  return rows;
}

const pct = (v: number): string => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(0)} %`;
const num = (v: number | undefined): string =>
  v === undefined ? "-" : Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();

/** The comparison as an aligned text table (worst first). */
export function formatTable(rows: readonly Comparison[]): string {
  const order: Record<Verdict, number> = { slower: 0, faster: 1, ok: 2, new: 3, info: 4 };
  const sorted = [...rows].sort((a, b) => order[a.verdict] - order[b.verdict] || b.loss - a.loss);
  const table = [
    ["figure", "baseline", "now", "host", "loss", "threshold", "verdict"],
    ...sorted.map((r) => [
      r.name,
      num(r.baseline),
      num(r.now),
      r.host === 1 ? "" : `x${r.host.toFixed(2)}`,
      r.verdict === "info" || r.verdict === "new" ? "" : pct(r.loss),
      r.verdict === "info" || r.verdict === "new" ? "" : `${(r.threshold * 100).toFixed(0)} %`,
      r.verdict === "slower" ? "SLOWER" : r.verdict,
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table
    .map((row) =>
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "),
    )
    .join("\n");
}
