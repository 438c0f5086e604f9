/**
 * Issue "musical truth": grades that rank. Textures are scored from their own samples; a flaw a
 * listener hears costs points and is named in the reason; a duplicate of a kept texture is not
 * written.
 */
import { describe, expect, it } from "vitest";
import { profileTexture } from "../../src/analysis/quality/profile.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import type { PlanarAudio } from "../../src/core/audio.js";
import { loopSegmentLength, makeLoop } from "../../src/dsp/loop.js";
import { Rng } from "../../src/dsp/rng.js";
import { synthesizeDemoArchive } from "../../src/pipeline/demo.js";
import { measureTexture } from "../../src/pipeline/measure.js";
import { type Assessment, spectralDistanceDb, TextureAssessor } from "../../src/pipeline/score.js";
import { loopSimilarity } from "../../src/textures/common.js";
import { makeDrones } from "../../src/textures/drones.js";
import { makeHiss } from "../../src/textures/hiss.js";
import type { Texture } from "../../src/textures/types.js";
import { A_MINOR, addKick, chord, memorySource, SR } from "../textures/helpers.js";

function assess(
  type: Texture["type"],
  x: Float32Array,
  loop: boolean,
  assessor = new TextureAssessor(DEFAULT_CONFIG),
  file = `s/pads/${type}.wav`,
): Assessment {
  const audio: PlanarAudio = { sampleRate: SR, channels: [x] };
  const m = measureTexture(audio, loop, DEFAULT_CONFIG);
  return assessor.assess({ type, loop: loop ? { start: 0, end: x.length } : undefined }, file, audio, m);
}

/** A seamless loop of `seconds` from x (the loop maker, as the generators use it). */
function loopOf(x: Float32Array, seconds: number): Float32Array {
  const lengthSamples = Math.round(seconds * SR);
  const o = { sampleRate: SR, lengthSamples, crossfadeMs: 100, lengthTolerance: 0 };
  const seg = x.subarray(0, loopSegmentLength(lengthSamples, SR, o));
  return makeLoop(seg, o).audio;
}

/** Loudest 256-sample block over the median block (dB), computed here independently. */
function blockProminenceDb(x: Float32Array): number {
  const e: number[] = [];
  for (let b = 0; b + 256 <= x.length; b += 256) {
    let s = 0;
    for (let i = b; i < b + 256; i++) s += x[i] * x[i];
    e.push(s);
  }
  const sorted = e.slice().sort((p, q) => p - q);
  return 10 * Math.log10(Math.max(...e) / sorted[e.length >> 1]);
}

