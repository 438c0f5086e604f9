/** Sources built from in-memory audio for the generator tests, plus synthetic material. */
import { analyzeSamples, type TrackAnalysis } from "../../src/analysis/track.js";
import type { PlanarAudio } from "../../src/core/audio.js";
import { toMono } from "../../src/core/audio.js";
import { Rng } from "../../src/dsp/rng.js";
import type { SourceMaterial } from "../../src/textures/types.js";

export const SR = 44100;

export interface MemorySource extends SourceMaterial<TrackAnalysis> {
  /** Every [start, end) passed to readRegion, in call order. */
  readonly reads: Array<[number, number]>;
  /** Total frames handed out by readRegion (after clamping). */
  framesRead(): number;
}

/** A SourceMaterial over in-memory channels: analysis by analyzeSamples, readRegion = clamped copy. */
export function memorySource(
  name: string,
  channels: Float32Array | Float32Array[],
  sampleRate = SR,
): MemorySource {
  const chans = Array.isArray(channels) ? channels : [channels];
  const frames = chans[0].length;
  const analysis = analyzeSamples(toMono({ sampleRate, channels: chans }), sampleRate);
  const reads: Array<[number, number]> = [];
  let total = 0;
  return {
    name,
    sampleRate,
    frames,
    channels: chans.length,
    analysis,
    reads,
    framesRead: () => total,
    async readRegion(start: number, end: number): Promise<PlanarAudio> {
      reads.push([start, end]);
      const s = Math.max(0, Math.min(frames, Math.floor(start)));
      const e = Math.max(s, Math.min(frames, Math.ceil(end)));
      total += e - s;
      return { sampleRate, channels: chans.map((c) => c.slice(s, e)) };
    },
  };
}

/**
 * A sustained chord: harmonic tones (partials 1..`partials` at amplitude 1/p) at `freqs`, random
 * phases and a tiny detune, with a slow +-1 dB level drift, so it is steady but not a static table.
 * Sines come from recursive oscillators (float64), fast enough for minutes of audio.
 */
export function chord(
  freqs: readonly number[],
  seconds: number,
  gain = 0.1,
  seed = 1,
  sampleRate = SR,
  partials = 4,
): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const acc = new Float64Array(n);
  const rng = new Rng(seed);
  for (const f0 of freqs) {
    for (let p = 1; p <= partials; p++) {
      const f = f0 * p * (1 + rng.uniform(-0.001, 0.001));
      const ph = rng.uniform(0, 2 * Math.PI);
      if (f >= 0.45 * sampleRate) break;
      const w = (2 * Math.PI * f) / sampleRate;
      const a = gain / p;
      const k = 2 * Math.cos(w);
      let y1 = a * Math.sin(ph - w);
      let y2 = a * Math.sin(ph - 2 * w);
      for (let i = 0; i < n; i++) {
        const y = k * y1 - y2;
        acc[i] += y;
        y2 = y1;
        y1 = y;
      }
    }
  }
  const x = new Float32Array(n);
  const wDrift = (2 * Math.PI * 0.13) / sampleRate;
  for (let i = 0; i < n; i++) x[i] = acc[i] * 10 ** (Math.sin(wDrift * i) / 20);
  return x;
}

export function whiteNoise(n: number, amp: number, seed = 7): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-amp, amp);
  return x;
}

/** Add a click train (2 ms-decay noise bursts) every `periodSec` from `startSec`. */
export function addClickTrain(
  x: Float32Array,
  periodSec: number,
  amp: number,
  startSec = 0.1,
  sampleRate = SR,
  seed = 3,
): void {
  const rng = new Rng(seed);
  const len = Math.round(0.01 * sampleRate);
  const tau = 0.002 * sampleRate;
  for (let t = startSec; t * sampleRate < x.length; t += periodSec) {
    const s = Math.round(t * sampleRate);
    for (let i = 0; i < len && s + i < x.length; i++)
      x[s + i] += amp * Math.exp(-i / tau) * rng.uniform(-1, 1);
  }
}

/** Concatenate signals. */
export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function peakDbOf(channels: readonly Float32Array[]): number {
  let p = 0;
  for (const ch of channels) for (let i = 0; i < ch.length; i++) p = Math.max(p, Math.abs(ch[i]));
  return 20 * Math.log10(p);
}

export function allFinite(channels: readonly Float32Array[]): boolean {
  for (const ch of channels) for (let i = 0; i < ch.length; i++) if (!Number.isFinite(ch[i])) return false;
  return true;
}

export const A_MINOR = [220, 261.63, 329.63];

/**
 * Add a kick drum at `atSec`: a sine falling from 135 to 45 Hz with a 110 ms decay (-9.4 dB per
 * 0.1 s), `gain` its peak, as in the demo's drum loop.
 */
export function addKick(x: Float32Array, atSec: number, gain: number, sampleRate = SR): void {
  const at = Math.round(atSec * sampleRate);
  const len = Math.round(0.35 * sampleRate);
  let ph = 0;
  for (let i = 0; i < len && at + i < x.length; i++) {
    const t = i / sampleRate;
    ph += (2 * Math.PI * (45 + 90 * Math.exp(-t * 30))) / sampleRate;
    x[at + i] += gain * Math.exp(-t * 9) * Math.sin(ph);
  }
}

/**
 * Chords held `holdSec`, each followed by an exponential release of `releaseDbPerSec` for
 * `releaseSec` (a played note and its tail), `count` times, one A minor voicing each.
 */
export function heldAndReleased(
  count: number,
  holdSec: number,
  releaseSec: number,
  releaseDbPerSec: number,
  gain = 0.06,
): { x: Float32Array; held: Array<[number, number]> } {
  const parts: Float32Array[] = [];
  const held: Array<[number, number]> = [];
  for (let k = 0; k < count; k++) {
    const c = chord(A_MINOR, holdSec + releaseSec, gain, k + 1);
    for (let i = Math.round(holdSec * SR); i < c.length; i++) {
      c[i] *= 10 ** ((-releaseDbPerSec * (i / SR - holdSec)) / 20);
    }
    const start = k * (holdSec + releaseSec);
    held.push([start, start + holdSec]);
    parts.push(c);
  }
  return { x: concat(...parts), held };
}
