import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { toMono } from "../../src/core/audio.js";
import { Rng } from "../../src/dsp/rng.js";
import { bestSeamRotation, seamMetrics } from "../../src/dsp/seam.js";
import { HISS_DEFAULTS, hissOptionsFromConfig, makeHiss } from "../../src/textures/hiss.js";
import type { Texture } from "../../src/textures/types.js";
import {
  bandEnergy,
  drumLoop,
  hasNaN,
  memorySource,
  padChord,
  peakDbOf,
  powerSpectrum,
  rmsDbOf,
  SR,
  sameAudio,
  tones,
  whiteNoise,
} from "./grain-helpers.js";

const L = Math.round(HISS_DEFAULTS.loopDurationSec * SR);
const drums = memorySource("drums", [drumLoop(20)]);

const loops = (ts: readonly Texture[]) => ts.filter((t) => t.type === "hiss_loop");
const flickers = (ts: readonly Texture[]) => ts.filter((t) => t.type === "hiss_flicker");

/** Properties every hiss output must have, whatever the material. */
function checkOutputs(textures: readonly Texture[], source: string, channels = 1): void {
  expect(loops(textures)).toHaveLength(HISS_DEFAULTS.loopsPerSource);
  expect(flickers(textures)).toHaveLength(HISS_DEFAULTS.flickerCount);
  loops(textures).forEach((t, i) => {
    expect(t.name).toBe(`hiss_loop_${source}_0${i + 1}.wav`);
    expect(t.category).toBe("hiss");
    expect(t.audio.channels).toHaveLength(channels);
    expect(t.audio.channels[0].length).toBe(L);
    expect(t.loop).toEqual({ start: 0, end: L });
    expect(hasNaN(t.audio.channels)).toBe(false);
    expect(Math.abs(peakDbOf(t.audio.channels) - HISS_DEFAULTS.targetPeakDbfs)).toBeLessThan(0.1);
    // The seam as the manifest measures it (mono downmix).
    const s = seamMetrics(toMono(t.audio), SR);
    expect(s.clickDb).toBeLessThanOrEqual(6);
    expect(s.dipDb).toBeGreaterThanOrEqual(-3);
  });
  flickers(textures).forEach((t, i) => {
    expect(t.name).toBe(`hiss_flicker_${source}_0${i + 1}.wav`);
    expect(t.loop).toBeUndefined();
    const x = t.audio.channels[0];
    const ms = (x.length / SR) * 1000;
    expect(ms).toBeGreaterThanOrEqual(HISS_DEFAULTS.flickerMinMs - 0.05);
    expect(ms).toBeLessThanOrEqual(HISS_DEFAULTS.flickerMaxMs + 0.05);
    expect(hasNaN(t.audio.channels)).toBe(false);
    expect(Math.abs(peakDbOf(t.audio.channels) - HISS_DEFAULTS.targetPeakDbfs)).toBeLessThan(0.1);
    for (const c of t.audio.channels) {
      // First and last sample below -60 dBFS, reached by a fade (the first 0.5 ms is quiet too).
      expect(Math.abs(c[0])).toBeLessThan(1e-3);
      expect(Math.abs(c[c.length - 1])).toBeLessThan(1e-3);
      expect(rmsDbOf(c, 0, Math.round(0.0005 * SR))).toBeLessThan(-30);
    }
  });
}

describe("hiss options", () => {
  it("defaults equal the config defaults", () => {
    expect(hissOptionsFromConfig(DEFAULT_CONFIG)).toEqual(HISS_DEFAULTS);
  });

  it("maps config keys", () => {
    const c = structuredClone(DEFAULT_CONFIG);
    c.hiss.tremolo_depth = 0.25;
    c.hiss.use_bandpass = false;
    c.export.hiss_stereo = true;
    const o = hissOptionsFromConfig(c);
    expect([o.tremoloDepth, o.useBandpass, o.stereo]).toEqual([0.25, false, true]);
  });

  it("rejects impossible options with the value", async () => {
    await expect(makeHiss(null, { bandpassHighHz: 30000 }, new Rng(1))).rejects.toThrow(/30000/);
    await expect(makeHiss(null, { tremoloDepth: 1.5 }, new Rng(1))).rejects.toThrow(/1\.5/);
  });
});

