/**
 * Test-only helpers: a tiny 16-bit PCM WAV writer (so these tests do not depend on the writer
 * under test elsewhere) and a small generated pack with a manifest.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ManifestRow } from "../../src/core/manifest.js";
import { csvField, parseCsv } from "../../src/io/csv.js";
import { formatManifest } from "../../src/io/manifest.js";

export function wav16(channels: Float32Array[], sampleRate: number): Uint8Array {
  const n = channels[0].length;
  const ch = channels.length;
  const data = n * ch * 2;
  const buf = Buffer.alloc(44 + data);
  buf.write("RIFF", 0, "ascii");
  buf.writeUInt32LE(36 + data, 4);
  buf.write("WAVE", 8, "ascii");
  buf.write("fmt ", 12, "ascii");
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(ch, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * ch * 2, 28);
  buf.writeUInt16LE(ch * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36, "ascii");
  buf.writeUInt32LE(data, 40);
  let p = 44;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      const v = Math.max(-1, Math.min(1, channels[c][i]));
      buf.writeInt16LE(Math.round(v * 32767), p);
      p += 2;
    }
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export const SR = 22050;

/** Deterministic test signals (an LCG for noise: no shared RNG state). */
export function tone(seconds: number, hzs: number[], amp: number, fadeSec = 0): Float32Array {
  const n = Math.round(seconds * SR);
  const out = new Float32Array(n);
  const fade = Math.round(fadeSec * SR);
  for (let i = 0; i < n; i++) {
    let v = 0;
    // A few decaying harmonics, so spectrograms look like an instrument rather than test tones.
    for (const hz of hzs) {
      for (let h = 1; h <= 5 && hz * h < SR / 2; h++)
        v += Math.sin((2 * Math.PI * hz * h * i) / SR) / h ** 1.5;
    }
    const env = fade > 0 ? Math.min(1, i / fade, (n - 1 - i) / fade) : 1;
    out[i] = (amp * v * env) / hzs.length / 1.9;
  }
  return out;
}

export function noise(seconds: number, amp: number, seed: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SR));
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = amp * (s / 2 ** 31 - 1) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 2 * i) / SR));
  }
  return out;
}

export function baseRow(
  over: Partial<ManifestRow> & Pick<ManifestRow, "file" | "source" | "type" | "category">,
): ManifestRow {
  return {
    duration_sec: 2,
    rms_db: -18,
    peak_dbfs: -1,
    crest_factor: 4,
    centroid_hz: 900,
    brightness: "mid",
    root_hz: null,
    root_midi: null,
    key: null,
    loop: false,
    loop_start: null,
    loop_end: null,
    loop_seam_db: null,
    loop_dip_db: null,
    grade: "A",
    grade_reason: "clean",
    saved: true,
    seed: 7,
    params: {},
    score: 90,
    duplicate_of: null,
    root_confidence: null,
    root_cents: null,
    ...over,
  };
}

export interface PackFile {
  readonly row: ManifestRow;
  /** Audio to write; omitted for rows with saved=false (their file does not exist). */
  readonly audio?: Float32Array[];
}

/** The small pack the report tests share: loops, one-shots, a cloud, hiss, and an unsaved F. */
export function smallPack(): PackFile[] {
  const padLen = Math.round(2 * SR);
  const droneLen = Math.round(3 * SR);
  const cloudL = tone(2.5, [660, 990], 0.6, 0.05);
  const cloudR = tone(2.5, [880, 1320], 0.6, 0.05);
  return [
    {
      row: baseRow({
        file: "song/pads/song_pad01_mid.wav",
        source: "song",
        type: "pad",
        category: "pads",
        duration_sec: 2,
        brightness: "mid",
        centroid_hz: 1200,
        root_hz: 220,
        root_midi: 57,
        key: "A minor",
        loop: true,
        loop_start: 0,
        loop_end: padLen,
        loop_seam_db: 1.2,
        loop_dip_db: -0.5,
        grade: "A",
      }),
      audio: [tone(2, [220, 277.18, 329.63], 0.8)],
    },
    {
      row: baseRow({
        file: "song/pads/song_pad02_dark.wav",
        source: "song",
        type: "pad",
        category: "pads",
        brightness: "dark",
        centroid_hz: 300,
        loop: true,
        loop_start: 0,
        loop_end: padLen,
        loop_seam_db: 9,
        grade: "F",
        grade_reason: "seam click",
        saved: false,
      }),
    },
    {
      row: baseRow({
        file: "song/pads/song_pitch+7_loop_warm.wav",
        source: "song",
        type: "loop",
        category: "pads",
        duration_sec: 3,
        brightness: "dark",
        centroid_hz: 450,
        root_midi: 52,
        root_hz: 164.8,
        loop: true,
        // Inner loop points: the page must loop [0.5 s, 2.5 s) rather than the whole file.
        loop_start: Math.round(0.5 * SR),
        loop_end: Math.round(2.5 * SR),
        loop_seam_db: 2.5,
        grade: "B",
        grade_reason: "slightly dull",
      }),
      audio: [tone(3, [164.8, 246.9], 0.7)],
    },
    {
      row: baseRow({
        file: "song/swells/song_stretch1.5x_swell01.wav",
        source: "song",
        type: "swell",
        category: "swells",
        duration_sec: 1.5,
        brightness: "mid",
        centroid_hz: 800,
        grade: "A",
      }),
      audio: [tone(1.5, [440, 554.37], 0.8, 0.5)],
    },
    {
      row: baseRow({
        file: "song/clouds/cloud_song_01_bright.wav",
        source: "song",
        type: "cloud",
        category: "clouds",
        duration_sec: 2.5,
        brightness: "bright",
        centroid_hz: 3400,
        grade: "B",
      }),
      audio: [cloudL, cloudR],
    },
    {
      row: baseRow({
        file: "song/hiss/hiss_loop_song_01.wav",
        source: "song",
        type: "hiss_loop",
        category: "hiss",
        duration_sec: 2,
        brightness: "bright",
        centroid_hz: 6000,
        loop: true,
        loop_start: 0,
        loop_end: padLen,
        loop_seam_db: 0.4,
        grade: "A",
      }),
      audio: [noise(2, 0.3, 1)],
    },
    {
      // Graded F but kept (auto_delete_grade_f off): it still gets a card.
      row: baseRow({
        file: "song/hiss/hiss_flicker_song_01.wav",
        source: "song",
        type: "hiss_flicker",
        category: "hiss",
        duration_sec: 0.25,
        brightness: "bright",
        centroid_hz: 5200,
        grade: "F",
        grade_reason: "extreme crest factor",
      }),
      audio: [noise(0.25, 0.5, 2)],
    },
    {
      row: baseRow({
        file: "Other Track #2/pads/other_pad01_bright.wav",
        source: "Other Track #2",
        type: "pad",
        category: "pads",
        duration_sec: 3,
        brightness: "bright",
        centroid_hz: 2500,
        loop: true,
        loop_start: 0,
        loop_end: droneLen,
        loop_seam_db: -1,
        grade: "A",
      }),
      audio: [tone(3, [523.25, 659.25], 0.8)],
    },
  ];
}

