/**
 * A stand-in for runMake in batch tests: decodes each source in source_audio/ (so a corrupt file
 * fails with the real DecodeError), writes one small WAV per category plus a manifest, and behaves
 * by the source's name: "hang" never finishes (timeouts), "slow" takes ~1.5 s while writing files
 * (interrupts), "crash" kills its worker thread with an uncaught exception.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FINGERPRINT_DIMS } from "../../src/analysis/fingerprint-dims.js";
import type { PlanarAudio } from "../../src/core/audio.js";
import type { ManifestRow, TextureCategory, TextureType } from "../../src/core/manifest.js";
import { decodeFile, writeWav } from "../../src/io/index.js";
import { writeManifest } from "../../src/io/manifest.js";
import type { MakeOptions } from "../../src/pipeline/make.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const OUTPUTS: readonly [TextureCategory, TextureType, string, keyof Counts][] = [
  ["pads", "pad", "{s}_pad01_mid.wav", "pads"],
  ["swells", "swell", "{s}_stretch1x_swell01.wav", "swells"],
  ["clouds", "cloud", "cloud_{s}_01_mid.wav", "clouds"],
  ["hiss", "hiss_loop", "hiss_loop_{s}_01.wav", "hiss_loops"],
  ["hiss", "hiss_flicker", "hiss_flicker_{s}_01.wav", "hiss_flickers"],
];

interface Counts {
  pads: number;
  swells: number;
  clouds: number;
  hiss_loops: number;
  hiss_flickers: number;
}

export default async function fakeMake(opts: MakeOptions) {
  const { root, config } = opts;
  const exportDir = join(root, config.paths.export_dir);
  const srcDir = join(root, config.paths.source_audio_dir);
  const counts: Counts = { pads: 0, swells: 0, clouds: 0, hiss_loops: 0, hiss_flickers: 0 };
  const files: string[] = [];
  const rows: ManifestRow[] = [];
  // Stand-in fingerprints: every dimension holds the texture's index.
  const fingerprints = new Map<string, number[]>();
  for (const name of readdirSync(srcDir).sort()) {
    const stem = name.replace(/\.[^.]+$/, "");
    if (stem.includes("hang")) await new Promise(() => {});
    if (stem.includes("crash")) {
      setTimeout(() => {
        throw new Error("simulated worker crash");
      }, 10);
      await sleep(5000);
    }
    const audio = await decodeFile(join(srcDir, name));
    const n = Math.min(audio.channels[0].length, Math.round(audio.sampleRate * 0.25));
    const clip: PlanarAudio = { sampleRate: audio.sampleRate, channels: [audio.channels[0].slice(0, n)] };
    for (const [category, type, pattern, key] of OUTPUTS) {
      if (stem.includes("slow")) await sleep(300);
      const rel = `${stem}/${category}/${pattern.replace("{s}", stem)}`;
      mkdirSync(join(exportDir, stem, category), { recursive: true });
      await writeWav(join(exportDir, ...rel.split("/")), clip, { bitDepth: 16 });
      files.push(rel);
      fingerprints.set(rel, new Array<number>(FINGERPRINT_DIMS.length).fill(files.length));
      counts[key]++;
      rows.push({
        file: rel,
        source: stem,
        type,
        category,
        duration_sec: n / audio.sampleRate,
        rms_db: -20,
        peak_dbfs: -1,
        crest_factor: 10,
        centroid_hz: 1000,
        brightness: "mid",
        root_hz: null,
        root_midi: null,
        root_cents: null,
        root_confidence: null,
        key: null,
        loop: type === "pad" || type === "hiss_loop",
        loop_start: null,
        loop_end: null,
        loop_seam_db: null,
        loop_dip_db: null,
        grade: "A",
        grade_reason: "",
        saved: true,
        seed: 1,
        params: { fake: true },
        score: 90,
        duplicate_of: null,
      });
    }
  }
  mkdirSync(exportDir, { recursive: true });
  await writeManifest(join(exportDir, "manifest.csv"), rows);
  return { counts, files, rows, fingerprints, exportDir, seed: 1 };
}
