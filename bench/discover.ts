/**
 * Discovery throughput: 10,000 small WAV files in 100 folders, discovered cold (no cache: every
 * header read) and warm (unchanged archive: answered from the cache, no file read).
 * Targets (issue 5): cold < 10 s, warm < 1 s on this 2-core machine.
 *
 * Run alone: `node --import tsx bench/discover.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { discover, type ProbeFn } from "../src/pipeline/discover.js";

/** A 16-bit PCM WAV of silence with the canonical 44-byte header. */
function wavBytes(frames: number, sampleRate: number, channels: number): Uint8Array {
  const dataBytes = frames * channels * 2;
  const buf = new Uint8Array(44 + dataBytes);
  const v = new DataView(buf.buffer);
  const ascii = (off: number, s: string): void => {
    for (let i = 0; i < s.length; i++) buf[off + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, dataBytes, true);
  return buf;
}

export interface BenchDiscoverOptions {
  files: number;
  folders: number;
  /** Header reader; null = patina's own probe. */
  probe: ProbeFn | null;
}

export async function benchDiscover(
  options: Partial<BenchDiscoverOptions> = {},
): Promise<Record<string, number>> {
  const { files, folders, probe } = { files: 10_000, folders: 100, probe: null, ...options };
  const root = mkdtempSync(join(tmpdir(), "patina-bench-discover-"));
  try {
    let t = performance.now();
    const perFolder = Math.ceil(files / folders);
    for (let i = 0; i < files; i++) {
      const dir = join(root, `folder ${String(Math.floor(i / perFolder)).padStart(3, "0")}`);
      if (i % perFolder === 0) mkdirSync(dir, { recursive: true });
      // Varied lengths and layouts so the rows are not all identical.
      writeFileSync(
        join(dir, `track ${String(i).padStart(5, "0")}.wav`),
        wavBytes(1000 + (i % 97), 44100, 1 + (i % 2)),
      );
    }
    const createMs = performance.now() - t;

    t = performance.now();
    const cold = await discover(root, { probe });
    const coldMs = performance.now() - t;
    if (cold.found !== files || cold.probed !== files) {
      throw new Error(`cold run: found ${cold.found}, probed ${cold.probed}, expected ${files}`);
    }

    t = performance.now();
    const warm = await discover(root, { probe });
    const warmMs = performance.now() - t;
    if (warm.found !== files || warm.probed !== 0) {
      throw new Error(`warm run: found ${warm.found}, probed ${warm.probed}, expected ${files} and 0`);
    }

    return {
      discover_files: files,
      discover_create_ms: Math.round(createMs),
      discover_cold_ms: Math.round(coldMs),
      discover_cold_files_per_s: Math.round(files / (coldMs / 1000)),
      discover_warm_ms: Math.round(warmMs),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchDiscover();
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${v}`);
}