/** Write the pack's WAVs and manifest.csv into `exportDir`. */
export function writePack(exportDir: string, pack: readonly PackFile[]): void {
  for (const p of pack) {
    if (!p.audio) continue;
    const path = join(exportDir, ...p.row.file.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, wav16(p.audio, SR));
  }
  // Plain write: a test fixture, not an output (writeManifest itself is asynchronous and atomic).
  writeFileSync(join(exportDir, "manifest.csv"), formatManifest(pack.map((p) => p.row)));
}

export const BATCH_RESULTS = {
  timestamp: "2025-01-01T12:00:00Z",
  total: 3,
  successful: 1,
  failed: 1,
  skipped: 1,
  config_hash: "abc123",
  results: [
    {
      id: "audio_0000",
      rel_path: "songs/song.flac",
      track_slug: "song",
      success: true,
      skipped: false,
      duration_sec: 60,
      elapsed_sec: 4.5,
      stats: { pads: 2, swells: 1, clouds: 1, hiss_loops: 1, hiss_flickers: 0, error: null },
    },
    {
      id: "audio_0001",
      rel_path: "songs/broken.wav",
      track_slug: "broken",
      success: false,
      skipped: false,
      duration_sec: 0,
      elapsed_sec: 0.1,
      stats: {
        pads: 0,
        swells: 0,
        clouds: 0,
        hiss_loops: 0,
        hiss_flickers: 0,
        error: "not audio <RIFF missing>",
      },
    },
    {
      id: "audio_0002",
      rel_path: "songs/other.wav",
      track_slug: "other",
      success: true,
      skipped: true,
      duration_sec: 30,
      elapsed_sec: 0,
      stats: { pads: 1, swells: 0, clouds: 0, hiss_loops: 0, hiss_flickers: 0, error: null },
    },
  ],
};

/**
 * Set columns of a written manifest.csv, one value per row (as a newer `make` writes them): a column
 * already there gets the new values, any other is appended. `null` as a value removes the column.
 * Values are plain (no commas or quotes); the manifest's own cells are kept as they are.
 */
export function setColumns(
  manifestPath: string,
  columns: Record<string, ((row: ManifestRow) => string | number) | null>,
  rows: readonly ManifestRow[],
): void {
  const text = readFileSync(manifestPath, "utf8").trimEnd();
  const records = parseCsv(text);
  const header = text.slice(0, text.indexOf("\n")).split(",");
  const names = [
    ...header.filter((h) => !(h in columns)),
    ...Object.keys(columns).filter((c) => columns[c] !== null),
  ];
  const lines = [names.join(",")];
  records.forEach((rec, i) => {
    lines.push(
      names
        .map((n) => {
          const f = columns[n];
          return f ? String(f(rows[i])) : csvField(rec[n]);
        })
        .join(","),
    );
  });
  writeFileSync(manifestPath, `${lines.join("\n")}\n`);
}

/** Timbre fingerprints for the small pack, made up so that neighbours are plain: the pads sit together, the hiss apart. */
export const SMALL_PACK_FINGERPRINTS: Readonly<Record<string, readonly number[]>> = {
  "song/pads/song_pad01_mid.wav": [0, 0, 0],
  "song/pads/song_pitch+7_loop_warm.wav": [0.2, 0, 0],
  "Other Track #2/pads/other_pad01_bright.wav": [0.5, 0.1, 0],
  "song/swells/song_stretch1.5x_swell01.wav": [3, 1, 0],
  "song/clouds/cloud_song_01_bright.wav": [3, 3, 1],
  "song/hiss/hiss_loop_song_01.wav": [8, 0, 5],
  "song/hiss/hiss_flicker_song_01.wav": [8, 0.5, 5.2],
};

/** Quality scores for the small pack (the `score` column). */
export const SMALL_PACK_SCORES: Readonly<Record<string, number>> = {
  "song/pads/song_pad01_mid.wav": 90,
  "song/pads/song_pad02_dark.wav": 10,
  "song/pads/song_pitch+7_loop_warm.wav": 40,
  "Other Track #2/pads/other_pad01_bright.wav": 75,
  "song/swells/song_stretch1.5x_swell01.wav": 60,
  "song/clouds/cloud_song_01_bright.wav": 85,
  "song/hiss/hiss_loop_song_01.wav": 20,
  "song/hiss/hiss_flicker_song_01.wav": 5,
};
