/**
 * Signal measures of the music bench, on mono mixdowns of patina's output WAVs: the short-term level
 * range (50 ms frames), the spectral-flux spike at a loop's seam against the loop's interior, and the
 * normalised cross-correlation of two outputs at their best lag within a few milliseconds.
 */
import { crossSpectrumInto, realFft } from "../../src/dsp/fft.js";

const dbOf = (x: number): number => 10 * Math.log10(x + 1e-20);

/**
 * Largest minus smallest RMS level (dB) of non-overlapping `frameSec` frames; `fallDb`: first
 * quarter minus last quarter; `stepDb`: first frame minus last frame (the step at a loop point);
 * `interiorStepDb`: the largest change between neighbouring frames inside; `spikeDb`: loudest frame
 * above the median frame (a tick in a hiss loop).
 */
export function levelRange(
  x: Float32Array,
  sampleRate: number,
  frameSec = 0.05,
): { rangeDb: number; fallDb: number; stepDb: number; interiorStepDb: number; spikeDb: number } {
  const len = Math.max(1, Math.round(frameSec * sampleRate));
  const frames = Math.floor(x.length / len);
  if (frames < 2) return { rangeDb: 0, fallDb: 0, stepDb: 0, interiorStepDb: 0, spikeDb: 0 };
  const db = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let i = f * len; i < (f + 1) * len; i++) s += x[i] * x[i];
    db[f] = Math.max(-120, dbOf(s / len));
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const d of db) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const q = Math.max(1, Math.floor(frames / 4));
  const mean = (a: number, b: number): number => db.slice(a, b).reduce((s, d) => s + d, 0) / (b - a);
  let interiorStepDb = 0;
  for (let f = 1; f < frames; f++) interiorStepDb = Math.max(interiorStepDb, Math.abs(db[f] - db[f - 1]));
  return {
    rangeDb: hi - lo,
    fallDb: mean(0, q) - mean(frames - q, frames),
    stepDb: db[0] - db[frames - 1],
    interiorStepDb,
    spikeDb: hi - [...db].sort((a, b) => a - b)[Math.floor(frames / 2)],
  };
}

const FLUX_FFT = 1024;
const FLUX_HOP = 256;
const HANN = Float32Array.from(
  { length: FLUX_FFT },
  (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FLUX_FFT),
);

/**
 * The loop played round: positive spectral flux (sum of magnitude rises, 1024-point Hann frames,
 * hop 256) of every frame, in dB above the median frame. `seamDb`: the largest over frames that span
 * the loop point; `interiorDb`: the largest over frames at least `guardSec` away from it.
 */
export function seamFlux(
  x: Float32Array,
  sampleRate: number,
  guardSec = 0.05,
): { seamDb: number; interiorDb: number } {
  const n = x.length;
  if (n < 4 * FLUX_FFT) return { seamDb: Number.NaN, interiorDb: Number.NaN };
  const fft = realFft(FLUX_FFT);
  const frame = new Float32Array(FLUX_FFT);
  const spec = new Float32Array(FLUX_FFT + 2);
  const bins = FLUX_FFT / 2 + 1;
  const starts: number[] = [];
  for (let p = 0; p < n; p += FLUX_HOP) starts.push(p);
  const magnitudes = (p: number, out: Float32Array): void => {
    if (p + FLUX_FFT <= n) for (let i = 0; i < FLUX_FFT; i++) frame[i] = x[p + i] * HANN[i];
    else for (let i = 0; i < FLUX_FFT; i++) frame[i] = x[(p + i) % n] * HANN[i];
    fft.forward(frame, spec);
    for (let k = 0; k < bins; k++)
      out[k] = Math.sqrt(spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]);
  };
  // Two rolling spectra; the first frame's predecessor is the last one (the loop goes round).
  let prev = new Float32Array(bins);
  let cur = new Float32Array(bins);
  magnitudes(starts[starts.length - 1], prev);
  const flux = new Float64Array(starts.length);
  for (let f = 0; f < starts.length; f++) {
    magnitudes(starts[f], cur);
    let sum = 0;
    for (let k = 0; k < bins; k++) {
      const d = cur[k] - prev[k];
      if (d > 0) sum += d;
    }
    flux[f] = sum;
    [prev, cur] = [cur, prev];
  }
  const median = [...flux].sort((a, b) => a - b)[Math.floor(flux.length / 2)];
  const guard = Math.round(guardSec * sampleRate);
  let seam = 0;
  let interior = 0;
  starts.forEach((p, f) => {
    if (p + FLUX_FFT > n)
      seam = Math.max(seam, flux[f]); // the frame holds the loop point
    else if (p >= guard && p + FLUX_FFT <= n - guard) interior = Math.max(interior, flux[f]);
  });
  const rel = (v: number): number => 20 * Math.log10((v + 1e-20) / (median + 1e-20));
  return { seamDb: rel(seam), interiorDb: rel(interior) };
}

