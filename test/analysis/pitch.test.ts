import { describe, expect, it } from "vitest";
import { estimatePitch, hzToMidi, midiToHz, midiToNoteName } from "../../src/analysis/pitch.js";
import { ParameterError } from "../../src/core/errors.js";
import { harmonicTone, SR, whiteNoise } from "./signals.js";

describe("estimatePitch (YIN)", () => {
  for (const hz of [55, 220, 880]) {
    it(`finds a ${hz} Hz harmonic tone within ±1 %`, () => {
      const p = estimatePitch(harmonicTone(hz, 1, [0.3, 0.2, 0.15, 0.1, 0.05]), SR);
      expect(p).not.toBeNull();
      expect(Math.abs(p!.hz - hz) / hz).toBeLessThan(0.01);
      expect(p!.midi).toBe(Math.round(hzToMidi(hz)));
      expect(p!.confidence).toBeGreaterThan(0.8);
    });
  }

  it("finds the fundamental of a tone whose fundamental is missing (within ±1 %)", () => {
    const p = estimatePitch(harmonicTone(110, 1, [0, 0.3, 0.3, 0.2, 0.1]), SR);
    expect(Math.abs(p!.hz - 110) / 110).toBeLessThan(0.01);
  });

  it("reports 'no pitch' for white noise and for silence", () => {
    expect(estimatePitch(whiteNoise(SR, 0.3), SR)).toBeNull();
    expect(estimatePitch(new Float32Array(SR), SR)).toBeNull();
  });

  it("gives cents relative to the nearest note", () => {
    const hz = 440 * 2 ** (0.2 / 12); // A4 + 20 cents
    const p = estimatePitch(harmonicTone(hz, 0.5, [0.5, 0.2]), SR)!;
    expect(p.midi).toBe(69);
    expect(Math.abs(p.cents - 20)).toBeLessThan(3);
  });

  it("rejects impossible ranges", () => {
    const x = new Float32Array(1000);
    expect(() => estimatePitch(x, SR, { fmin: 0 })).toThrow(ParameterError);
    expect(() => estimatePitch(x, SR, { fmin: 500, fmax: 400 })).toThrow(/500/);
    expect(() => estimatePitch(x, SR, { fmax: 30000 })).toThrow(/30000/);
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