describe("makeHiss: synthetic noise", () => {
  it("makes seamless loops and flickers at the target peak", async () => {
    const r = await makeHiss(null, { material: "synthetic" }, new Rng(1));
    checkOutputs(r.textures, "synthetic");
    expect(r.textures[0].params.material).toBe("synthetic");
  });

  it("band-passes [bandpass_low_hz, bandpass_high_hz], or high-passes when use_bandpass is false", async () => {
    const bp = await makeHiss(null, { material: "synthetic", flickerCount: 0 }, new Rng(2));
    const spec = powerSpectrum(bp.textures[0].audio.channels[0]);
    const inBand = bandEnergy(spec, 5000, 14000);
    expect(10 * Math.log10(bandEnergy(spec, 0, 2000) / inBand)).toBeLessThan(-40);
    expect(10 * Math.log10(bandEnergy(spec, 20000, 22050) / inBand)).toBeLessThan(-25);
    const hp = await makeHiss(
      null,
      { material: "synthetic", flickerCount: 0, useBandpass: false },
      new Rng(2),
    );
    const specHp = powerSpectrum(hp.textures[0].audio.channels[0]);
    expect(10 * Math.log10(bandEnergy(specHp, 0, 2500) / bandEnergy(specHp, 6000, 22050))).toBeLessThan(-40);
    // Above 14 kHz stays in the high-passed version (unlike the band-passed one).
    expect(
      10 * Math.log10(bandEnergy(specHp, 16000, 20000) / bandEnergy(specHp, 6000, 14000)),
    ).toBeGreaterThan(-6);
  });

  it("holds a whole number of tremolo cycles, phase-continuous across the loop point", async () => {
    const depth = 0.9;
    const r = await makeHiss(
      null,
      { material: "synthetic", tremoloDepth: depth, flickerCount: 0 },
      new Rng(3),
    );
    // Every loop asked for is made (an empty result must not pass unchecked).
    expect(loops(r.textures)).toHaveLength(HISS_DEFAULTS.loopsPerSource);
    for (const t of loops(r.textures)) {
      const rate = t.params.tremolo_rate_hz as number;
      const cycles = (rate * L) / SR;
      expect(Math.abs(cycles - Math.round(cycles))).toBeLessThan(1e-9);
      expect(Math.abs(rate - HISS_DEFAULTS.tremoloRateHz)).toBeLessThan(SR / L / 2 + 1e-9);
      // Measured envelope: 10 ms RMS windows. It swings by the depth...
      const x = t.audio.channels[0];
      const w = Math.round(0.01 * SR);
      const env: number[] = [];
      for (let s = 0; s + w <= x.length; s += w) env.push(rmsDbOf(x, s, s + w));
      expect(Math.max(...env) - Math.min(...env)).toBeGreaterThan(12);
      // ...and continues across the loop point: the last window before the end and the first
      // after it differ no more than neighbouring windows elsewhere (a jump of the LFO would show).
      const seamStep = Math.abs(env[0] - env[env.length - 1]);
      const steps = env.slice(1).map((v, i) => Math.abs(v - env[i]));
      steps.sort((a, b) => a - b);
      expect(seamStep).toBeLessThanOrEqual(steps[Math.floor(0.95 * steps.length)]);
      expect(t.params.tremolo_cycles).toBe(Math.round(cycles));
    }
  });

  it("in stereo makes independent channels", async () => {
    const r = await makeHiss(null, { material: "synthetic", stereo: true }, new Rng(4));
    checkOutputs(r.textures, "synthetic", 2);
    const [a, b] = loops(r.textures)[0].audio.channels;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    expect(Math.abs(ab / Math.sqrt(aa * bb))).toBeLessThan(0.5);
  });

  it("makes nothing, with a reason, when synthetic noise is off", async () => {
    const r = await makeHiss(null, { material: "synthetic", useSyntheticNoise: false }, new Rng(5));
    expect(r.textures).toEqual([]);
    expect(r.skipped).toMatch(/use_synthetic_noise/);
  });

  it("is deterministic per seed", async () => {
    const a = await makeHiss(null, { material: "synthetic" }, new Rng(6));
    const b = await makeHiss(null, { material: "synthetic" }, new Rng(6));
    const c = await makeHiss(null, { material: "synthetic" }, new Rng(7));
    a.textures.forEach((t, i) => {
      expect(t.name).toBe(b.textures[i].name);
      expect(sameAudio(t.audio.channels, b.textures[i].audio.channels)).toBe(true);
      expect(sameAudio(t.audio.channels, c.textures[i].audio.channels)).toBe(false);
    });
  });
});

