/**
 * Batch throughput with the built CLI: generated 4-minute tracks (stereo 44.1 kHz chords with a
 * little noise) processed with --jobs 1 and --jobs 2 (every track redone, same config), for a small
 * batch of 4 tracks (about the 1046 s of audio the seed toolchain was timed on) and an
 * archive-sized one of 16, whose figures are not dominated by start-up and each worker's first
 * track. Figures per size (`t4_...`, `t16_...`): minutes of audio per minute of wall time for each
 * job count, and the speed-up of 2 jobs over 1.
 * Targets (issue 5): speed-up >= 1.7 on 2 cores and >= 100 min of audio per minute.
 *
 * Run alone: `node --import tsx bench/batch.ts` (BENCH_BATCH_TRACKS, a comma list, overrides the
 * sizes 4,16; BENCH_BATCH_SEC the 240 s per track; BENCH_BATCH_ROUNDS the 3 alternating rounds).
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { toCsv } from "../src/io/csv.js";
import { encodeWav } from "../src/io/index.js";
import { CATALOG_COLUMNS, type CatalogRow } from "../src/pipeline/catalog.js";
import { median } from "./stats.js";

function chordWav(seconds: number, f0: number, seed: number): Uint8Array {
  const sr = 44100;
  const n = Math.round(seconds * sr);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const t = i / sr;
    // A slow swell so windows differ, as in music.
    const env = 0.6 + 0.4 * Math.sin((2 * Math.PI * t) / 7);
    const v =
      env *
        0.2 *
        (Math.sin(2 * Math.PI * f0 * t) +
          Math.sin(2 * Math.PI * f0 * 1.26 * t) +
          Math.sin(3 * Math.PI * f0 * t)) +
      0.03 * (s / 2 ** 32 - 0.5);
    l[i] = v;
    r[i] = 0.9 * v + 0.01 * Math.sin(2 * Math.PI * 0.3 * t);
  }
  return encodeWav({ sampleRate: sr, channels: [l, r] }, { bitDepth: 16 });
}

export async function benchBatch(): Promise<Record<string, number>> {
  const sizes = (process.env.BENCH_BATCH_TRACKS ?? "4,16").split(",").map(Number);
  const seconds = Number(process.env.BENCH_BATCH_SEC ?? 240);
  const dir = mkdtempSync(join(tmpdir(), "patina-bench-batch-"));
  try {
    const archive = join(dir, "archive");
    mkdirSync(archive);
    const rows: CatalogRow[] = [];
    for (let i = 0; i < Math.max(...sizes); i++) {
      const rel = `track ${i + 1}.wav`;
      writeFileSync(join(archive, rel), chordWav(seconds, 110 * 2 ** (i / 5), i + 1));
      rows.push({
        id: `audio_${String(i).padStart(4, "0")}`,
        rel_path: rel,
        duration_sec: seconds,
        sample_rate: 44100,
        channels: 2,
        file_size_mb: 0,
      });
    }
    const figures: Record<string, number> = { track_sec: seconds };
    const bin = join(import.meta.dirname, "..", "dist", "cli", "bin.js");
    for (const tracks of sizes) {
      // The built CLI, as a user runs it (npm run build first), every track redone each time.
      const selection = join(dir, `selected_${tracks}.csv`);
      writeFileSync(
        selection,
        toCsv(
          CATALOG_COLUMNS,
          rows.slice(0, tracks).map((r) => CATALOG_COLUMNS.map((c) => r[c])),
        ),
      );
      // The machine's speed drifts over tens of seconds, so --jobs 1 and --jobs 2 alternate for
      // `rounds` rounds and the figures are medians (the speed-up is the median of the rounds' ratios).
      const rounds = Math.max(1, Number(process.env.BENCH_BATCH_ROUNDS ?? 3));
      const walls: Record<1 | 2, number[]> = { 1: [], 2: [] };
      for (let r = 0; r < rounds; r++) {
        for (const jobs of [1, 2] as const)
          walls[jobs].push(runBatch(bin, selection, archive, join(dir, `out${jobs}`), jobs));
      }
      const t = `t${tracks}_`;
      const audioSec = tracks * seconds;
      for (const jobs of [1, 2] as const) {
        const wallSec = median(walls[jobs]);
        figures[`${t}jobs${jobs}_wall_sec`] = Math.round(wallSec * 100) / 100;
        figures[`${t}jobs${jobs}_audio_min_per_wall_min`] = Math.round((audioSec / wallSec) * 10) / 10;
        figures[`${t}jobs${jobs}_tracks_per_min`] = Math.round((tracks / wallSec) * 60 * 10) / 10;
      }
      const ratios = walls[1].map((w, r) => w / walls[2][r]);
      figures[`${t}rounds`] = rounds;
      figures[`${t}speedup_2_vs_1`] = Math.round(median(ratios) * 100) / 100;
      figures[`${t}speedup_min`] = Math.round(Math.min(...ratios) * 100) / 100;
      figures[`${t}speedup_max`] = Math.round(Math.max(...ratios) * 100) / 100;
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One `patina batch` of every track (redone) by the built CLI; returns the wall time (s). */
function runBatch(bin: string, selection: string, archive: string, out: string, jobs: number): number {
  const t0 = performance.now();
  const res = spawnSync(
    process.execPath,
    [
      bin,
      "batch",
      "--sources",
      selection,
      "--root",
      archive,
      "--out",
      out,
      "--jobs",
      String(jobs),
      "--quiet",
      "--force",
      "--set",
      "report.enabled=false",
      "--set",
      "reproducibility.random_seed=1",
    ],
    { encoding: "utf8" },
  );
  const wallSec = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`batch bench (--jobs ${jobs}) failed: ${res.stderr}`);
  return wallSec;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [k, v] of Object.entries(await benchBatch())) console.log(`${k}: ${v}`);
}
