/**
 * The spectral peaks of a region: the power spectrum averaged over a few frames spread across the
 * region (Blackman window, each frame's mean removed so a DC offset adds nothing), its local maxima
 * that stand clear of their surroundings, refined by a parabola through the log powers. Levels are
 * relative to the strongest peak in the band, so the pitch scoring sees a sound's shape, not its
 * loudness. The band starts above the rumble (below `minHz` nothing is looked at).
 */
import { ParameterError } from "../core/errors.js";
import { realFft } from "../dsp/fft.js";
import { sampleStats } from "../dsp/sample-kernels.js";
import { blackmanPeriodic } from "../dsp/window.js";

export interface PeakOptions {
  /** Frame length (a power of two); shorter regions use the largest power of two that fits. */
  fftSize: number;
  /** Frames averaged, spread evenly over the region (overlapping when the region is short). */
  maxFrames: number;
  /** The band searched for peaks (Hz). */
  minHz: number;
  maxHz: number;
  /** A peak must stand this far (dB) above the higher of the lowest points on either side of it. */
  prominenceDb: number;
  /** Peaks this far (dB) or more below the strongest are dropped. */
  floorDb: number;
  /** At most this many peaks (the strongest) are kept. */
  maxPeaks: number;
  /** Regions quieter than this mean power (dBFS, after the mean is removed) have no peaks. */
  silenceDb: number;
}

export interface SpectralPeak {
  readonly hz: number;
  /** Level relative to the strongest peak of the band (0 for that one, negative for the others). */
  readonly db: number;
}

export interface PeakSpectrum {
  /** Ascending in frequency. */
  readonly peaks: SpectralPeak[];
  /** Share of the band's power held by the kept peaks' main lobes (near 1 for tones, small for noise). */
  readonly tonality: number;
  /** Frequency resolution (Hz per bin) of the frames used. */
  readonly binHz: number;
}

/** Blackman main lobe half-width in bins: the bins a peak's power is counted over. */
const LOBE = 3;
/** Valleys are looked for this far (a share of the peak's frequency) when that exceeds a lobe. */
const VALLEY_SHARE = 0.03;

/** Blackman windows by size, made once (an immutable table, like the FFT set-ups). */
const WINDOWS = new Map<number, Float32Array>();

function windowOf(n: number): Float32Array {
  let w = WINDOWS.get(n);
  if (w === undefined) {
    w = blackmanPeriodic(n);
    WINDOWS.set(n, w);
  }
  return w;
}

/** Largest power of two not above n. */
function floorPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/**
 * The peaks of `x` (mono) in the band, or null when the region is silent or shorter than 1024
 * samples. Throws on non-finite samples in the frames it reads.
 */
export function spectralPeaks(x: Float32Array, sampleRate: number, o: PeakOptions): PeakSpectrum | null {
  const n = Math.min(o.fftSize, floorPow2(x.length));
  if (n < 1024) return null;
  const frames = Math.max(1, Math.min(o.maxFrames, Math.floor((2 * (x.length - n)) / n) + 1));
  const step = frames > 1 ? (x.length - n) / (frames - 1) : 0;
  const win = windowOf(n);
  const buf = new Float32Array(n);
  const spec = new Float32Array(n + 2);
  const bins = n / 2 + 1;
  const binHz = sampleRate / n;
  const k0 = Math.max(LOBE + 1, Math.ceil(o.minHz / binHz));
  const k1 = Math.min(n / 2 - LOBE - 1, Math.floor(o.maxHz / binHz));
  if (k1 <= k0) return null;
  // The bins the peak search reads: the band and a valley's reach on either side of it.
  const from = Math.max(1, k0 - LOBE - 2);
  const to = Math.min(bins - 1, k1 + Math.max(LOBE + 1, Math.ceil(VALLEY_SHARE * k1)) + 1);
  const width = to - from + 1;
  const framePower = new Float64Array(frames * width);
  const fft = realFft(n);
  let energy = 0;
  for (let f = 0; f < frames; f++) {
    const start = Math.round(f * step);
    energy += windowedFrame(x, start, n, win, buf);
    fft.forward(buf, spec);
    powerInto(spec, from, width, framePower, f * width);
  }
  // Mean power of the (mean-removed) frames, compared with the silence floor.
  if (10 * Math.log10(energy / (frames * n) + 1e-300) < o.silenceDb) return null;
  const power = new Float64Array(bins);
  power.set(medianOverFrames(framePower, frames, width), from);
  return pickPeaks(power, k0, k1, binHz, o);
}

