import { describe, expect, it } from "vitest";
import { estimatePitch } from "../../src/analysis/pitch.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { Rng } from "../../src/dsp/rng.js";
import { seamMetrics } from "../../src/dsp/seam.js";
import { meanCentroidHz, variantTag } from "../../src/textures/common.js";
import {
  DRONE_DEFAULTS,
  droneOptionsFromConfig,
  droneTextureNames,
  makeDrones,
} from "../../src/textures/drones.js";
import type { Texture } from "../../src/textures/types.js";
import { A_MINOR, allFinite, chord, memorySource, peakDbOf, SR, whiteNoise } from "./helpers.js";

// A rich A minor chord (partials up to ~10 kHz, so every tonal variant has material).
const rich = chord(A_MINOR, 10, 0.05, 1, SR, 32);

function expectSeamless(t: Texture): void {
  for (const ch of t.audio.channels) {
    const s = seamMetrics(ch, SR);
    expect(s.clickDb, `${t.name} click`).toBeLessThanOrEqual(6);
    expect(s.dipDb, `${t.name} dip`).toBeGreaterThanOrEqual(-3);
  }
}

function expectSilentEdges(t: Texture): void {
  const ms = Math.round(0.001 * SR);
  for (const ch of t.audio.channels) {
    const n = ch.length;
    // Below -60 dBFS at the first and last sample...
    expect(Math.abs(ch[0])).toBeLessThan(1e-3);
    expect(Math.abs(ch[n - 1])).toBeLessThan(1e-3);
    // ...reached by a fade, not a step: the first and last millisecond stay below -40 dBFS.
    for (let i = 0; i < ms; i++) {
      expect(Math.abs(ch[i])).toBeLessThan(0.01);
      expect(Math.abs(ch[n - 1 - i])).toBeLessThan(0.01);
    }
  }
}

describe("drone naming", () => {
  it("omits neutral parts and names every pitch x stretch combination uniquely", () => {
    expect(variantTag(0, 1)).toBe("");
    expect(variantTag(7, 1)).toBe("_pitch+7");
    expect(variantTag(0, 1.5)).toBe("_stretch1.5x");
    expect(variantTag(-5, 2)).toBe("_pitch-5_stretch2x");
    expect(variantTag(0.5, 0.75)).toBe("_pitch+0.5_stretch0.75x");
    const names = droneTextureNames("song", {}).map((n) => n.name);
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    expect(names).toContain("song_pitch+7_loop_warm.wav");
    expect(names).toContain("song_stretch1.5x_swell01.wav");
    expect(names).toContain("song_reversed.wav");
    expect(names).toContain("song_pitch+12_stretch2x_loop_dark.wav");
    // Repeated configured values do not repeat names.
    expect(droneTextureNames("s", { pitchShiftSemitones: [0, 0, 7], timeStretchFactors: [1] })).toHaveLength(
      10,
    );
  });

  it("maps the config defaults onto the drone defaults", () => {
    expect(droneOptionsFromConfig(DEFAULT_CONFIG)).toEqual({
      ...DRONE_DEFAULTS,
      padVariants: ["warm", "airy", "dark"],
      pitchShiftSemitones: [0, 7, 12],
      timeStretchFactors: [1, 1.5, 2],
    });
  });
});

