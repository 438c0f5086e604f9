/** Synthetic test signals with known answers. */
import { Rng } from "../../src/dsp/rng.js";

export const SR = 44100;

/** Sum of sines at `hz` with the given partial amplitudes (partial p at p*hz), random phases. */
export function harmonicTone(
  hz: number,
  seconds: number,
  amps: readonly number[] = [1, 0.5, 0.33, 0.25],
  sampleRate = SR,
  seed = 1,
  out?: Float32Array,
  gain = 1,
): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const x = out ?? new Float32Array(n);
  const rng = new Rng(seed);
  for (let p = 0; p < amps.length; p++) {
    const f = hz * (p + 1);
    if (f >= sampleRate / 2) break;
    const ph = rng.uniform(0, 2 * Math.PI);
    const w = (2 * Math.PI * f) / sampleRate;
    const a = amps[p] * gain;
    for (let i = 0; i < n; i++) x[i] += a * Math.sin(w * i + ph);
  }
  return x;
}

/** Several harmonic tones summed (a chord), each at `gain`. */
export function chord(
  freqs: readonly number[],
  seconds: number,
  gain = 0.15,
  sampleRate = SR,
  amps?: readonly number[],
): Float32Array {
  const x = new Float32Array(Math.round(seconds * sampleRate));
  freqs.forEach((f, i) => {
    harmonicTone(f, seconds, amps, sampleRate, 100 + i, x, gain);
  });
  return x;
}

export function whiteNoise(n: number, amp: number, seed = 7): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-amp, amp);
  return x;
}

/** Adds a short click (exponentially decaying noise burst, 2 ms time constant) at each time. */
export function addClicks(
  x: Float32Array,
  times: readonly number[],
  amp: number,
  sampleRate = SR,
  seed = 3,
): void {
  const rng = new Rng(seed);
  const len = Math.round(0.01 * sampleRate);
  const tau = 0.002 * sampleRate;
  for (const t of times) {
    const s = Math.round(t * sampleRate);
    for (let i = 0; i < len && s + i < x.length; i++)
      x[s + i] += amp * Math.exp(-i / tau) * rng.uniform(-1, 1);
  }
}

export function midiHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}
