/**
 * `patina make --all` on 1-, 5- and 60-minute synthetic stereo tracks placed in both source_audio/
 * and pad_sources/ (FLAC when Debian's `flac` is installed, else WAV), one core. Each length runs
 * BENCH_MAKE_ROUNDS (default 3) times with the audition page off (report.enabled=false: the
 * textures alone; time after the analysis pass must not grow with the track's length) and, for
 * 5 minutes, as many times with the default config, page included (`..._default_wall_s`).
 * Wall and timings are medians, memory the largest peak.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeWav } from "../src/io/wav-writer.js";
import { synthesizeDemoArchive } from "../src/pipeline/demo.js";
import { median } from "./stats.js";

function hasFlac(): boolean {
  return spawnSync("flac", ["--version"]).status === 0;
}

/** A long "track": the demo's chord pads, drone, drums and air, tiled to `minutes`. */
function longTrack(minutes: number): { sampleRate: number; channels: Float32Array[] } {
  const parts = synthesizeDemoArchive(3).filter((t) => t.audio.sampleRate === 44100);
  const sr = 44100;
  const n = Math.round(minutes * 60 * sr);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  let pos = 0;
  let k = 0;
  while (pos < n) {
    const a = parts[k % parts.length].audio;
    const l = a.channels[0];
    const r = a.channels[1] ?? a.channels[0];
    const m = Math.min(l.length, n - pos);
    left.set(l.subarray(0, m), pos);
    right.set(r.subarray(0, m), pos);
    pos += m;
    k++;
  }
  return { sampleRate: sr, channels: [left, right] };
}

export async function benchMake(
  minutesList: readonly number[] = [1, 5, 60],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const flac = hasFlac();
  for (const minutes of minutesList) {
    const root = mkdtempSync(join(tmpdir(), "patina-bench-make-"));
    try {
      const wav = join(root, "track.wav");
      await writeWav(wav, longTrack(minutes), { bitDepth: 16 });
      let file = wav;
      if (flac) {
        file = join(root, "track.flac");
        execFileSync("flac", ["-s", "-f", "-o", file, wav]);
      }
      for (const d of ["source_audio", "pad_sources"]) {
        mkdirSync(join(root, d));
        execFileSync("cp", [file, join(root, d, `track.${flac ? "flac" : "wav"}`)]);
      }
      rmSync(wav, { force: true });
      // The built CLI, as a user runs it (npm run build first); peak memory from a preloaded hook.
      // The machine's speed drifts between runs, so each length runs `rounds` times: median figures.
      const runs: MakeRun[] = [];
      const withPage: MakeRun[] = [];
      for (let k = 0; k < rounds(); k++) {
        runs.push(runMake(root, false));
        if (minutes === 5) withPage.push(runMake(root, true));
      }
      const tag = `make_${minutes}min_${flac ? "flac" : "wav"}`;
      if (withPage.length > 0) {
        out[`${tag}_default_wall_s`] = round(median(withPage.map((r) => r.wallSec)));
        out[`${tag}_default_wall_min_s`] = round(Math.min(...withPage.map((r) => r.wallSec)));
        out[`${tag}_default_peak_rss_mb`] = Math.round(Math.max(...withPage.map((r) => r.maxRssMb)));
      }
      out[`${tag}_wall_s`] = round(median(runs.map((r) => r.wallSec)));
      out[`${tag}_wall_min_s`] = round(Math.min(...runs.map((r) => r.wallSec)));
      out[`${tag}_peak_rss_mb`] = Math.round(Math.max(...runs.map((r) => r.maxRssMb)));
      out[`${tag}_after_analysis_s`] = round(median(runs.map((r) => afterAnalysis(r.timings))));
      out[`${tag}_analysis_s`] = round(median(runs.map((r) => r.timings.analysis_sec ?? Number.NaN)));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return out;
}

const round = (x: number): number => Math.round(x * 100) / 100;

interface MakeRun {
  wallSec: number;
  maxRssMb: number;
  timings: Record<string, number>;
}

/** Rounds per figure (BENCH_MAKE_ROUNDS, default 3). */
const rounds = (): number => Math.max(1, Number(process.env.BENCH_MAKE_ROUNDS ?? 3));

function afterAnalysis(t: Record<string, number>): number {
  return (
    (t.pads_sec ?? 0) + (t.drones_sec ?? 0) + (t.clouds_sec ?? 0) + (t.hiss_sec ?? 0) - (t.analysis_sec ?? 0)
  );
}

/** One `patina make --all` of the folder by the built CLI, in its own process; `page`: build the report. */
function runMake(root: string, page: boolean): MakeRun {
  const repo = join(import.meta.dirname, "..");
  const stats = join(root, "stats.json");
  rmSync(join(root, "export"), { recursive: true, force: true });
  const t0 = performance.now();
  const res = spawnSync(
    process.execPath,
    [
      "--import",
      join(repo, "bench", "rss-on-exit.mjs"),
      join(repo, "dist", "cli", "bin.js"),
      "make",
      "--all",
      "--quiet",
      "--root",
      root,
      "--seed",
      "1",
      ...(page ? [] : ["--set", "report.enabled=false"]),
      "--json-output",
      stats,
    ],
    { encoding: "utf8" },
  );
  const wallSec = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(res.stderr);
  const rss = /maxrss_kb=(\d+)/.exec(res.stderr);
  return {
    wallSec,
    maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    timings: (JSON.parse(readFileSync(stats, "utf8")) as { timings: Record<string, number> }).timings,
  };
}