describe("makeHiss: drums", () => {
  it("makes seamless loops and flickers from the noisiest regions, reading only those", async () => {
    const before = drums.reads.length;
    const r = await makeHiss(drums, { material: "drums" }, new Rng(8));
    checkOutputs(r.textures, "drums");
    expect(r.textures.every((t) => t.params.material === "drums")).toBe(true);
    const reads = drums.reads.slice(before);
    expect(reads.length).toBeLessThanOrEqual(HISS_DEFAULTS.loopsPerSource);
    const seg = L + Math.round((HISS_DEFAULTS.crossfadeMs / 1000) * SR);
    for (const [a, b] of reads) expect(b - a).toBeLessThanOrEqual(seg + 1);
    // Flickers start on a hit (2 ms before a detected onset).
    const onsets = Array.from(drums.analysis.onsetTimes);
    for (const f of flickers(r.textures)) {
      const t = f.params.source_start_sec as number;
      expect(Math.min(...onsets.map((o) => Math.abs(o - 0.002 - t)))).toBeLessThan(0.002);
    }
  });

  it("keeps the seam off the drum hits in stereo too", async () => {
    const src = memorySource("kit", [drumLoop(8, 0.25, 1), drumLoop(8, 0.25, 2)]);
    const r = await makeHiss(src, { material: "drums", stereo: true }, new Rng(9));
    checkOutputs(r.textures, "kit", 2);
  });

  it("is deterministic per seed", async () => {
    const a = await makeHiss(drums, { material: "drums" }, new Rng(10));
    const b = await makeHiss(drums, { material: "drums" }, new Rng(10));
    const c = await makeHiss(drums, { material: "drums" }, new Rng(11));
    for (const [i, t] of a.textures.entries()) {
      expect(sameAudio(t.audio.channels, b.textures[i].audio.channels)).toBe(true);
    }
    expect(a.textures.every((t, i) => sameAudio(t.audio.channels, c.textures[i].audio.channels))).toBe(false);
  });

  it("skips a silent file and one shorter than a loop, with reasons", async () => {
    const silent = memorySource("silent", [new Float32Array(4 * SR)]);
    const r = await makeHiss(silent, { material: "drums" }, new Rng(12));
    expect(r.textures).toEqual([]);
    expect(r.skipped).toMatch(/silent/);
    const short = memorySource("short", [whiteNoise(SR, 0.3)]);
    const s = await makeHiss(short, { material: "drums" }, new Rng(12));
    expect(s.textures).toEqual([]);
    expect(s.skipped).toMatch(/shorter/);
  });
});

