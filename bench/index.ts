/**
 * `npm run bench`: every benchmark, printed as "name: value" lines (medians over the rounds), then
 * compared with the figures recorded in bench/baseline.json: a table of what got slower by more
 * than the host's noise (see guard.ts), exit code 1 when something did.
 *
 *   npm run bench -- dsp analysis          a subset
 *   npm run bench -- dsp --rounds 5        more rounds (default 3): a steadier median and spread
 *   npm run bench -- --record              record the figures as the new baseline (merged per figure)
 *   npm run bench -- --no-compare          figures only
 *   npm run bench -- --floor 0.25          a wider floor for the slower/faster verdict (default 0.15)
 *   npm run bench -- music --json out.json patina on rendered music with known notes (runs alone,
 *                                          once, with its own flags; needs fluidsynth; see music/)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { calibrationMs } from "./calibrate.js";
import {
  type Baseline,
  COMPARE_DEFAULTS,
  compare,
  type Figures,
  formatTable,
  summarise,
  summariseRounds,
} from "./guard.js";

type Bench = () => Promise<Figures>;

const benches: Record<string, () => Promise<Bench>> = {
  io: async () => (await import("./io.js")).benchIo,
  dsp: async () => (await import("./dsp.js")).benchDsp,
  analysis: async () => (await import("./analysis.js")).benchAnalysis,
  tonal: async () => (await import("./textures-tonal.js")).benchTonal,
  noise: async () => (await import("./textures-noise.js")).benchNoise,
  make: async () => (await import("./make.js")).benchMake,
  discover: async () => (await import("./discover.js")).benchDiscover as Bench,
  batch: async () => (await import("./batch.js")).benchBatch,
  kit: async () => (await import("./kit.js")).benchKit,
  report: async () => (await import("./report.js")).benchReport,
};

// The music bench measures what patina chooses, not how fast: it runs alone, once, with its own flags.
if (process.argv[2] === "music") {
  const { benchMusic } = await import("./music/index.js");
  const figures = await benchMusic(process.argv.slice(3));
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
  process.exit(0);
}

const BASELINE = new URL("./baseline.json", import.meta.url);

interface Args {
  names: string[];
  rounds: number;
  record: boolean;
  compare: boolean;
  floor: number;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { names: [], rounds: 3, record: false, compare: true, floor: COMPARE_DEFAULTS.floor };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === "--record") a.record = true;
    else if (v === "--no-compare") a.compare = false;
    else if (v === "--rounds" || v === "--floor") {
      const n = Number(argv[++i]);
      if (!(n > 0)) throw new Error(`${v} needs a positive number, got: ${argv[i]}`);
      if (v === "--rounds") a.rounds = Math.round(n);
      else a.floor = n;
    } else if (v.startsWith("--")) throw new Error(`unknown option: ${v}`);
    else a.names.push(v);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const names = args.names.length > 0 ? args.names : Object.keys(benches);
let failed = false;
for (const name of names) {
  if (!benches[name]) {
    console.error(`unknown benchmark: ${name} (have: ${Object.keys(benches).join(", ")})`);
    failed = true;
  }
}
const selected = names.filter((n) => benches[n]);

// Rounds run the benchmarks in turn (round 1: a, b, c; round 2: a, b, c ...), so slow drift of
// the host spreads over all of them; each round starts by timing the calibration loop.
const calibration: number[] = [];
const rounds: Record<string, Figures[]> = Object.fromEntries(selected.map((n) => [n, []]));
const loaded: Record<string, Bench> = {};
for (let r = 0; r < args.rounds; r++) {
  calibration.push(calibrationMs());
  for (const name of selected) {
    try {
      loaded[name] ??= await benches[name]();
      rounds[name].push(await loaded[name]());
    } catch (e) {
      failed = true;
      console.error(`${name} failed: ${(e as Error).stack ?? e}`);
    }
  }
}

const summaries = Object.fromEntries(selected.map((n) => [n, summariseRounds(rounds[n])]));
for (const name of selected) {
  console.log(`# ${name}`);
  for (const [k, s] of Object.entries(summaries[name]))
    console.log(`${k}: ${Number(s.median.toPrecision(6))}`);
}
const now = Object.assign({}, ...Object.values(summaries));
const calib = summarise(calibration);
console.log(`# calibration: ${calib.median.toFixed(1)} ms CPU (spread ${(calib.spread * 100).toFixed(0)} %)`);

const baseline: Baseline | null = existsSync(BASELINE)
  ? (JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline)
  : null;

if (args.record) {
  const host = `${os.cpus()[0]?.model ?? "unknown cpu"} x${os.availableParallelism()}`;
  const merged: Baseline = {
    recorded: new Date().toISOString(),
    host,
    node: process.version,
    rounds: args.rounds,
    calibration: calib,
    // Figures of other benchmarks stay; with a new calibration they are scaled on comparison as
    // if measured now, so record them together when the host has changed.
    figures: { ...(baseline?.figures ?? {}), ...now },
  };
  writeFileSync(BASELINE, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`recorded ${Object.keys(now).length} figures in bench/baseline.json`);
} else if (args.compare) {
  if (!baseline) {
    console.log("no bench/baseline.json to compare with: record one on a quiet machine with");
    console.log("  npm run bench -- --record --rounds 5");
  } else {
    const hostFactor = calib.median / baseline.calibration.median;
    console.log(
      `\n# against bench/baseline.json (${baseline.recorded.slice(0, 10)}, ${baseline.host}, node ${baseline.node}); ` +
        `host ${hostFactor >= 1 ? "slower" : "faster"} now by x${hostFactor.toFixed(2)} (calibration)`,
    );
    const rows = compare(baseline.figures, now, hostFactor, { floor: args.floor });
    console.log(formatTable(rows));
    const slower = rows.filter((r) => r.verdict === "slower");
    if (slower.length > 0) {
      failed = true;
      console.log(
        `\nslower than the baseline beyond the host's noise: ${slower.map((r) => r.name).join(", ")}`,
      );
    } else console.log("\nnothing slower than the baseline beyond the host's noise");
  }
}
process.exitCode = failed ? 1 : 0;
