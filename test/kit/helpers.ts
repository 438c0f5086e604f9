/** Small synthetic export folders for the kit tests: real WAVs, a manifest, fingerprints. */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FINGERPRINT_DIMS, timbreFingerprint } from "../../src/analysis/fingerprint.js";
import type { ManifestRow, TextureCategory, TextureType } from "../../src/core/manifest.js";
import { makeLoop } from "../../src/dsp/loop.js";
import { Rng } from "../../src/dsp/rng.js";
import { writeFingerprintFile } from "../../src/io/fingerprint-file.js";
import { writeManifest } from "../../src/io/manifest.js";
import { writeWav } from "../../src/io/wav-writer.js";
import type { Candidate } from "../../src/kit/select.js";

export const SR = 44100;

/** A harmonic tone with a little seeded noise (a recording's floor), `seconds` long. */
export function tone(hz: number, seconds: number, seed = 1, amp = 0.3): Float32Array {
  const n = Math.round(seconds * SR);
  const x = new Float32Array(n);
  const rng = new Rng(seed);
  const phases = [0, 1, 2, 3].map(() => rng.uniform(0, 2 * Math.PI));
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < 4; p++) s += Math.sin((2 * Math.PI * hz * (p + 1) * i) / SR + phases[p]) / (p + 1);
    x[i] = amp * 0.5 * s + rng.uniform(-0.002, 0.002);
  }
  return x;
}

export function noise(seconds: number, seed = 5, amp = 0.2): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: Math.round(seconds * SR) }, () => rng.uniform(-amp, amp));
}

/** A seamless loop of `seconds` made the way patina makes pads (dsp/loop.ts), from `material`. */
export function seamlessLoop(material: Float32Array, seconds: number): Float32Array {
  return makeLoop(material, { sampleRate: SR, lengthSamples: Math.round(seconds * SR) }).audio;
}

export interface TextureSpec {
  readonly source: string;
  readonly category: TextureCategory;
  readonly type: TextureType;
  readonly name: string;
  readonly audio: Float32Array | readonly Float32Array[];
  readonly loop?: boolean;
  readonly root_midi?: number | null;
  readonly key?: string | null;
  readonly grade?: "A" | "B" | "F";
  readonly saved?: boolean;
}

/** Write a make-style export (files under `<source>/<category>/`), its manifest and fingerprints. */
export async function makeExport(
  dir: string,
  specs: readonly TextureSpec[],
  prefix = "",
): Promise<ManifestRow[]> {
  const rows: ManifestRow[] = [];
  const prints: Record<string, number[]> = {};
  for (const s of specs) {
    const channels = s.audio instanceof Float32Array ? [s.audio] : [...s.audio];
    const file = `${s.source}/${s.category}/${s.name}.wav`;
    const loop = s.loop ?? (s.type === "pad" || s.type === "loop" || s.type === "hiss_loop");
    const n = channels[0].length;
    mkdirSync(join(dir, prefix, s.source, s.category), { recursive: true });
    if (s.saved !== false) {
      await writeWav(
        join(dir, prefix, file),
        { sampleRate: SR, channels },
        {
          bitDepth: 24,
          ...(loop ? { loop: { start: 0, end: n } } : {}),
        },
      );
      prints[file] = timbreFingerprint({ sampleRate: SR, channels });
    }
    rows.push({
      file,
      source: s.source,
      type: s.type,
      category: s.category,
      duration_sec: n / SR,
      rms_db: -20,
      peak_dbfs: -1,
      crest_factor: 10,
      centroid_hz: 1000,
      brightness: "mid",
      root_hz: s.root_midi == null ? null : 440 * 2 ** ((s.root_midi - 69) / 12),
      root_midi: s.root_midi ?? null,
      key: s.key ?? null,
      loop,
      loop_start: loop ? 0 : null,
      loop_end: loop ? n : null,
      loop_seam_db: loop ? 0 : null,
      loop_dip_db: loop ? 0 : null,
      grade: s.grade ?? "A",
      grade_reason: "",
      saved: s.saved !== false,
      seed: 1,
      params: {},
      score: null,
      root_confidence: null,
      root_cents: null,
      duplicate_of: null,
    });
  }
  await writeManifest(join(dir, prefix, "manifest.csv"), rows);
  await writeFingerprintFile(join(dir, prefix, "fingerprints.json"), {
    version: 1,
    dims: FINGERPRINT_DIMS,
    textures: prints,
  });
  return rows;
}

/** sha256 of every file under `dir` by relative path (to prove a folder was not touched). */
export function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const p = join(dir, r);
      if (statSync(p).isDirectory()) walk(r);
      else out[r] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk("");
  return out;
}

/** A manifest row for selection and planning tests (no file behind it). */
export function row(over: Partial<ManifestRow> & Pick<ManifestRow, "file">): ManifestRow {
  return {
    source: "src",
    type: "pad",
    category: "pads",
    duration_sec: 2,
    rms_db: -20,
    peak_dbfs: -1,
    crest_factor: 10,
    centroid_hz: 1000,
    brightness: "mid",
    root_hz: null,
    root_midi: null,
    key: null,
    loop: true,
    loop_start: 0,
    loop_end: 2 * SR,
    loop_seam_db: 0,
    loop_dip_db: 0,
    grade: "A",
    grade_reason: "",
    saved: true,
    seed: 1,
    params: {},
    score: null,
    root_confidence: null,
    root_cents: null,
    duplicate_of: null,
    ...over,
  };
}

/** A candidate with a given fingerprint (dims from FINGERPRINT_DIMS length, or the vector's). */
export function candidate(
  over: Partial<ManifestRow> & Pick<ManifestRow, "file">,
  fingerprint: number[] | null = null,
  choice: Candidate["choice"] = null,
): Candidate {
  return { id: over.file, row: row(over), path: `/nowhere/${over.file}`, fingerprint, choice };
}
