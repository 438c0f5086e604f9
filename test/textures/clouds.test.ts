import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { toMono } from "../../src/core/audio.js";
import { Rng } from "../../src/dsp/rng.js";
import {
  CLOUD_DEFAULTS,
  cloudOptionsFromConfig,
  grainOnsets,
  makeClouds,
} from "../../src/textures/clouds.js";
import {
  bandEnergy,
  hasNaN,
  memorySource,
  padChord,
  peakDbOf,
  powerSpectrum,
  rmsDbOf,
  SR,
  sameAudio,
  tones,
} from "./grain-helpers.js";

// One 40 s chord source shared by most tests (the analysis pass is the slow part).
const chordSource = memorySource("chord", [padChord(40)]);
// Short clouds keep the tests fast; the defaults run once below.
const quick = { grainsPerCloud: 60, cloudDurationSec: 2 };

describe("cloud options", () => {
  it("defaults equal the config defaults", () => {
    expect(cloudOptionsFromConfig(DEFAULT_CONFIG)).toEqual(CLOUD_DEFAULTS);
  });

  it("maps config keys", () => {
    const c = structuredClone(DEFAULT_CONFIG);
    c.clouds.grains_per_cloud = 33;
    c.clouds.pitch_shift_range = { min: -2, max: 5 };
    c.export.clouds_stereo = true;
    const o = cloudOptionsFromConfig(c);
    expect([o.grainsPerCloud, o.pitchShiftMin, o.pitchShiftMax, o.stereo]).toEqual([33, -2, 5, true]);
  });

  it("rejects impossible options with the value", async () => {
    await expect(makeClouds(chordSource, { lowpassHz: 30000 }, new Rng(1))).rejects.toThrow(/30000/);
    await expect(
      makeClouds(chordSource, { grainLengthMinMs: 200, grainLengthMaxMs: 100 }, new Rng(1)),
    ).rejects.toThrow(/100/);
  });
});

describe("grainOnsets", () => {
  it("starts at 0, ends the last grain exactly at the end, never goes backwards", () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 7, 200]) {
      const lengths = new Int32Array(n);
      for (let i = 0; i < n; i++) lengths[i] = rng.int(2205, 6615);
      const total = 6 * SR;
      const on = grainOnsets(lengths, total, 0.65, rng);
      expect(on[0]).toBe(n === 1 ? 0 : 0);
      if (n > 1) expect(on[n - 1] + lengths[n - 1]).toBe(total);
      for (let i = 1; i < n; i++) expect(on[i]).toBeGreaterThanOrEqual(on[i - 1]);
    }
  });
});

