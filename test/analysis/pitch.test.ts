import { describe, expect, it } from "vitest";
import {
  DEFAULT_PITCH_OPTIONS,
  estimatePitch,
  hzToMidi,
  measurePitch,
  midiToHz,
  midiToNoteName,
} from "../../src/analysis/pitch.js";
import { ParameterError } from "../../src/core/errors.js";
import { Rng } from "../../src/dsp/rng.js";
import { chord, harmonicTone, midiHz, SR, whiteNoise } from "./signals.js";

/** Notes across octaves 2-6, two or three pitch classes per octave. */
const NOTES = [36, 40, 45, 50, 54, 59, 61, 65, 70, 72, 76, 79, 86, 89, 93, 95];

/** Partial amplitudes (1st = the fundamental) of the spectra every note is tried with. */
const SPECTRA: ReadonlyArray<readonly [string, readonly number[]]> = [
  ["a plain harmonic tone", [1, 0.5, 0.33, 0.25, 0.2, 0.16]],
  ["a weak fundamental (-26 dB under the 2nd harmonic)", [0.05, 1, 0.7, 0.5, 0.35, 0.2]],
  ["a missing fundamental", [0, 1, 0.8, 0.6, 0.4, 0.3]],
  ["strong 2nd and 3rd harmonics", [0.3, 1, 0.9, 0.2, 0.1]],
  ["odd harmonics only (square-like)", [1, 0, 0.33, 0, 0.2, 0, 0.14]],
];

/** Cents between two frequencies. */
const centsOff = (hz: number, ref: number): number => 1200 * Math.log2(hz / ref);

function add(x: Float32Array, y: Float32Array, gain = 1): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] += gain * y[i];
  return x;
}

function sine(hz: number, seconds: number, amp: number, phase = 0.3): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * hz * i) / SR + phase);
  return x;
}