describe("makeHiss: percussive part of a pad source", () => {
  it("uses the percussive part found by HPSS, from one bounded region", async () => {
    // A chord with hi-hat-like bursts: the bursts are the hiss material.
    const n = 30 * SR;
    const x = padChord(30);
    const hats = drumLoop(30, 0.25, 3);
    // A steady 8 kHz partial inside the hiss band: harmonic, so the separation must drop it.
    const whistle = tones([[8000, 0.05]], 30);
    for (let i = 0; i < n; i++) x[i] += 0.5 * hats[i] + whistle[i];
    const src = memorySource("pad", [x]);
    const r = await makeHiss(src, { material: "percussive" }, new Rng(13));
    checkOutputs(r.textures, "pad");
    expect(r.textures.every((t) => t.params.material === "percussive")).toBe(true);
    expect(src.reads).toHaveLength(1);
    const [[a, b]] = src.reads;
    expect(b - a).toBeLessThanOrEqual(HISS_DEFAULTS.percussiveRegionSec * SR + 1);
    // The same material used whole (as a drums file would be) keeps the whistle.
    const whole = await makeHiss(src, { material: "drums", flickerCount: 0 }, new Rng(13));
    const whistleDb = (t: Texture): number => {
      const spec = powerSpectrum(t.audio.channels[0]);
      return 10 * Math.log10(bandEnergy(spec, 7950, 8050) / bandEnergy(spec, 5000, 14000));
    };
    expect(whistleDb(loops(r.textures)[0])).toBeLessThan(whistleDb(loops(whole.textures)[0]) - 10);
  });

  it("finds nothing usable in a pure chord and says so", async () => {
    const src = memorySource("chord", [padChord(12)]);
    const r = await makeHiss(src, { material: "percussive" }, new Rng(14));
    expect(r.textures).toEqual([]);
    expect(r.skipped).toMatch(/too quiet/);
  });
});

describe("bestSeamRotation", () => {
  it("moves the seam off a burst in a circular signal", () => {
    // Quiet noise with one loud burst where the file starts: the seam must move away from it.
    const x = whiteNoise(SR, 0.01, 15);
    for (let i = 0; i < 400; i++) x[i] += 0.8 * Math.sin(i * 0.7);
    const before = seamMetrics(x, SR);
    expect(before.clickDb).toBeGreaterThan(20);
    const k = bestSeamRotation(x, SR);
    const y = new Float32Array(x.length);
    y.set(x.subarray(k));
    y.set(x.subarray(0, k), x.length - k);
    const after = seamMetrics(y, SR);
    expect(after.clickDb).toBeLessThan(3);
    expect(after.dipDb).toBeGreaterThan(-3);
  });
});

describe("bestSeamRotation near the loop's end", () => {
  it("can put the seam in the loop's last half-window", () => {
    // A tone whose level ramps up once per loop, with the ramp's middle (the loop's median level,
    // where the seam belongs) 500 samples before the loop's end. Rotations in the last 25 ms used
    // to read past the prefix sums and were never scored: the seam then went 1500 samples astray.
    const n = SR;
    const at = n - 500;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = ((((i - at + n / 2) % n) + n) % n) / n;
      x[i] = (0.2 + 0.8 * u) * 0.3 * Math.sin((2 * Math.PI * i) / 88);
    }
    const k = bestSeamRotation(x, SR);
    const off = Math.min(Math.abs(k - at), n - Math.abs(k - at));
    expect(off).toBeLessThan(600);
  });
});

describe("hiss from a short drum sample", () => {
  it("makes one loop per distinct stretch, never identical copies", async () => {
    const src = memorySource("hat", [drumLoop(1.6)]);
    const r = await makeHiss(src, { material: "drums" }, new Rng(21));
    const loops = r.textures.filter((t) => t.type === "hiss_loop");
    expect(loops.length).toBeGreaterThanOrEqual(1);
    for (let a = 0; a < loops.length; a++) {
      for (let b = a + 1; b < loops.length; b++) {
        const x = loops[a].audio.channels[0];
        const y = loops[b].audio.channels[0];
        expect(x.length === y.length && x.every((v, i) => v === y[i])).toBe(false);
      }
    }
    if (loops.length < 2) expect(r.skipped).toMatch(/distinct stretch/);
  });
});