describe("makeClouds", () => {
  it("makes clouds_per_source clouds of exact duration, named, at the target peak, faded to silence", async () => {
    const { textures, skipped } = await makeClouds(chordSource, {}, new Rng(1));
    expect(skipped).toBeUndefined();
    expect(textures).toHaveLength(CLOUD_DEFAULTS.cloudsPerSource);
    textures.forEach((t, i) => {
      expect(t.name).toMatch(new RegExp(`^cloud_chord_0${i + 1}_(dark|mid|bright)\\.wav$`));
      expect(t.category).toBe("clouds");
      expect(t.type).toBe("cloud");
      expect(t.loop).toBeUndefined();
      expect(t.audio.sampleRate).toBe(SR);
      expect(t.audio.channels).toHaveLength(1);
      const x = t.audio.channels[0];
      expect(x.length).toBe(6 * SR);
      expect(hasNaN(t.audio.channels)).toBe(false);
      expect(Math.abs(peakDbOf(t.audio.channels) - CLOUD_DEFAULTS.targetPeakDbfs)).toBeLessThan(0.1);
      // One-shot edges: below -60 dBFS, reached by the 10 ms fade.
      expect(Math.abs(x[0])).toBeLessThan(1e-3);
      expect(Math.abs(x[x.length - 1])).toBeLessThan(1e-3);
      expect(rmsDbOf(x, 0, 20)).toBeLessThan(-60);
      expect(t.params.grains).toBe(200);
    });
    // A chord of A3..A4 with four harmonics, shifted +-8 semitones: dark.
    expect(textures[0].name).toMatch(/_dark\.wav$/);
  });

  it("fills the whole duration: no silent tail, no gaps", async () => {
    const { textures } = await makeClouds(chordSource, quick, new Rng(2));
    for (const t of textures) {
      const x = t.audio.channels[0];
      const n = x.length;
      const middle = rmsDbOf(x, Math.round(0.45 * n), Math.round(0.55 * n));
      // Last 10 % minus the 10 ms fade.
      const tail = rmsDbOf(x, Math.round(0.9 * n), n - Math.round(0.01 * SR));
      expect(Math.abs(tail - middle)).toBeLessThan(4);
      // No 50 ms stretch anywhere (fades aside) falls silent.
      const w = Math.round(0.05 * SR);
      for (let s = Math.round(0.01 * SR); s + w <= n - Math.round(0.01 * SR); s += w) {
        expect(rmsDbOf(x, s, s + w)).toBeGreaterThan(middle - 15);
      }
    }
  });

  it("in stereo pans every grain: real width, not a copied channel", async () => {
    const { textures } = await makeClouds(chordSource, { ...quick, stereo: true }, new Rng(4));
    for (const t of textures) {
      expect(t.audio.channels).toHaveLength(2);
      const [l, r] = t.audio.channels;
      let ll = 0;
      let rr = 0;
      let lr = 0;
      let side = 0;
      let mid = 0;
      for (let i = 0; i < l.length; i++) {
        ll += l[i] * l[i];
        rr += r[i] * r[i];
        lr += l[i] * r[i];
        side += ((l[i] - r[i]) / 2) ** 2;
        mid += ((l[i] + r[i]) / 2) ** 2;
      }
      expect(lr / Math.sqrt(ll * rr)).toBeLessThan(0.9);
      expect(10 * Math.log10(side / mid)).toBeGreaterThan(-15);
      expect(Math.abs(peakDbOf(t.audio.channels) - CLOUD_DEFAULTS.targetPeakDbfs)).toBeLessThan(0.1);
    }
  });

  it("shifts grain pitch without aliasing", async () => {
    // 1 kHz plus 15 kHz: an octave up, 15 kHz lands at 30 kHz, above Nyquist, and must vanish
    // (folded back it would sit at 14.1 kHz); 1 kHz moves to 2 kHz.
    const src = memorySource("twotone", [
      tones(
        [
          [1000, 0.2],
          [15000, 0.2],
        ],
        8,
      ),
    ]);
    const up = await makeClouds(
      src,
      { ...quick, cloudsPerSource: 1, lowpassHz: 0, pitchShiftMin: 12, pitchShiftMax: 12 },
      new Rng(5),
    );
    const spec = powerSpectrum(up.textures[0].audio.channels[0]);
    const at2k = bandEnergy(spec, 1900, 2100);
    expect(10 * Math.log10(bandEnergy(spec, 900, 1100) / at2k)).toBeLessThan(-60);
    expect(10 * Math.log10(bandEnergy(spec, 6000, 22050) / at2k)).toBeLessThan(-60);
    // The measurement sees high content when it is there: unshifted, 15 kHz stays.
    const flat = await makeClouds(
      src,
      { ...quick, cloudsPerSource: 1, lowpassHz: 0, pitchShiftMin: 0, pitchShiftMax: 0 },
      new Rng(5),
    );
    const specFlat = powerSpectrum(flat.textures[0].audio.channels[0]);
    expect(
      10 * Math.log10(bandEnergy(specFlat, 14900, 15100) / bandEnergy(specFlat, 900, 1100)),
    ).toBeGreaterThan(-3);
  });

  it("low-passes at lowpass_hz", async () => {
    const src = memorySource("twotone", [
      tones(
        [
          [1000, 0.2],
          [12000, 0.2],
        ],
        8,
      ),
    ]);
    const r = await makeClouds(
      src,
      { ...quick, cloudsPerSource: 1, lowpassHz: 3000, pitchShiftMin: 0, pitchShiftMax: 0 },
      new Rng(6),
    );
    const spec = powerSpectrum(r.textures[0].audio.channels[0]);
    // 4th-order Butterworth run forward and backward: 12 kHz is two octaves up, about -96 dB.
    expect(10 * Math.log10(bandEnergy(spec, 11800, 12200) / bandEnergy(spec, 900, 1100))).toBeLessThan(-80);
  });

  it("is deterministic per seed", async () => {
    const a = await makeClouds(chordSource, { ...quick, stereo: true }, new Rng(7));
    const b = await makeClouds(chordSource, { ...quick, stereo: true }, new Rng(7));
    const c = await makeClouds(chordSource, { ...quick, stereo: true }, new Rng(8));
    a.textures.forEach((t, i) => {
      expect(sameAudio(t.audio.channels, b.textures[i].audio.channels)).toBe(true);
      expect(sameAudio(t.audio.channels, c.textures[i].audio.channels)).toBe(false);
    });
  });

  it("reads only a few bounded regions, never the whole track", async () => {
    const before = chordSource.reads.length;
    await makeClouds(chordSource, quick, new Rng(9));
    const reads = chordSource.reads.slice(before);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThanOrEqual(4);
    let total = 0;
    for (const [a, b] of reads) {
      expect(b - a).toBeLessThanOrEqual(3.5 * SR);
      total += b - a;
    }
    expect(total).toBeLessThan(0.35 * chordSource.frames);
  });

  it("takes grains only from regions that pass the quality gate", async () => {
    // 10 s clipped square-ish chord, then 10 s clean chord, then 10 s silence.
    const n = 10 * SR;
    const x = new Float32Array(3 * n);
    const loud = padChord(10, 3, 0.8);
    for (let i = 0; i < n; i++) x[i] = Math.max(-1, Math.min(1, loud[i]));
    x.set(padChord(10, 4), n);
    const src = memorySource("mixed", [x]);
    const r = await makeClouds(src, quick, new Rng(10));
    expect(r.textures.length).toBe(2);
    for (const [a, b] of src.reads) {
      expect(a).toBeGreaterThanOrEqual(n - 0.2 * SR);
      expect(b).toBeLessThanOrEqual(2 * n + 0.2 * SR);
    }
  });

  it("makes no clouds, with a reason, when nothing passes the gate", async () => {
    const silent = memorySource("silent", [new Float32Array(5 * SR)]);
    const r = await makeClouds(silent, quick, new Rng(11));
    expect(r.textures).toEqual([]);
    expect(r.skipped).toMatch(/quality gate/);
    expect(silent.reads).toEqual([]);
  });

  it("downmixes a stereo source for mono clouds", async () => {
    const l = padChord(6, 1);
    const r = padChord(6, 2);
    const src = memorySource("wide", [l, r]);
    const out = await makeClouds(src, { ...quick, cloudsPerSource: 1 }, new Rng(12));
    expect(out.textures[0].audio.channels).toHaveLength(1);
    expect(toMono(out.textures[0].audio).length).toBe(2 * SR);
  });
});

describe("clouds from busy music", () => {
  it("falls back to the steadiest non-silent windows when none is calm enough", async () => {
    // A chord under a click every 0.2 s (5 onsets/s everywhere, above the 2/s preference).
    const x = padChord(12, 5);
    for (let t = 0.05; t < 12; t += 0.2) {
      const s = Math.round(t * SR);
      for (let i = 0; i < 40; i++) x[s + i] += 0.3 * Math.exp(-i / 8);
    }
    const src = memorySource("busy", [x]);
    const r = await makeClouds(src, quick, new Rng(12));
    expect(r.textures.length).toBe(2);
  });
});