/** Smallest PFFFT real size (a multiple of 32 with factors 2, 3, 5 only) of at least `n`. */
function fftSize(n: number): number {
  for (let m = Math.max(32, Math.ceil(n / 32) * 32); ; m += 32) {
    let r = m;
    for (const f of [2, 3, 5]) while (r % f === 0) r /= f;
    if (r === 1) return m;
  }
}

const BANDS = 256;

/** The spectrum of a signal's first `length` samples, mean removed, zero-padded for lags up to `maxLag`. */
export interface Spectrum {
  readonly spec: Float32Array;
  /** Sum of the weighted |X[k]|^2 over each of BANDS equal bands (for a cheap first bound). */
  readonly bandEnergy: Float64Array;
  /** |X[k]| for bins 0..N/2, bins 1..N/2-1 doubled (they stand for their mirror image too). */
  readonly weightedMag: Float32Array;
  readonly mag: Float32Array;
  readonly energy: number;
  readonly size: number;
}

export function spectrumOf(x: Float32Array, length: number, maxLag: number): Spectrum {
  const size = fftSize(length + maxLag);
  const buf = new Float32Array(size);
  let mean = 0;
  for (let i = 0; i < length; i++) mean += x[i];
  mean /= length;
  let energy = 0;
  for (let i = 0; i < length; i++) {
    buf[i] = x[i] - mean;
    energy += buf[i] * buf[i];
  }
  const spec = realFft(size).forward(buf);
  const bins = size / 2 + 1;
  const mag = new Float32Array(bins);
  const weightedMag = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    mag[k] = Math.sqrt(spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]);
    weightedMag[k] = k === 0 || k === bins - 1 ? mag[k] : 2 * mag[k];
  }
  const bandEnergy = new Float64Array(BANDS);
  for (let k = 0; k < bins; k++) bandEnergy[Math.floor((k * BANDS) / bins)] += weightedMag[k] * mag[k];
  return { spec, bandEnergy, mag, weightedMag, energy, size };
}

/**
 * Largest |normalised cross-correlation| of two spectra (same size) over lags within `maxLag`
 * samples. An upper bound comes first from the magnitudes alone (sum |A||B| over the spectrum is at
 * least any lag's correlation): pairs that cannot reach `floor` return the bound without the inverse
 * transform.
 */
export function bestCorrelation(a: Spectrum, b: Spectrum, maxLag: number, floor: number): number {
  if (a.size !== b.size) throw new Error(`spectra of different sizes: ${a.size} vs ${b.size}`);
  const norm = Math.sqrt(a.energy * b.energy) * a.size;
  if (!(norm > 0)) return 0;
  // Cauchy-Schwarz per band bounds the sum of |A||B| from above: most pairs stop here.
  let coarse = 0;
  for (let k = 0; k < BANDS; k++) coarse += Math.sqrt(a.bandEnergy[k] * b.bandEnergy[k]);
  if (coarse / norm < floor) return coarse / norm;
  const wa = a.weightedMag;
  const mb = b.mag;
  let bound = 0;
  for (let k = 0; k < wa.length; k++) bound += wa[k] * mb[k];
  bound /= norm;
  if (bound < floor) return bound;
  const cross = crossSpectrumInto(a.spec, Float32Array.from(b.spec));
  const r = realFft(a.size).inverse(cross);
  let best = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) best = Math.max(best, Math.abs(r[(lag + a.size) % a.size]));
  // inverse() is the true inverse DFT, so r is the correlation sum itself: divide by sqrt(Ea Eb).
  return (best * a.size) / norm;
}

/**
 * Where `needle` best matches inside `haystack`: the largest normalised correlation over every lag
 * at which the needle lies wholly inside (each lag normalised by that stretch's own energy).
 */
export function locate(needle: Float32Array, haystack: Float32Array): number {
  const m = needle.length;
  const h = haystack.length;
  if (m === 0 || h < m) return Number.NaN;
  const size = fftSize(h + m);
  const n = new Float32Array(size);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += needle[i];
  mean /= m;
  let en = 0;
  for (let i = 0; i < m; i++) {
    n[i] = needle[i] - mean;
    en += n[i] * n[i];
  }
  if (!(en > 1e-12 * m)) return Number.NaN; // a silent needle is found anywhere
  const hay = new Float32Array(size);
  hay.set(haystack);
  const fft = realFft(size);
  const r = fft.inverse(crossSpectrumInto(fft.forward(n), fft.forward(hay)));
  // Energy of each stretch about its own mean (a DC offset in the source must not count).
  const cum = new Float64Array(h + 1);
  const cum2 = new Float64Array(h + 1);
  for (let i = 0; i < h; i++) {
    cum[i + 1] = cum[i] + haystack[i];
    cum2[i + 1] = cum2[i] + haystack[i] * haystack[i];
  }
  let best = 0;
  for (let lag = 0; lag + m <= h; lag++) {
    const sum = cum[lag + m] - cum[lag];
    const eh = cum2[lag + m] - cum2[lag] - (sum * sum) / m;
    if (eh > 1e-12 * m) best = Math.max(best, r[lag] / Math.sqrt(en * eh));
  }
  return best;
}
