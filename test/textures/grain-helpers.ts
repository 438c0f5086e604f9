/** In-memory sources and measurements shared by the clouds and hiss tests. */
import { analyzeSamples, type TrackAnalysis } from "../../src/analysis/track.js";
import { type PlanarAudio, toMono } from "../../src/core/audio.js";
import { realFft } from "../../src/dsp/fft.js";
import { Rng } from "../../src/dsp/rng.js";
import { hannPeriodic } from "../../src/dsp/window.js";
import type { SourceMaterial } from "../../src/textures/types.js";

export const SR = 44100;

/** A SourceMaterial over samples in memory that records every region read. */
export interface MemorySource extends SourceMaterial<TrackAnalysis> {
  readonly reads: Array<[number, number]>;
  /** Samples handed out by readRegion so far (per channel). */
  readonly samplesRead: () => number;
}

export function memorySource(name: string, channels: Float32Array[], sampleRate = SR): MemorySource {
  const frames = channels[0].length;
  const analysis = analyzeSamples(toMono({ sampleRate, channels }), sampleRate);
  const reads: Array<[number, number]> = [];
  return {
    name,
    sampleRate,
    frames,
    channels: channels.length,
    analysis,
    reads,
    samplesRead: () => reads.reduce((s, [a, b]) => s + (b - a), 0),
    async readRegion(start: number, end: number): Promise<PlanarAudio> {
      const s = Math.max(0, Math.min(frames, Math.floor(start)));
      const e = Math.max(s, Math.min(frames, Math.ceil(end)));
      reads.push([s, e]);
      return { sampleRate, channels: channels.map((c) => c.slice(s, e)) };
    },
  };
}

/** Sum of sines (Hz, amplitude) with random phases. */
export function tones(
  partials: ReadonlyArray<readonly [number, number]>,
  seconds: number,
  seed = 1,
  sr = SR,
): Float32Array {
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  const rng = new Rng(seed);
  for (const [f, a] of partials) {
    const ph = rng.uniform(0, 2 * Math.PI);
    const w = (2 * Math.PI * f) / sr;
    for (let i = 0; i < n; i++) x[i] += a * Math.sin(w * i + ph);
  }
  return x;
}

/** A slowly beating A-minor chord with a few harmonics (steady tonal material). */
export function padChord(seconds: number, seed = 1, gain = 0.08, sr = SR): Float32Array {
  const partials: Array<[number, number]> = [];
  for (const f of [220, 261.63, 329.63, 440.7]) {
    for (const [m, a] of [
      [1, 1],
      [2, 0.5],
      [3, 0.3],
      [4, 0.15],
    ] as const) {
      partials.push([f * m, a * gain]);
    }
  }
  return tones(partials, seconds, seed, sr);
}

export function whiteNoise(n: number, amp: number, seed = 7): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-amp, amp);
  return x;
}

/** Hi-hat-like drum loop: decaying white-noise bursts every `periodSec` over a quiet noise floor. */
export function drumLoop(seconds: number, periodSec = 0.125, seed = 5, sr = SR): Float32Array {
  const n = Math.round(seconds * sr);
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.01 * rng.uniform(-1, 1);
  const tau = 0.03 * sr;
  const len = Math.round(0.15 * sr);
  for (let t = 0.01; t < seconds; t += periodSec) {
    const s = Math.round(t * sr);
    const amp = rng.uniform(0.3, 0.6);
    for (let i = 0; i < len && s + i < n; i++) x[s + i] += amp * Math.exp(-i / tau) * rng.uniform(-1, 1);
  }
  return x;
}

export function rmsDbOf(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return 10 * Math.log10(s / Math.max(1, to - from) + 1e-30);
}

export function peakDbOf(channels: readonly Float32Array[]): number {
  let p = 0;
  for (const c of channels) for (const v of c) p = Math.max(p, Math.abs(v));
  return 20 * Math.log10(p);
}

/** Average power spectrum (Hann, `size` points, 50 % hop); bin k is k * sr / size Hz. */
export function powerSpectrum(x: Float32Array, size = 4096): Float64Array {
  const fft = realFft(size);
  const w = hannPeriodic(size);
  const frame = new Float32Array(size);
  const p = new Float32Array(fft.bins);
  const acc = new Float64Array(fft.bins);
  for (let s = 0; s + size <= x.length; s += size / 2) {
    for (let i = 0; i < size; i++) frame[i] = x[s + i] * w[i];
    fft.power(frame, p);
    for (let k = 0; k < p.length; k++) acc[k] += p[k];
  }
  return acc;
}

/** Energy of `spec` between two frequencies (Hz). */
export function bandEnergy(spec: Float64Array, loHz: number, hiHz: number, size = 4096, sr = SR): number {
  let e = 0;
  for (
    let k = Math.ceil((loHz * size) / sr);
    k <= Math.min(spec.length - 1, Math.floor((hiHz * size) / sr));
    k++
  )
    e += spec[k];
  return e;
}

export function hasNaN(channels: readonly Float32Array[]): boolean {
  return channels.some((c) => c.some((v) => !Number.isFinite(v)));
}

export function sameAudio(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((c, i) => c.length === b[i].length && c.every((v, j) => Object.is(v, b[i][j])));
}