describe("quality score", () => {
  it("scores a hiss loop with one click 26 dB over its median (±1 dB) at least 30 points under the clean loop", async () => {
    const { textures } = await makeHiss(null, { material: "synthetic", flickerCount: 0 }, new Rng(3));
    const clean = textures[0].audio.channels[0];
    const clicked = clean.slice();
    // A 1 ms burst in the middle, sized so its block stands 26 dB above the median block.
    const blocks: number[] = [];
    for (let b = 0; b + 256 <= clean.length; b += 256) {
      let s = 0;
      for (let i = b; i < b + 256; i++) s += clean[i] * clean[i];
      blocks.push(s);
    }
    const median = blocks.slice().sort((p, q) => p - q)[blocks.length >> 1];
    const at = 256 * (blocks.length >> 1) + 100;
    const amp = Math.sqrt((median * 10 ** 2.6) / 44);
    for (let i = 0; i < 44; i++) clicked[at + i] += amp * (i % 2 ? 1 : -1);
    // Back to the hiss peak (-6 dBFS): the measures are ratios, and the loop must not clip.
    let peak = 0;
    for (const v of clicked) peak = Math.max(peak, Math.abs(v));
    for (let i = 0; i < clicked.length; i++) clicked[i] *= 0.5 / peak;
    expect(Math.abs(blockProminenceDb(clicked) - 26)).toBeLessThanOrEqual(1);
    expect(Math.abs(profileTexture(clicked, SR, true).clickDb - blockProminenceDb(clicked))).toBeLessThan(
      0.5,
    );

    const a = assess("hiss_loop", clean, true);
    const b = assess("hiss_loop", clicked, true);
    expect(a.grade).toBe("A");
    expect(b.score).toBeLessThanOrEqual(a.score - 30);
    expect(b.grade).not.toBe("A");
    expect(b.reason).toMatch(/click 2[5-7] dB over the median -\d+/);
  });

  it("grades a loop cut from a release tail (-25 dB over the loop) below A and a held chord's loop A", () => {
    const held = chord(A_MINOR, 3, 0.1, 2);
    const tail = held.map((v, i) => v * 10 ** ((-25 * (i / SR)) / 2.45 / 20));
    const good = assess("pad", loopOf(held, 2), true);
    const bad = assess("pad", loopOf(tail, 2), true);
    expect(good.grade).toBe("A");
    expect(bad.grade).not.toBe("A");
    expect(bad.score).toBeLessThanOrEqual(good.score - 40);
    // The loop maker flattens 6 dB of the fall; the rest shows as a decay the loop restarts from.
    expect(bad.reason).toMatch(/decays \d+ dB -\d+/);
  });

  it("names a percussive hit (a kick) inside a loop and takes 25 points for it", () => {
    const x = chord(A_MINOR, 3, 0.06, 4);
    addKick(x, 1.0, 0.2);
    const r = assess("loop", loopOf(x, 2), true);
    expect(r.reason).toMatch(/percussive hit inside -25/);
    expect(r.grade).not.toBe("A");
  });

  it("takes points from a swell that rises and falls twice", () => {
    const n = 6 * SR;
    const once = chord(A_MINOR, 6, 0.1, 5);
    const twice = once.slice();
    for (let i = 0; i < n; i++) {
      const t = i / n;
      once[i] *= Math.sin(Math.PI * t) ** 2;
      twice[i] *= Math.sin(2 * Math.PI * t) ** 2;
    }
    const a = assess("swell", once, false);
    const b = assess("swell", twice, false);
    expect(a.reason).not.toMatch(/humps/);
    expect(b.reason).toMatch(/2 level humps -15/);
  });

  it("keeps one of a dark source's warm and dark loops (no two outputs correlated above 0.98)", async () => {
    // Partials up to 990 Hz: the warm (3 kHz) and dark (1.5 kHz) low-passes leave the same sound.
    const dark = chord(A_MINOR, 10, 0.08, 6, SR, 3);
    const { textures } = await makeDrones(
      memorySource("dark", dark),
      { pitchShiftSemitones: [0], timeStretchFactors: [1] },
      new Rng(1),
    );
    const assessor = new TextureAssessor(DEFAULT_CONFIG);
    const rows = textures.map((t) => {
      const file = `dark/${t.category}/${t.name}`;
      const m = measureTexture(t.audio, t.loop !== undefined, DEFAULT_CONFIG);
      return { t, file, ...assessor.assess(t, file, t.audio, m) };
    });
    const byName = new Map(rows.map((r) => [r.t.name, r]));
    expect(byName.get("dark_loop_dark.wav")?.duplicateOf).toBe("dark/pads/dark_loop_warm.wav");
    expect(byName.get("dark_loop_warm.wav")?.duplicateOf).toBeNull();
    // Before the check these two were written side by side (correlation above 0.98).
    const w = byName.get("dark_loop_warm.wav")?.t.audio.channels[0] as Float32Array;
    const d = byName.get("dark_loop_dark.wav")?.t.audio.channels[0] as Float32Array;
    expect(loopSimilarity(w, d)).toBeGreaterThan(0.98);
    const kept = rows.filter((r) => r.duplicateOf === null);
    for (let i = 0; i < kept.length; i++) {
      for (let j = i + 1; j < kept.length; j++) {
        const a = kept[i].t.audio.channels[0];
        const b = kept[j].t.audio.channels[0];
        if (a.length !== b.length) continue;
        expect(loopSimilarity(a, b), `${kept[i].t.name} ~ ${kept[j].t.name}`).toBeLessThanOrEqual(0.98);
      }
    }
  });

  it("finds a pad again in a drone loop of another stretch and kind (rotated 0.31 s, low-passed at 1 kHz: correlation > 0.98)", () => {
    const loop = loopOf(chord(A_MINOR, 6, 0.1, 7), 2);
    const k = Math.round(0.31 * SR);
    const moved = new Float32Array(loop.length);
    moved.set(loop.subarray(k));
    moved.set(loop.subarray(0, k), loop.length - k);
    // One-pole low-pass at about 1 kHz (spectra 0.55 dB apart, correlation 0.995), run round the
    // circle twice so the loop stays seamless.
    const a = Math.exp((-2 * Math.PI * 1000) / SR);
    let y = 0;
    const soft = new Float32Array(loop.length);
    for (let pass = 0; pass < 2; pass++)
      for (let i = 0; i < moved.length; i++) {
        y = (1 - a) * moved[i] + a * y;
        soft[i] = y;
      }
    expect(loopSimilarity(loop, soft)).toBeGreaterThan(0.9);
    // Not alike enough by spectrum alone: the waveform decides.
    const dist = spectralDistanceDb(
      profileTexture(loop, SR, true).spectrumDb,
      profileTexture(soft, SR, true).spectrumDb,
    );
    expect(dist).toBeGreaterThan(DEFAULT_CONFIG.curation.thresholds.duplicate_spectral_db);
    expect(dist).toBeLessThan(1.5);
    const assessor = new TextureAssessor(DEFAULT_CONFIG);
    const pad = assess("pad", loop, true, assessor, "s/pads/s_pad01_mid.wav");
    const drone = assess("loop", soft, true, assessor, "s/pads/s_loop_warm.wav");
    expect(pad.duplicateOf).toBeNull();
    expect(drone.duplicateOf).toBe("s/pads/s_pad01_mid.wav");
    // Its polarity turned: the same sound.
    const turned = soft.map((v) => -v);
    expect(assess("reversed", turned, true, assessor, "s/pads/s_reversed.wav").duplicateOf).toBe(
      "s/pads/s_pad01_mid.wav",
    );
  });

  it("keeps loops of other sounds and one-shots of another kind apart", () => {
    const assessor = new TextureAssessor(DEFAULT_CONFIG);
    const a = loopOf(chord(A_MINOR, 6, 0.1, 7), 2);
    const b = loopOf(chord([200, 300, 450], 6, 0.1, 8), 2);
    expect(assess("pad", a, true, assessor, "s/pads/a.wav").duplicateOf).toBeNull();
    expect(assess("loop", b, true, assessor, "s/pads/b.wav").duplicateOf).toBeNull();
    // The same samples as a one-shot cloud: another family, not compared with the loops.
    expect(assess("cloud", a, false, assessor, "s/clouds/c.wav").duplicateOf).toBeNull();
    // A swell and a copy of it 1 ms later: one sound.
    const swell = chord(A_MINOR, 3, 0.1, 9);
    for (let i = 0; i < swell.length; i++) swell[i] *= Math.sin((Math.PI * i) / swell.length) ** 2;
    const later = new Float32Array(swell.length);
    later.set(swell.subarray(0, swell.length - 44), 44);
    expect(assess("swell", swell, false, assessor, "s/swells/s1.wav").duplicateOf).toBeNull();
    expect(assess("swell", later, false, assessor, "s/swells/s2.wav").duplicateOf).toBe("s/swells/s1.wav");
  });
});