describe("estimatePitch: the root note to the octave", () => {
  for (const [what, amps] of SPECTRA) {
    it(`names every note of octaves 2-6 exactly with ${what}, within ±3 cents`, () => {
      for (const midi of NOTES) {
        const hz = midiHz(midi);
        const p = estimatePitch(harmonicTone(hz, 2, amps, SR, midi, undefined, 0.2), SR);
        expect(p, `${midiToNoteName(midi)}`).not.toBeNull();
        expect(p!.midi, `${midiToNoteName(midi)}`).toBe(midi);
        expect(Math.abs(centsOff(p!.hz, hz)), `${midiToNoteName(midi)}`).toBeLessThan(3);
        expect(p!.confidence, `${midiToNoteName(midi)}`).toBeGreaterThanOrEqual(0.8);
      }
    });
  }

  it("gives the cents from the nearest note (A4 +20 cents and A4 -35 cents, within ±2 cents)", () => {
    for (const cents of [20, -35]) {
      const p = estimatePitch(harmonicTone(440 * 2 ** (cents / 1200), 1, [0.5, 0.2, 0.1]), SR)!;
      expect(p.midi).toBe(69);
      expect(Math.abs(p.cents - cents)).toBeLessThan(2);
    }
  });

  it("is not pulled down by a subharmonic: a faint partial at 2/3 f (30 dB down) leaves C#3, not F#1", () => {
    const hz = midiHz(49);
    const x = add(
      harmonicTone(hz, 2, [1, 0.6, 0.4, 0.3, 0.2], SR, 3, undefined, 0.2),
      sine((2 * hz) / 3, 2, 0.2 * 0.03),
    );
    expect(estimatePitch(x, SR)?.midi).toBe(49);
  });

  it("is not pulled down by period doubling: f/2, 3f/2, 5f/2 at -30, -34, -38 dB leave A3, not A2", () => {
    const hz = midiHz(57);
    const x = harmonicTone(hz, 2, [1, 0.5, 0.33, 0.25], SR, 4, undefined, 0.2);
    [-30, -34, -38].forEach((db, i) => {
      add(x, sine(((2 * i + 1) * hz) / 2, 2, 0.2 * 10 ** (db / 20), i));
    });
    expect(estimatePitch(x, SR)?.midi).toBe(57);
  });

  it("gives no root when the octave is ambiguous: A3 over a sub-octave partial 6 dB down (an organ's 16')", () => {
    const hz = midiHz(57);
    const x = add(
      harmonicTone(hz, 2, [1, 0.5, 0.33, 0.25, 0.2], SR, 8, undefined, 0.2),
      sine(hz / 2, 2, 0.1),
    );
    const p = measurePitch(x, SR)!;
    expect([45, 57]).toContain(p.midi);
    expect(p.confidence).toBeLessThan(DEFAULT_PITCH_OPTIONS.minConfidence);
    expect(estimatePitch(x, SR)).toBeNull();
  });

  it("gives no root to a sub-octave partial as loud as the tone an octave up, with no odd overtones of its own", () => {
    // An organ's 16' stop or a synth's sub-oscillator: A2 sine under an A3 tone.
    const hz = midiHz(57);
    const x = add(harmonicTone(hz, 2, [1, 0.5, 0.33, 0.25], SR, 9, undefined, 0.2), sine(hz / 2, 2, 0.2));
    expect([45, 57]).toContain(measurePitch(x, SR)!.midi);
    expect(estimatePitch(x, SR)).toBeNull();
  });

  it("keeps a bass note with a strong octave and faint odd overtones (3rd at -22 dB): A1 exact", () => {
    const p = estimatePitch(
      harmonicTone(midiHz(33), 2, [0.8, 1, 0.08, 0.4, 0.04], SR, 10, undefined, 0.3),
      SR,
    );
    expect(p?.midi).toBe(33);
  });

  it("keeps a weak fundamental whose partials beat the subharmonic comb: E2 with its 1st at -26 dB", () => {
    const p = estimatePitch(harmonicTone(midiHz(40), 2, [0.05, 1, 0.9, 0.7, 0.5, 0.4, 0.3, 0.2]), SR);
    expect(p?.midi).toBe(40);
  });

  it("follows a stiff string's stretched partials (inharmonicity B = 5e-4, 16 partials): F5 exact", () => {
    const f0 = midiHz(77);
    const x = new Float32Array(2 * SR);
    for (let h = 1; h <= 16; h++) {
      const f = h * f0 * Math.sqrt(1 + 5e-4 * h * h);
      if (f < SR / 2) add(x, sine(f, 2, 0.2 / h, h));
    }
    const p = estimatePitch(x, SR);
    expect(p?.midi).toBe(77);
    expect(Math.abs(centsOff(p!.hz, f0))).toBeLessThan(5);
  });

  it("ignores a DC offset of +0.07 and a 12 Hz rumble 6 dB over the tone (D3 exact, within ±3 cents)", () => {
    const hz = midiHz(50);
    const x = harmonicTone(hz, 2, [0.3, 0.2, 0.15, 0.1], SR, 5);
    add(x, sine(12, 2, 0.6));
    for (let i = 0; i < x.length; i++) x[i] += 0.07;
    const p = estimatePitch(x, SR);
    expect(p?.midi).toBe(50);
    expect(Math.abs(centsOff(p!.hz, hz))).toBeLessThan(3);
  });

  it("is not thrown by a kick drum in a few of its frames (G3 over a 50 Hz kick every 0.7 s)", () => {
    const x = harmonicTone(midiHz(55), 3, [0.3, 0.2, 0.15, 0.1], SR, 6);
    for (let t = 0.2; t < 2.9; t += 0.7) {
      const s = Math.round(t * SR);
      for (let i = 0; i < 0.15 * SR && s + i < x.length; i++) {
        x[s + i] += 0.8 * Math.exp(-i / (0.04 * SR)) * Math.sin((2 * Math.PI * 50 * i) / SR);
      }
    }
    expect(estimatePitch(x, SR)?.midi).toBe(55);
  });
});

