/**
 * `npm run bench -- music`: patina on real music with known notes (issue 14). Renders the pieces of
 * pieces.ts with fluidsynth and the FluidR3 GM soundfont into a temporary working folder, runs the
 * built CLI (`make --all --seed 1`) on it, and checks the export against the truth: root notes,
 * what the pads hold, steadiness and loop points, near-duplicates, grades. Prints a table and the
 * figures; writes a JSON summary so that two runs (two builds) can be compared.
 *
 * Flags (after `music`), or the environment variables in brackets:
 *   --json <file>     write the JSON summary there                   [BENCH_MUSIC_JSON]
 *   --compare <file>  print this run's figures beside an earlier one  [BENCH_MUSIC_COMPARE]
 *   --cli <bin.js>    the patina CLI to run (another build)           [BENCH_MUSIC_CLI]
 *                     (default: this checkout's dist/cli/bin.js; `npm run build` first)
 *   --keep            keep the working folder and print its path      [BENCH_MUSIC_KEEP=1]
 *   --reuse <dir>     evaluate a kept working folder again, without rendering or running make
 *                                                                     [BENCH_MUSIC_REUSE]
 * Needs fluidsynth and /usr/share/sounds/sf2/FluidR3_GM.sf2; without them it says so and does nothing.
 * Standalone: `node --import tsx bench/music/index.ts --json out.json`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { evaluate } from "./evaluate.js";
import { readOutputs, readSkips } from "./manifest.js";
import { missingTools, renderedPieces, renderPieces } from "./render.js";
import { printComparison, printReport } from "./report.js";
import { figures } from "./summary.js";

interface Flags {
  json: string | null;
  compare: string | null;
  cli: string;
  keep: boolean;
  reuse: string | null;
}

function parseFlags(args: readonly string[]): Flags {
  const env = process.env;
  const value = (name: string): string | null => {
    const k = args.indexOf(name);
    return k >= 0 && k + 1 < args.length ? args[k + 1] : null;
  };
  return {
    json: value("--json") ?? env.BENCH_MUSIC_JSON ?? null,
    compare: value("--compare") ?? env.BENCH_MUSIC_COMPARE ?? null,
    cli: resolve(
      value("--cli") ?? env.BENCH_MUSIC_CLI ?? join(import.meta.dirname, "..", "..", "dist", "cli", "bin.js"),
    ),
    keep: args.includes("--keep") || env.BENCH_MUSIC_KEEP === "1",
    reuse: value("--reuse") ?? env.BENCH_MUSIC_REUSE ?? null,
  };
}

export async function benchMusic(args: readonly string[] = []): Promise<Record<string, number>> {
  const flags = parseFlags(args);
  const missing = missingTools();
  if (missing) {
    console.log(`music bench skipped: ${missing}`);
    return {};
  }
  if (!flags.reuse && !existsSync(flags.cli))
    throw new Error(`no patina CLI at ${flags.cli} (run npm run build first)`);
  const root = flags.reuse ?? mkdtempSync(join(tmpdir(), "patina-bench-music-"));
  const keep = flags.keep || flags.reuse !== null;
  const t0 = performance.now();
  try {
    const sources = flags.reuse ? renderedPieces(root) : await renderPieces(root);
    const renderSec = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    if (!flags.reuse) runMake(flags.cli, root);
    const makeSec = flags.reuse ? Number.NaN : (performance.now() - t1) / 1000;
    const { outputs, columns } = readOutputs(join(root, "export"));
    const ev = evaluate(outputs, sources, columns);
    const skips = readSkips(join(root, STATS));
    const fig = {
      pieces: sources.size,
      audio_sec: Math.round([...sources.values()].reduce((s, p) => s + p.truth.endSec, 0)),
      ...figures(ev, [...sources.keys()]),
      render_wall_s: round2(renderSec),
      make_wall_s: round2(makeSec),
      bench_wall_s: round2((performance.now() - t0) / 1000),
    };
    printReport(ev, fig, new Map([...sources].map(([k, p]) => [k, p.truth])), skips);
    if (flags.compare) {
      const old = JSON.parse(readFileSync(flags.compare, "utf8")) as { figures?: Record<string, number> };
      printComparison(old.figures ?? {}, fig);
    }
    if (flags.json) {
      const summary = { cli: flags.cli, date: new Date().toISOString(), figures: fig, skips, ...ev };
      writeFileSync(flags.json, `${JSON.stringify(summary, null, 1)}\n`);
      console.log(`summary written to ${flags.json}`);
    }
    if (keep) console.log(`working folder kept: ${root}`);
    return fig;
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

const STATS = "make-stats.json";

/** `patina make --all --seed 1` on the working folder, by the given CLI in its own process. */
function runMake(cli: string, root: string): void {
  // The audition page is not measured here: leave it out to save time.
  const res = spawnSync(
    process.execPath,
    [cli, "make", "--all", "--quiet", "--root", root, "--seed", "1"].concat([
      "--set",
      "report.enabled=false",
      "--json-output",
      join(root, STATS),
    ]),
    { encoding: "utf8" },
  );
  if (res.status !== 0) throw new Error(`patina make failed (exit ${res.status}):\n${res.stderr}`);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const fig = await benchMusic(process.argv.slice(2));
  for (const [k, v] of Object.entries(fig)) console.log(`${k}: ${v}`);
}
