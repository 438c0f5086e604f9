/**
 * Regression: `make` shares one analysis between two names of the same source, and only then. Two
 * bounces of one length with silent edges have equal size and equal first and last 64 KiB; each must
 * still give textures of its own audio (the second once came out with the first one's pitch).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFile } from "../../src/io/decode.js";
import { writeWav } from "../../src/io/wav-writer.js";
import { runCli } from "../cli/helpers.js";

const SR = 44100;
let root: string;

/** 1 s of silence, `seconds` of a sine at `hz` with 50 ms ramps, 1 s of silence. */
function padded(hz: number, seconds: number): Float32Array {
  const out = new Float32Array(SR * (seconds + 2));
  const n = SR * seconds;
  const ramp = SR * 0.05;
  for (let i = 0; i < n; i++) {
    const g = Math.min(1, i / ramp, (n - 1 - i) / ramp);
    out[SR + i] = 0.4 * g * Math.sin((2 * Math.PI * hz * i) / SR);
  }
  return out;
}

/** Frequency from zero crossings in the loudest 0.5 s (a pure tone: exact to well under a cent). */
function zeroCrossingHz(all: Float32Array): number {
  const block = SR / 10;
  let best = 0;
  let bestEnergy = -1;
  for (let b = 0; b + 5 * block <= all.length; b += block) {
    let e = 0;
    for (let i = b; i < b + 5 * block; i++) e += all[i] * all[i];
    if (e > bestEnergy) {
      bestEnergy = e;
      best = b;
    }
  }
  const x = all.subarray(best, best + 5 * block);
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const t = i - 1 + x[i - 1] / (x[i - 1] - x[i]);
      if (first < 0) first = t;
      last = t;
      count++;
    }
  }
  return ((count - 1) * SR) / (last - first);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "patina-make-identity-"));
  mkdirSync(join(root, "source_audio"));
  // 24-bit: silence stays exact zeros (no dither), so the edges are equal and zero crossings mean the tone.
  for (const [name, hz] of [
    ["a", 220],
    ["b", 330],
  ] as const) {
    const x = padded(hz, 8);
    await writeWav(
      join(root, "source_audio", `${name}.wav`),
      { sampleRate: SR, channels: [x, x] },
      { bitDepth: 24 },
    );
  }
  writeFileSync(
    join(root, "config.yaml"),
    "pad_miner:\n  target_durations_sec: [2.0]\nreport:\n  enabled: false\n",
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("make: sources with equal size, head and tail", () => {
  it("mines each file's own audio (pad pitch within 5 cents of its source)", async () => {
    const r = await runCli(["make", "--mine-pads", "--seed", "3"], { cwd: root });
    expect(r.code).toBe(0);
    for (const [name, hz] of [
      ["a", 220],
      ["b", 330],
    ] as const) {
      const dir = join(root, "export", "tr8s", name, "pads");
      const mine = readdirSync(dir).filter((f) => f.endsWith(".wav"));
      expect(mine.length).toBeGreaterThan(0);
      for (const f of mine) {
        const audio = await decodeFile(join(dir, f));
        const cents = 1200 * Math.log2(zeroCrossingHz(audio.channels[0]) / hz);
        expect(Math.abs(cents), `${f}`).toBeLessThan(5);
      }
    }
  });
});
