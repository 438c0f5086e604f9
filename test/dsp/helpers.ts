/** Test signals with known answers and independent measurements (shared by the dsp tests). */
import { realFft } from "../../src/dsp/fft.js";
import { Rng } from "../../src/dsp/rng.js";

export const SR = 44100;

export function sine(freq: number, seconds: number, amp = 1, sr = SR, phase = 0): Float32Array {
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / sr + phase);
  return x;
}

export function whiteNoise(n: number, seed = 1, amp = 0.5): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * rng.uniform(-1, 1);
  return x;
}

/** Pink noise (Paul Kellet's refined filter on white noise), scaled to roughly `amp` RMS. */
export function pinkNoise(n: number, seed = 2, amp = 0.2): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let i = 0; i < n; i++) {
    const w = rng.normal();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    x[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  const r = rmsOf(x);
  for (let i = 0; i < n; i++) x[i] *= amp / r;
  return x;
}

/** A minor triad (A3, C4, E4 plus octave partials), each note slightly detuned against a twin. */
export function chord(seconds: number, sr = SR, seed = 3): Float32Array {
  const rng = new Rng(seed);
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  const notes = [220, 261.63, 329.63];
  const partials: Array<{ f: number; a: number; p: number }> = [];
  for (const f of notes) {
    for (const [mult, a] of [
      [1, 0.3],
      [2, 0.12],
      [3, 0.05],
    ]) {
      // a quieter second voice 2-3 cents off: the gentle slow beating of a real ensemble
      partials.push({ f: f * mult, a, p: rng.uniform(0, 2 * Math.PI) });
      partials.push({
        f: f * mult * 2 ** (rng.uniform(2, 3) / 1200),
        a: a * 0.35,
        p: rng.uniform(0, 2 * Math.PI),
      });
    }
  }
  for (const { f, a, p } of partials) {
    const w = (2 * Math.PI * f) / sr;
    for (let i = 0; i < n; i++) x[i] += a * Math.sin(w * i + p);
  }
  const pk = peakOf(x);
  for (let i = 0; i < n; i++) x[i] *= 0.8 / pk;
  return x;
}

/**
 * A "real" sustained sound: a bowed-string-like tone (harmonics with individual slow amplitude
 * drift), vibrato of 5.5 Hz and +-8 cents, a slow 0.3 Hz swell, and breath noise at -30 dB.
 */
export function sustainedRecording(seconds: number, sr = SR, seed = 4): Float32Array {
  const rng = new Rng(seed);
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  const f0 = 196;
  for (let h = 1; h <= 12; h++) {
    const a = 0.5 / h ** 1.2;
    const driftRate = rng.uniform(0.1, 0.5);
    const driftPhase = rng.uniform(0, 2 * Math.PI);
    let phase = rng.uniform(0, 2 * Math.PI);
    for (let i = 0; i < n; i++) {
      const t = i / sr;
      const vib = 2 ** ((8 * Math.sin(2 * Math.PI * 5.5 * t)) / 1200);
      phase += (2 * Math.PI * f0 * h * vib) / sr;
      const env =
        (1 + 0.25 * Math.sin(2 * Math.PI * driftRate * t + driftPhase)) *
        (1 + 0.2 * Math.sin(2 * Math.PI * 0.3 * t));
      x[i] += a * env * Math.sin(phase);
    }
  }
  const noise = pinkNoise(n, seed + 100, 1);
  const r = rmsOf(x);
  for (let i = 0; i < n; i++) x[i] += noise[i] * r * 0.03;
  const pk = peakOf(x);
  for (let i = 0; i < n; i++) x[i] *= 0.8 / pk;
  return x;
}

export function rmsOf(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

export function peakOf(x: Float32Array): number {
  let p = 0;
  for (const v of x) p = Math.max(p, Math.abs(v));
  return p;
}

export function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/**
 * Frequency of the strongest component: Hann-windowed FFT over `fftSize` samples from `start`,
 * quadratic interpolation of the log magnitude around the peak bin (error well under 0.05 % here).
 */
export function dominantFrequency(x: Float32Array, sr = SR, start = 0, fftSize = 65536): number {
  const buf = new Float32Array(fftSize);
  for (let i = 0; i < fftSize; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / fftSize);
    buf[i] = (x[start + i] ?? 0) * w;
  }
  const p = realFft(fftSize).power(buf);
  let k = 1;
  for (let i = 1; i < p.length - 1; i++) if (p[i] > p[k]) k = i;
  const a = Math.log(p[k - 1] + 1e-30);
  const b = Math.log(p[k] + 1e-30);
  const c = Math.log(p[k + 1] + 1e-30);
  const d = (0.5 * (a - c)) / (a - 2 * b + c);
  return ((k + d) * sr) / fftSize;
}

/** Steady-state gain of a linear process on a sine: output RMS / input RMS over the middle part. */
export function sineGain(process: (x: Float32Array) => Float32Array, freq: number, sr = SR): number {
  const x = sine(freq, 1.5, 0.5, sr);
  const y = process(x);
  const a = Math.round(0.5 * sr);
  const b = x.length - Math.round(0.1 * sr);
  return rmsOf(y, a, b) / rmsOf(x, a, b);
}
