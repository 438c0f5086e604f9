/**
 * `patina kit` on a synthetic batch export of 30,000 textures (500 tracks x 60): the combined
 * manifest and fingerprints at the root, the WAVs as hard links to 240 distinct synthetic textures
 * (so most candidates have a near-twin, as a real archive's do). Times a 64-sound TR-8S kit
 * (sustains rendered, fitted to the memory) and a 64-sound WAV folder, each from reading the
 * export to the kit in place. Target: under 10 s.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FINGERPRINT_DIMS, timbreFingerprint } from "../src/analysis/fingerprint.js";
import type { ManifestRow, TextureCategory, TextureType } from "../src/core/manifest.js";
import { makeLoop } from "../src/dsp/loop.js";
import { Rng } from "../src/dsp/rng.js";
import { writeFingerprintFile } from "../src/io/fingerprint-file.js";
import { writeManifest } from "../src/io/manifest.js";
import { writeWav } from "../src/io/wav-writer.js";
import { buildKit } from "../src/kit/build.js";
import { loadDeviceProfile } from "../src/kit/profiles.js";
import { median } from "./stats.js";

const SR = 44100;
const TRACKS = 500;
const PER_TRACK = 60;
const DISTINCT = 240;

const KINDS: readonly [TextureCategory, TextureType, boolean][] = [
  ["pads", "pad", true],
  ["pads", "loop", true],
  ["swells", "swell", false],
  ["clouds", "cloud", false],
  ["hiss", "hiss_loop", true],
];

/** Texture k: a tone (pads, swells) or filtered noise (clouds, hiss), 2-3 s, seeded. */
function texture(k: number, loop: boolean, category: TextureCategory): Float32Array {
  const rng = new Rng(1000 + k);
  const n = Math.round((loop ? 2.6 : 3) * SR);
  const x = new Float32Array(n);
  const hz = 55 * 2 ** (rng.uniform(12, 48) / 12);
  const tonal = category === "pads" || category === "swells";
  let lp = 0;
  const a = rng.uniform(0.05, 0.95);
  for (let i = 0; i < n; i++) {
    const w = rng.uniform(-1, 1);
    lp = a * lp + (1 - a) * w;
    x[i] = tonal
      ? 0.3 * Math.sin((2 * Math.PI * hz * i) / SR) + 0.2 * Math.sin((4 * Math.PI * hz * i) / SR) + 0.01 * w
      : 0.3 * lp;
  }
  if (loop) return makeLoop(x, { sampleRate: SR, lengthSamples: 2 * SR }).audio;
  for (let i = 0; i < n; i++) x[i] *= Math.sin((Math.PI * i) / n) ** 2;
  return x;
}

export async function benchKit(): Promise<Record<string, number>> {
  const root = mkdtempSync(join(tmpdir(), "patina-bench-kit-"));
  try {
    const exportDir = join(root, "export");
    const pool = join(root, "pool");
    mkdirSync(pool, { recursive: true });
    const distinct: {
      file: string;
      print: number[];
      kind: (typeof KINDS)[number];
      frames: number;
      root: number;
    }[] = [];
    for (let k = 0; k < DISTINCT; k++) {
      const kind = KINDS[k % KINDS.length];
      const x = texture(k, kind[2], kind[0]);
      const file = join(pool, `t${k}.wav`);
      await writeWav(
        file,
        { sampleRate: SR, channels: [x] },
        { bitDepth: 24, ...(kind[2] ? { loop: { start: 0, end: x.length } } : {}) },
      );
      distinct.push({
        file,
        print: timbreFingerprint({ sampleRate: SR, channels: [x] }),
        kind,
        frames: x.length,
        root: 36 + (k % 36),
      });
    }
    const rng = new Rng(7);
    const rows: ManifestRow[] = [];
    const prints: Record<string, number[]> = {};
    for (let t = 0; t < TRACKS; t++) {
      const slug = `track_${String(t).padStart(3, "0")}`;
      for (let j = 0; j < PER_TRACK; j++) {
        const d = distinct[(t * 7 + j * 13) % DISTINCT];
        const [category, type, loop] = d.kind;
        const rel = `${category}/${slug}_${type}_${String(j).padStart(2, "0")}.wav`;
        const file = `by_source/${slug}/${rel}`;
        mkdirSync(join(exportDir, "by_source", slug, category), { recursive: true });
        linkSync(d.file, join(exportDir, ...file.split("/")));
        const u = rng.next();
        rows.push({
          file,
          source: slug,
          type,
          category,
          duration_sec: d.frames / SR,
          rms_db: -20,
          peak_dbfs: -1,
          crest_factor: 10,
          centroid_hz: 1000,
          brightness: "mid",
          root_hz: null,
          root_midi: category === "pads" || category === "swells" ? d.root : null,
          key: null,
          loop,
          loop_start: loop ? 0 : null,
          loop_end: loop ? d.frames : null,
          loop_seam_db: loop ? 0 : null,
          loop_dip_db: loop ? 0 : null,
          grade: u < 0.4 ? "A" : u < 0.7 ? "B" : u < 0.9 ? "C" : "F",
          grade_reason: "",
          saved: true,
          seed: 1,
          params: {},
          score: Math.round(100 * (1 - u)),
          root_confidence: category === "pads" || category === "swells" ? 0.9 : null,
          root_cents: category === "pads" || category === "swells" ? 0 : null,
          duplicate_of: null,
        });
        prints[file] = d.print.map((v) => v + rng.uniform(-0.01, 0.01));
      }
    }
    await writeManifest(join(exportDir, "manifest.csv"), rows);
    await writeFingerprintFile(join(exportDir, "fingerprints.json"), {
      version: 1,
      dims: FINGERPRINT_DIMS,
      textures: prints,
    });

    const out: Record<string, number> = {};
    for (const device of ["tr8s", "folder"]) {
      const profile = await loadDeviceProfile(device, root);
      const times: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        await buildKit({
          exportDirs: [exportDir],
          out: join(root, `kit-${device}`),
          profile,
          from: null,
          count: 64,
          name: "bench",
          categories: null,
          key: null,
          sustainSec: null,
          dryRun: false,
        });
        times.push((performance.now() - t0) / 1000);
      }
      out[`kit_30k_${device}_64_s`] = Math.round(median(times) * 100) / 100;
    }
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
