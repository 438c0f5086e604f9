/** Batch test helpers: tiny generated archives, a selection list, and a leftover scan. */
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodeWav } from "../../src/io/index.js";
import type { SelectedRow } from "../../src/pipeline/catalog.js";
import { tempDir as makeTempDir } from "../support/temp.js";

export const FAKE_MAKE_URL = new URL("./batch-fake-make.ts", import.meta.url).href;

/** A temporary folder, removed when the test file ends (see test/support/temp.ts). */
export function tempDir(prefix = "patina-batch-"): string {
  return makeTempDir(prefix);
}

/** A mono 16-bit sine WAV of `seconds` at 8 kHz (decodes in well under a millisecond). */
export function sineWav(seconds = 1, freq = 220, sampleRate = 8000): Uint8Array {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return encodeWav({ sampleRate, channels: [x] }, { bitDepth: 16 });
}

/**
 * Write an archive under `root`: each entry is a rel_path and either "sine" or "corrupt" (text
 * named .wav). Returns the selection rows in the given order.
 */
export function makeArchive(root: string, entries: readonly [string, "sine" | "corrupt"][]): SelectedRow[] {
  return entries.map(([rel, kind], i) => {
    const path = join(root, ...rel.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, kind === "sine" ? sineWav(1, 220 + 40 * i) : "this is not audio\n".repeat(20));
    return {
      id: `audio_${String(i).padStart(4, "0")}`,
      rel_path: rel,
      duration_sec: 1,
      sample_rate: 8000,
      channels: 1,
      file_size_mb: 0,
      selection_score: 0,
    };
  });
}

/** A selection CSV with the given rows. */
export function selectionCsv(rows: readonly SelectedRow[]): string {
  const head = "id,rel_path,duration_sec,sample_rate,channels,file_size_mb,selection_score";
  const body = rows.map((r) => `${r.id},"${r.rel_path}",${r.duration_sec.toFixed(2)},8000,1,0.0,0`);
  return `${[head, ...body].join("\n")}\n`;
}

/** Every path under `dir` (relative, forward slashes), including hidden ones. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const childRel = rel === "" ? name : `${rel}/${name}`;
      out.push(childRel);
      if (statSync(join(dir, childRel)).isDirectory()) walk(childRel);
    }
  };
  walk("");
  return out.sort();
}

/** Leftovers an interrupted run must never leave: temp files and half-assembled folders. */
export function leftovers(dir: string): string[] {
  return listTree(dir).filter((p) => /patina-tmp|\.partial|\.aside|\.tmp$/.test(p));
}
