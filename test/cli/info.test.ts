import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureLevels } from "../../src/cli/commands/info.js";
import { writeWav } from "../../src/io/index.js";
import { runCli } from "./helpers.js";

let dir: string;
const RATE = 48000;
const FRAMES = 24000; // 0.5 s

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patina-info-"));
  // Stereo: left a 1 kHz sine at 0.5 peak plus DC 0.01, right silence.
  const left = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) left[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE) + 0.01;
  await writeWav(
    join(dir, "tone.wav"),
    { sampleRate: RATE, channels: [left, new Float32Array(FRAMES)] },
    { bitDepth: 24 },
  );
  await writeFile(join(dir, "notes.wav"), "this is a text file, not audio\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("measureLevels", () => {
  it("peak, RMS and DC of a known signal", () => {
    const n = 48000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000);
    const levels = measureLevels({ sampleRate: 48000, channels: [x, x] });
    expect(levels.peakDbfs).toBeCloseTo(20 * Math.log10(0.5), 2); // -6.02 dBFS
    expect(levels.rmsDbfs).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 2); // -9.03 dBFS
    expect(Math.abs(levels.dcOffset)).toBeLessThan(1e-6);
    expect(levels.durationSec).toBe(1);
    const silent = measureLevels({ sampleRate: 48000, channels: [new Float32Array(10)] });
    expect(silent.peakDbfs).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("patina info", () => {
  it("prints soxi-like fields for a WAV", async () => {
    const r = await runCli(["info", "tone.wav"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Input File     : 'tone.wav'");
    expect(r.stdout).toContain("Channels       : 2");
    expect(r.stdout).toContain("Sample Rate    : 48000");
    expect(r.stdout).toContain("Bit Depth      : 24");
    expect(r.stdout).toContain("Duration       : 00:00:00.50 = 24000 samples");
  });

  it("--json --decode gives one object per file; a bad file fails alone with exit 1", async () => {
    const r = await runCli(["info", "--json", "--decode", "tone.wav", "notes.wav", "missing.wav"], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out).toHaveLength(3);
    const [tone, notes, missing] = out;
    expect(Object.keys(tone).sort()).toEqual(
      [
        "path",
        "ok",
        "error",
        "container",
        "codec",
        "sample_rate",
        "channels",
        "bit_depth",
        "duration_sec",
        "size_bytes",
        "warnings",
        "peak_dbfs",
        "rms_dbfs",
        "dc_offset",
        "decoded_duration_sec",
      ].sort(),
    );
    expect(tone).toMatchObject({
      path: "tone.wav",
      ok: true,
      error: null,
      container: "wav",
      sample_rate: 48000,
    });
    expect(tone.channels).toBe(2);
    expect(tone.bit_depth).toBe(24);
    expect(tone.duration_sec as number).toBeCloseTo(0.5, 6);
    expect(tone.decoded_duration_sec as number).toBeCloseTo(0.5, 6);
    // Peak 0.51 (sine 0.5 + DC 0.01): -5.85 dBFS; 24-bit quantisation is far below 0.01 dB.
    expect(tone.peak_dbfs as number).toBeCloseTo(20 * Math.log10(0.51), 2);
    // RMS over both channels: left sqrt(0.125 + 0.0001), right 0 -> mean square halved.
    expect(tone.rms_dbfs as number).toBeCloseTo(10 * Math.log10((0.125 + 0.0001) / 2), 2);
    expect(tone.dc_offset as number).toBeCloseTo(0.01, 4);
    expect(notes).toMatchObject({ path: "notes.wav", ok: false, container: null, peak_dbfs: null });
    expect(notes.error).toMatch(/notes\.wav/);
    expect(missing.ok).toBe(false);
    expect(missing.error).toMatch(/missing\.wav/);
  });

  it("human output reports the failure on stderr and still prints the good file", async () => {
    const r = await runCli(["info", "notes.wav", "tone.wav", "--decode"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*notes\.wav/);
    expect(r.stdout).toContain("Input File     : 'tone.wav'");
    expect(r.stdout).toMatch(/Peak\s+: -5\.8\d dBFS/);
    expect(r.stdout).toMatch(/DC Offset\s+: 1\.00e-2/);
  });
});