describe("makeDrones", () => {
  it("makes loops in every tonal variant, a swell and a reversed loop per pitch x stretch", async () => {
    const src = memorySource("song", rich);
    const { textures, skipped } = await makeDrones(src, {}, new Rng(1));
    expect(skipped).toBeUndefined();
    expect(textures.map((t) => t.name)).toEqual(droneTextureNames("song", {}).map((n) => n.name));
    for (const t of textures) {
      expect(allFinite(t.audio.channels), t.name).toBe(true);
      expect(Math.abs(peakDbOf(t.audio.channels) - -1), t.name).toBeLessThanOrEqual(0.1);
      expect(t.audio.channels).toHaveLength(1);
      if (t.type === "swell") {
        expect(t.category).toBe("swells");
        expect(t.loop).toBeUndefined();
        expect(t.audio.channels[0].length).toBe(6 * SR);
        expectSilentEdges(t);
      } else {
        expect(t.category).toBe("pads");
        const len = t.audio.channels[0].length;
        expect(len, t.name).toBe(2 * SR);
        expect(t.loop).toEqual({ start: 0, end: len });
        expectSeamless(t);
      }
      const p = t.params.pitch_semitones as number;
      expect(t.key).toBe(p === 7 ? "E minor" : "A minor");
      // A chord has a key but no root note.
      expect(t.rootMidi, t.name).toBeNull();
      expect(t.rootConfidence!, t.name).toBeLessThan(0.5);
    }
    // Warm and dark are low-passed, airy high-passed: their centroids order accordingly.
    const c = (name: string): number =>
      meanCentroidHz(textures.find((t) => t.name === name)?.audio.channels[0] ?? new Float32Array(1), SR);
    expect(c("song_loop_airy.wav")).toBeGreaterThan(6000);
    expect(c("song_loop_warm.wav")).toBeLessThan(3000);
    expect(c("song_loop_dark.wav")).toBeLessThan(c("song_loop_warm.wav"));
  });

  it("shifts the pitch by the asked semitones and keeps it when stretching", async () => {
    const tone = chord([220], 15, 0.2, 5, SR, 6);
    const { textures } = await makeDrones(
      memorySource("tone", tone),
      { pitchShiftSemitones: [0, 7, -5], timeStretchFactors: [1, 2], padVariants: [] },
      new Rng(1),
    );
    const expectHz = (name: string, hz: number, midi: number): void => {
      const t = textures.find((x) => x.name === name);
      expect(t, name).toBeDefined();
      const est = estimatePitch((t as Texture).audio.channels[0], SR);
      expect(est, name).not.toBeNull();
      // Within 0.5 % (8.6 cents) of the shifted pitch.
      expect(Math.abs((est?.hz ?? 0) / hz - 1), name).toBeLessThan(0.005);
      expect((t as Texture).rootMidi).toBe(midi);
      // The tone is exactly on its note: the shifted root is too (within ±3 cents).
      expect(Math.abs((t as Texture).rootCents ?? 99), name).toBeLessThanOrEqual(3);
      expect((t as Texture).rootConfidence!, name).toBeGreaterThanOrEqual(0.5);
    };
    expectHz("tone_loop.wav", 220, 57);
    expectHz("tone_stretch2x_loop.wav", 220, 57);
    expectHz("tone_pitch+7_loop.wav", 220 * 2 ** (7 / 12), 64);
    expectHz("tone_pitch+7_stretch2x_swell01.wav", 220 * 2 ** (7 / 12), 64);
    expectHz("tone_pitch-5_stretch2x_loop.wav", 220 * 2 ** (-5 / 12), 52);
  });

  it("reads one bounded region of a 5-minute source, whatever its length", async () => {
    // 5 minutes: noise with a steady tone from 200 s to 215 s, the steadiest, most tonal part.
    const n = 300 * SR;
    const x = whiteNoise(n, 0.05, 11);
    const tone = chord(A_MINOR, 15, 0.1, 2, SR, 8);
    for (let i = 0; i < tone.length; i++) x[200 * SR + i] = tone[i];
    const src = memorySource("long", x);
    const { textures } = await makeDrones(
      src,
      { pitchShiftSemitones: [0, 12], timeStretchFactors: [1, 2], padVariants: ["warm"] },
      new Rng(1),
    );
    expect(textures.length).toBe(2 * 2 * 3);
    expect(src.reads).toHaveLength(1);
    const [start, end] = src.reads[0];
    // Swell (6 s) + vocoder edges and tape margins at the least stretch: well under 7 s.
    expect(end - start).toBeLessThan(7 * SR);
    expect(end - start).toBeGreaterThan(6 * SR);
    expect(start).toBeGreaterThanOrEqual(200 * SR);
    expect(end).toBeLessThanOrEqual(215 * SR);
  });

  it("is deterministic: the same source gives bit-identical drones", async () => {
    const opts = { pitchShiftSemitones: [0, 7], timeStretchFactors: [1.5], padVariants: ["dark" as const] };
    const a = await makeDrones(memorySource("d", rich), opts, new Rng(1));
    const b = await makeDrones(memorySource("d", rich), opts, new Rng(2));
    expect(a.textures.map((t) => t.name)).toEqual(b.textures.map((t) => t.name));
    for (let i = 0; i < a.textures.length; i++) {
      const x = a.textures[i].audio.channels[0];
      const y = b.textures[i].audio.channels[0];
      expect(
        Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(
          Buffer.from(y.buffer, y.byteOffset, y.byteLength),
        ),
      ).toBe(true);
    }
  });

  it("keeps stereo drones aligned and seamless in both channels", async () => {
    const left = chord(A_MINOR, 10, 0.05, 1, SR, 16);
    const right = chord(A_MINOR, 10, 0.05, 2, SR, 16);
    const { textures } = await makeDrones(
      memorySource("st", [left, right]),
      { stereo: true, pitchShiftSemitones: [7], timeStretchFactors: [1], padVariants: ["warm"] },
      new Rng(1),
    );
    expect(textures.map((t) => t.name)).toEqual([
      "st_pitch+7_loop_warm.wav",
      "st_pitch+7_reversed.wav",
      "st_pitch+7_swell01.wav",
    ]);
    for (const t of textures) {
      expect(t.audio.channels).toHaveLength(2);
      expect(t.audio.channels[0].length).toBe(t.audio.channels[1].length);
      expect(Math.abs(peakDbOf(t.audio.channels) - -1)).toBeLessThanOrEqual(0.1);
      if (t.type === "swell") expectSilentEdges(t);
      else expectSeamless(t);
    }
  });

  it("makes what a short source allows and says what it could not", async () => {
    const { textures, skipped } = await makeDrones(
      memorySource("short", chord(A_MINOR, 3.5, 0.05, 1, SR, 16)),
      { pitchShiftSemitones: [0], timeStretchFactors: [1, 2], padVariants: ["warm"] },
      new Rng(1),
    );
    expect(textures.map((t) => t.name)).toEqual([
      "short_loop_warm.wav",
      "short_reversed.wav",
      "short_stretch2x_loop_warm.wav",
      "short_stretch2x_reversed.wav",
      "short_stretch2x_swell01.wav",
    ]);
    expect(skipped).toMatch(/unshifted: source too short for a 6 s swell/);
    for (const t of textures) if (t.loop) expectSeamless(t);
  });

  it("skips a tonal variant the material has nothing for, and says so", async () => {
    const low = chord([110], 10, 0.2, 1, SR, 4); // nothing above 440 Hz
    const { textures, skipped } = await makeDrones(
      memorySource("low", low),
      { pitchShiftSemitones: [0], timeStretchFactors: [1] },
      new Rng(1),
    );
    expect(textures.map((t) => t.name)).toEqual([
      "low_loop_warm.wav",
      "low_loop_dark.wav",
      "low_reversed.wav",
      "low_swell01.wav",
    ]);
    expect(skipped).toMatch(/airy loop skipped/);
  });

  it("makes nothing from silence, and says so", async () => {
    const { textures, skipped } = await makeDrones(
      memorySource("quiet", new Float32Array(10 * SR)),
      {},
      new Rng(1),
    );
    expect(textures).toEqual([]);
    expect(skipped).toMatch(/steadiest region is silent/);
  });

  it("rejects impossible options", async () => {
    const src = memorySource("x", chord(A_MINOR, 8));
    await expect(makeDrones(src, { timeStretchFactors: [0] }, new Rng(1))).rejects.toThrow(/stretch factors/);
    await expect(makeDrones(src, { fadeInSec: 4, fadeOutSec: 4 }, new Rng(1))).rejects.toThrow(/fadeInSec/);
    await expect(makeDrones(src, { pitchShiftSemitones: [30] }, new Rng(1))).rejects.toThrow(/pitch shifts/);
  });
});