/**
 * buf = (x[start, start + n) - its mean) * win; returns the frame's energy after the mean is
 * removed. Throws on a non-finite sample.
 */
function windowedFrame(
  x: Float32Array,
  start: number,
  n: number,
  win: Float32Array,
  buf: Float32Array,
): number {
  const frame = x.subarray(start, start + n);
  const st = sampleStats(frame);
  if (st.firstNonFinite >= 0) throw new ParameterError(`non-finite sample at ${start + st.firstNonFinite}`);
  const mean = st.sum / n;
  for (let i = 0; i < n; i++) buf[i] = (frame[i] - mean) * win[i];
  return Math.max(0, st.sumSquares - n * mean * mean);
}

/** out[at + j] = |spec bin (from + j)|^2 for j < width. */
function powerInto(spec: Float32Array, from: number, width: number, out: Float64Array, at: number): void {
  for (let j = 0; j < width; j++) {
    const re = spec[2 * (from + j)];
    const im = spec[2 * (from + j) + 1];
    out[at + j] = re * re + im * im;
  }
}

/**
 * Per bin, the median of the frames' powers (`frames` rows of `bins`): a drum hit or a note's
 * attack in a few frames does not add peaks of its own (a mean would keep them).
 */
function medianOverFrames(framePower: Float64Array, frames: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  const v = new Float64Array(frames);
  const m = frames >> 1;
  for (let k = 0; k < bins; k++) {
    for (let f = 0; f < frames; f++) {
      // Insertion sort: frames are few.
      const p = framePower[f * bins + k];
      let i = f;
      while (i > 0 && v[i - 1] > p) {
        v[i] = v[i - 1];
        i--;
      }
      v[i] = p;
    }
    out[k] = frames % 2 === 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
  }
  return out;
}

/** Whether p = power[k] is the highest within a main lobe on both sides (ties to the left lose). */
function isLobeTop(power: Float64Array, k: number, p: number): boolean {
  for (let j = 2; j <= LOBE; j++) if (power[k - j] >= p || power[k + j] > p) return false;
  return true;
}

function pickPeaks(
  power: Float64Array,
  k0: number,
  k1: number,
  binHz: number,
  o: PeakOptions,
): PeakSpectrum | null {
  const found: Array<{ k: number; reach: number; hz: number; db: number }> = [];
  const prominence = 10 ** (o.prominenceDb / 10);
  let band = 0;
  for (let k = k0; k <= k1; k++) {
    band += power[k];
    const p = power[k];
    if (!(p > power[k - 1] && p >= power[k + 1] && isLobeTop(power, k, p))) continue;
    // The higher of the two valleys within a main lobe and a bit on each side, or within 3 % of
    // the frequency where that is wider (vibrato spreads a high partial over several bins).
    let left = p;
    let right = p;
    const reach = Math.min(k - 1, Math.max(LOBE + 1, Math.round(VALLEY_SHARE * k)));
    for (let j = 1; j <= reach && k + j < power.length; j++) {
      left = Math.min(left, power[k - j]);
      right = Math.min(right, power[k + j]);
    }
    if (p < prominence * Math.max(left, right)) continue;
    // Parabola through the log powers: frequency and level of the true maximum.
    const a = Math.log(power[k - 1] + 1e-300);
    const b = Math.log(p + 1e-300);
    const c = Math.log(power[k + 1] + 1e-300);
    const den = a - 2 * b + c;
    const d = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
    const lnPeak = b - 0.25 * (a - c) * d;
    found.push({ k, reach, hz: (k + d) * binHz, db: (10 / Math.LN10) * lnPeak });
  }
  if (found.length === 0 || !(band > 0)) return null;
  let top = Number.NEGATIVE_INFINITY;
  for (const f of found) top = Math.max(top, f.db);
  const kept = found
    .filter((f) => f.db - top > o.floorDb)
    .sort((a, b) => b.db - a.db)
    .slice(0, o.maxPeaks);
  // Each bin counted once, also where two peaks' lobes overlap.
  let inPeaks = 0;
  const counted = new Uint8Array(k1 + 1);
  for (const f of kept) {
    const lobe = Math.max(LOBE, f.reach - 1);
    for (let k = Math.max(k0, f.k - lobe); k <= Math.min(k1, f.k + lobe); k++) {
      if (counted[k] === 0) inPeaks += power[k];
      counted[k] = 1;
    }
  }
  kept.sort((a, b) => a.hz - b.hz);
  return {
    peaks: kept.map((f) => ({ hz: f.hz, db: f.db - top })),
    tonality: inPeaks / band,
    binHz,
  };
}