describe("estimatePitch: no root", () => {
  it("for white noise, low-passed noise and silence", () => {
    expect(estimatePitch(whiteNoise(SR, 0.3), SR)).toBeNull();
    const brown = whiteNoise(2 * SR, 0.3, 9);
    for (let i = 1; i < brown.length; i++) brown[i] = 0.98 * brown[i - 1] + 0.05 * brown[i];
    expect(estimatePitch(brown, SR)).toBeNull();
    expect(estimatePitch(new Float32Array(SR), SR)).toBeNull();
  });

  it("for an inharmonic bar (partials at 1, 2.76, 5.40, 8.93, 13.34 times 220 Hz)", () => {
    const x = new Float32Array(2 * SR);
    [1, 2.756, 5.404, 8.933, 13.345].forEach((r, i) => {
      add(x, sine(220 * r, 2, 0.2 / (i + 1), i));
    });
    const p = measurePitch(x, SR);
    expect(p === null || p.confidence < DEFAULT_PITCH_OPTIONS.minConfidence).toBe(true);
    expect(estimatePitch(x, SR)).toBeNull();
  });

  const chords: ReadonlyArray<readonly [string, readonly number[]]> = [
    ["C major (C4 E4 G4)", [60, 64, 67]],
    ["A minor (A3 C4 E4)", [57, 60, 64]],
    ["D minor in octave 2 (D2 F2 A2)", [38, 41, 45]],
    ["G7 (G3 B3 D4 F4)", [55, 59, 62, 65]],
    ["Bb major 7 (Bb4 D5 F5 A5)", [70, 74, 77, 81]],
    ["C major with the root doubled below (C3 C4 E4 G4)", [48, 60, 64, 67]],
  ];
  for (const [name, notes] of chords) {
    it(`for a chord: ${name} (confidence under the threshold)`, () => {
      const x = chord(notes.map(midiHz), 2, 0.1, SR, [1, 0.5, 0.33, 0.25, 0.2]);
      const p = measurePitch(x, SR);
      expect(
        p === null || p.confidence < DEFAULT_PITCH_OPTIONS.minConfidence,
        `${p?.midi} ${p?.confidence}`,
      ).toBe(true);
      expect(estimatePitch(x, SR)).toBeNull();
    });
  }

  it("reports a confidence near 1 for a clean tone and the threshold is an option", () => {
    const x = harmonicTone(midiHz(64), 1, [1, 0.5, 0.3]);
    expect(measurePitch(x, SR)!.confidence).toBeGreaterThan(0.95);
    const noisy = add(harmonicTone(midiHz(64), 1, [1, 0.5, 0.3], SR, 1, undefined, 0.1), whiteNoise(SR, 0.3));
    const m = measurePitch(noisy, SR);
    if (m !== null) {
      expect(estimatePitch(noisy, SR, { minConfidence: 0 })?.confidence).toBe(m.confidence);
      expect(estimatePitch(noisy, SR, { minConfidence: 1 })).toBeNull();
    }
  });

  it("is deterministic and finite on any seeded noise mix", () => {
    const rng = new Rng(11);
    for (let k = 0; k < 5; k++) {
      const x = add(
        harmonicTone(rng.uniform(60, 900), 1, [1, 0.4], SR, k),
        whiteNoise(SR, rng.uniform(0, 0.5), k),
      );
      const a = measurePitch(x, SR);
      const b = measurePitch(x, SR);
      expect(a).toEqual(b);
      if (a !== null) expect(a.confidence >= 0 && a.confidence <= 1).toBe(true);
    }
  });

  it("rejects impossible ranges and non-finite samples", () => {
    const x = new Float32Array(1000);
    expect(() => estimatePitch(x, SR, { fmin: 0 })).toThrow(ParameterError);
    expect(() => estimatePitch(x, SR, { fmin: 500, fmax: 400 })).toThrow(/500/);
    expect(() => estimatePitch(x, SR, { fmax: 30000 })).toThrow(/30000/);
    expect(() => estimatePitch(x, SR, { minConfidence: 2 })).toThrow(/minConfidence/);
    const bad = harmonicTone(220, 1);
    bad[5000] = Number.NaN;
    expect(() => estimatePitch(bad, SR)).toThrow(/non-finite sample at 5000/);
  });
});

describe("note helpers", () => {
  it("converts Hz and MIDI with A4 = 440 Hz", () => {
    expect(hzToMidi(440)).toBeCloseTo(69, 12);
    expect(hzToMidi(220)).toBeCloseTo(57, 12);
    expect(midiToHz(60)).toBeCloseTo(261.6256, 3);
    expect(() => hzToMidi(0)).toThrow(ParameterError);
  });

  it("names notes with sharps and middle C = C4", () => {
    expect(midiToNoteName(57)).toBe("A3");
    expect(midiToNoteName(60)).toBe("C4");
    expect(midiToNoteName(61)).toBe("C#4");
    expect(midiToNoteName(0)).toBe("C-1");
    expect(() => midiToNoteName(128)).toThrow(/128/);
  });
});
