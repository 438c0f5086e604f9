import { describe, expect, it } from "vitest";
import { brightnessClass } from "../../src/analysis/brightness.js";
import { detectKey, tonicName, transposeKey } from "../../src/analysis/key.js";
import { analyzeSamples } from "../../src/analysis/track.js";
import { ParameterError } from "../../src/core/errors.js";
import { chord, midiHz, SR, whiteNoise } from "./signals.js";

const PARTIALS = [1, 0.5, 0.33, 0.25];

/** Chords (MIDI notes) of `sec` each, back to back, harmonic tones with a few partials. */
function progression(chords: readonly (readonly number[])[], sec = 1): Float32Array {
  const parts = chords.map((c) => chord(c.map(midiHz), sec, 0.12, SR, PARTIALS));
  const x = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    x.set(p, o);
    o += p.length;
  }
  return x;
}

/** I-IV-V-I (i-iv-V-i in minor) with a bass note an octave below the root, chord in octave 3-4. */
function cadence(tonicMidi: number, mode: "major" | "minor", sec = 1): Float32Array {
  const r = tonicMidi;
  const third = mode === "major" ? 4 : 3;
  return progression(
    [
      [r - 12, r, r + third, r + 7],
      [r - 7, r + 5, r + 5 + third, r + 12],
      [r - 5, r + 7, r + 11, r + 14],
      [r - 12, r, r + third, r + 7],
    ],
    sec,
  );
}

describe("key detection", () => {
  it("names i-iv-V-i in A minor (Am Dm E Am)", () => {
    const k = analyzeSamples(cadence(57, "minor"), SR).key();
    expect(k?.name).toBe("A minor");
    expect(k?.tonic).toBe("A");
    expect(k?.mode).toBe("minor");
  });

  it("names I-IV-V-I in E-flat major (Eb Ab Bb Eb)", () => {
    const k = analyzeSamples(cadence(51, "major"), SR).key();
    expect(k?.name).toBe("Eb major");
    expect(k?.margin).toBeGreaterThan(0);
  });

  it("names the cadence in all 24 keys (tonic in octave 3 and 4)", () => {
    const wrong: string[] = [];
    for (const base of [48, 60]) {
      for (let pc = 0; pc < 12; pc++) {
        for (const mode of ["major", "minor"] as const) {
          const k = analyzeSamples(cadence(base + pc, mode, 0.5), SR).key();
          if (k?.tonicPitchClass !== pc || k.mode !== mode) wrong.push(`${base + pc} ${mode} -> ${k?.name}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 30_000);

  it("returns null for silence and a flat profile, and checks its input", () => {
    expect(detectKey(new Float64Array(12))).toBeNull();
    expect(detectKey(new Float64Array(12).fill(3))).toBeNull();
    expect(analyzeSamples(new Float32Array(SR), SR).key()).toBeNull();
    expect(() => detectKey(new Float64Array(11))).toThrow(/11/);
    expect(() => detectKey(new Float64Array(12).fill(Number.NaN))).toThrow(ParameterError);
  });

  it("gives noise a weak key at best (correlation < 0.5)", () => {
    const k = analyzeSamples(whiteNoise(SR * 2, 0.3), SR).key();
    expect(k === null || k.confidence < 0.5).toBe(true);
  });
});

describe("brightness", () => {
  it("classes by the configured bounds and reports silence as silent", () => {
    expect(brightnessClass(1000)).toBe("dark");
    expect(brightnessClass(1500)).toBe("mid");
    expect(brightnessClass(3499)).toBe("mid");
    expect(brightnessClass(3500)).toBe("bright");
    expect(brightnessClass(0, {}, true)).toBe("silent");
    expect(brightnessClass(2000, { lowHz: 2500, highHz: 5000 })).toBe("dark");
    expect(() => brightnessClass(100, { lowHz: 3000, highHz: 2000 })).toThrow(ParameterError);
    expect(() => brightnessClass(Number.NaN)).toThrow(/NaN/);
  });

  it("tags a low chord dark and white noise bright from their analysed centroids", () => {
    const low = analyzeSamples(chord([45, 52].map(midiHz), 1, 0.2), SR);
    expect(low.brightness()).toBe("dark");
    const noise = analyzeSamples(whiteNoise(SR, 0.3), SR);
    expect(noise.brightness()).toBe("bright");
  });
});

describe("key names", () => {
  it("spells tonics as usual for their mode", () => {
    expect(tonicName(3, "major")).toBe("Eb");
    expect(tonicName(8, "minor")).toBe("G#");
    expect(tonicName(-1, "major")).toBe("B");
  });

  it("transposes keys by whole semitones", () => {
    expect(transposeKey({ tonicPitchClass: 9, mode: "minor" }, 7)).toBe("E minor");
    expect(transposeKey({ tonicPitchClass: 3, mode: "major" }, -5)).toBe("Bb major");
    expect(transposeKey({ tonicPitchClass: 0, mode: "major" }, 12)).toBe("C major");
    expect(transposeKey(null, 7)).toBeNull();
  });
});
