/**
 * Root notes through `make`: a single note gets its root (shifted with each drone's pitch) in the
 * manifest and in the written `smpl` chunk, with its cents; a chord gets none (key kept), and its
 * loops keep their loop points with no unity-note claim.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PITCH_OPTIONS } from "../../src/analysis/pitch.js";
import { DEFAULT_CONFIG, type PatinaConfig } from "../../src/config/index.js";
import type { ManifestRow } from "../../src/core/manifest.js";
import { writeWav } from "../../src/io/wav-writer.js";
import { runMake } from "../../src/pipeline/make.js";
import { chord } from "../textures/helpers.js";

const SR = 44100;
/** A3 + 12 cents. */
const TONE_HZ = 220 * 2 ** (12 / 1200);
let root: string;
let rows: ManifestRow[];
let exportDir: string;

/** The `smpl` chunk's unity note and pitch fraction (in semitones) of a written file. */
function smplOf(path: string): { unity: number; fraction: number; loops: number } | null {
  const b = readFileSync(path);
  for (let p = 12; p + 8 <= b.length; ) {
    const size = b.readUInt32LE(p + 4);
    if (b.toString("latin1", p, p + 4) === "smpl") {
      return {
        unity: b.readUInt32LE(p + 20),
        fraction: b.readUInt32LE(p + 24) / 2 ** 32,
        loops: b.readUInt32LE(p + 36),
      };
    }
    p += 8 + size + (size & 1);
  }
  return null;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "patina-make-roots-"));
  for (const d of ["source_audio", "pad_sources"]) mkdirSync(join(root, d));
  const tone = chord([TONE_HZ], 9, 0.2, 3, SR, 6);
  const triad = chord([261.63, 329.63, 392], 9, 0.1, 4, SR, 6);
  for (const d of ["source_audio", "pad_sources"]) {
    await writeWav(join(root, d, "tone.wav"), { sampleRate: SR, channels: [tone] }, { bitDepth: 24 });
    await writeWav(join(root, d, "triad.wav"), { sampleRate: SR, channels: [triad] }, { bitDepth: 24 });
  }
  const config: PatinaConfig = {
    ...DEFAULT_CONFIG,
    pad_miner: { ...DEFAULT_CONFIG.pad_miner, target_durations_sec: [2] },
    drones: {
      ...DEFAULT_CONFIG.drones,
      pitch_shift_semitones: [0, 7],
      time_stretch_factors: [1],
      pad_variants: ["warm"],
    },
  };
  const result = await runMake({ root, config, phases: ["pads", "drones"], seed: 3 });
  rows = result.rows;
  exportDir = result.exportDir;
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("root notes through make", () => {
  it("a single note: root and cents in the manifest, shifted with the drone's pitch (A3 +12 cents, within ±3 cents)", () => {
    const tone = rows.filter((r) => r.source === "tone");
    expect(tone.length).toBeGreaterThanOrEqual(5);
    for (const r of tone) {
      const shift = (r.params.pitch_semitones as number | undefined) ?? 0;
      expect(r.root_midi, r.file).toBe(57 + shift);
      expect(Math.abs((r.root_cents ?? 99) - 12), r.file).toBeLessThanOrEqual(3);
      expect(r.root_confidence!, r.file).toBeGreaterThanOrEqual(DEFAULT_PITCH_OPTIONS.minConfidence);
      expect(r.key, r.file).not.toBeNull();
    }
  });

  it("a single note's loops carry the root in smpl: unity note + fraction = root + cents (within 0.5 cent)", () => {
    const loops = rows.filter((r) => r.source === "tone" && r.loop && r.saved);
    // The pad and the +7 drone loop (the unshifted drone loop and the reversed ones are the pad again).
    expect(loops.length).toBeGreaterThanOrEqual(2);
    for (const r of loops) {
      const s = smplOf(join(exportDir, r.file))!;
      expect(s.loops, r.file).toBe(1);
      const written = s.unity + s.fraction;
      expect(Math.abs(written - (r.root_midi! + r.root_cents! / 100)) * 100, r.file).toBeLessThan(0.5);
    }
  });

  it("a chord: no root anywhere (confidence under the threshold), the key kept, loops with no smpl chunk (no unity-note claim)", () => {
    const triad = rows.filter((r) => r.source === "triad");
    expect(triad.length).toBeGreaterThanOrEqual(5);
    for (const r of triad) {
      expect(r.root_midi, r.file).toBeNull();
      expect(r.root_hz, r.file).toBeNull();
      expect(r.root_cents, r.file).toBeNull();
      expect(r.root_confidence!, r.file).toBeLessThan(DEFAULT_PITCH_OPTIONS.minConfidence);
      const shift = (r.params.pitch_semitones as number | undefined) ?? 0;
      expect(r.key, r.file).toBe(shift === 7 ? "G major" : "C major");
      if (!r.loop || !r.saved) continue;
      // Every loop patina makes spans its whole file: without a root, no chunk is needed or written.
      expect([r.loop_start, r.loop_end], r.file).toEqual([0, Math.round(r.duration_sec * 44100)]);
      expect(smplOf(join(exportDir, r.file)), r.file).toBeNull();
    }
  });
});