describe("grades on the demo archive", () => {
  it("separate its steady Eb drone's drones (score >= 75: A, a thin airy loop B) from its drum loop's (<= 20: C)", async () => {
    const tracks = synthesizeDemoArchive(7);
    const grades = async (relPath: string): Promise<Assessment[]> => {
      const t = tracks.find((x) => x.relPath === relPath);
      if (!t) throw new Error(`no demo track ${relPath}`);
      const src = memorySource("demo", [...t.audio.channels], t.audio.sampleRate);
      const { textures } = await makeDrones(
        src,
        { pitchShiftSemitones: [0], timeStretchFactors: [1] },
        new Rng(1),
      );
      const assessor = new TextureAssessor(DEFAULT_CONFIG);
      return textures
        .map((x) => {
          const m = measureTexture(x.audio, x.loop !== undefined, DEFAULT_CONFIG);
          return assessor.assess(x, `demo/${x.category}/${x.name}`, x.audio, m);
        })
        .filter((a) => a.duplicateOf === null);
    };
    const drone = await grades("Songs/Nuit d'Été/Eb Drone.wav");
    const drums = await grades("Tracks/Break 92bpm.wav");
    expect(drone.length).toBeGreaterThanOrEqual(3);
    expect(drums.length).toBeGreaterThanOrEqual(3);
    for (const a of drone) expect(a.score, a.reason).toBeGreaterThanOrEqual(75);
    expect(drone.filter((a) => a.grade !== "A").map((a) => a.reason)).toEqual([
      "thin: the filter took 59 dB -25",
    ]);
    for (const a of drums) {
      expect(a.score, a.reason).toBeLessThanOrEqual(20);
      expect(a.grade).toBe("C");
    }
  });
});
