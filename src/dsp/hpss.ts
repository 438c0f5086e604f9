/**
 * Harmonic/percussive separation by median filtering of the magnitude spectrogram (Fitzgerald
 * 2010) with soft (Wiener) masks: steady partials are smooth along time, clicks and noise bursts
 * are smooth along frequency. `harmonic + percussive` equals the input (the masks sum to one).
 *
 * Memory: one magnitude spectrogram (frames x bins float32, about 106 MB for 5 minutes at
 * 44.1 kHz); complex spectra are recomputed in the second pass instead of stored.
 */
import { checkAudio, checkInteger, checkPositive } from "./check.js";
import { realFft } from "./fft.js";
import { OverlapAdd, resolveStftOptions, stftFrameCount, windowedFrame } from "./stft.js";
import { hannPeriodic } from "./window.js";

export interface HpssOptions {
  fftSize: number;
  hopSize: number;
  /** Median length along time, frames (odd; 17 frames of 512 = about 0.2 s). */
  harmonicKernel: number;
  /** Median length along frequency, bins (odd; 17 bins of 21.5 Hz = about 370 Hz). */
  percussiveKernel: number;
  /** Mask exponent (2 = Wiener-like soft masks). */
  power: number;
}

export const HPSS_DEFAULTS: Readonly<HpssOptions> = {
  fftSize: 2048,
  hopSize: 512,
  harmonicKernel: 17,
  percussiveKernel: 17,
  power: 2,
};

export interface HpssResult {
  harmonic: Float32Array;
  percussive: Float32Array;
}

/** Median of a sliding window kept sorted (insert/remove by linear scan: fine for ~17 values). */
class SortedWindow {
  private readonly v: Float32Array;
  private n = 0;
  constructor(capacity: number) {
    this.v = new Float32Array(capacity);
  }
  clear(): void {
    this.n = 0;
  }
  insert(x: number): void {
    const v = this.v;
    let i = this.n++;
    while (i > 0 && v[i - 1] > x) {
      v[i] = v[i - 1];
      i--;
    }
    v[i] = x;
  }
  remove(x: number): void {
    const v = this.v;
    const n = this.n;
    let i = 0;
    // Stored values are float32: compare after the same rounding.
    const fx = Math.fround(x);
    while (i < n && v[i] !== fx) i++;
    for (let j = i; j < n - 1; j++) v[j] = v[j + 1];
    this.n = n - 1;
  }
  median(): number {
    return this.v[this.n >> 1];
  }
}

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
  return j;
}

export function hpss(x: Float32Array, options: Partial<HpssOptions> = {}): HpssResult {
  checkAudio(x);
  const o: HpssOptions = { ...HPSS_DEFAULTS, ...options };
  const { fftSize: n, hopSize: hop } = resolveStftOptions({ fftSize: o.fftSize, hopSize: o.hopSize });
  checkInteger(o.harmonicKernel, 1, "harmonicKernel");
  checkInteger(o.percussiveKernel, 1, "percussiveKernel");
  checkPositive(o.power, "power");
  const fft = realFft(n);
  const window = hannPeriodic(n);
  const bins = n / 2 + 1;
  const frames = stftFrameCount(x.length, hop);
  const buf = new Float32Array(n);
  const spec = new Float32Array(n + 2);

  // Pass 1: magnitudes.
  const mag = new Float32Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    windowedFrame(x, t * hop, window, buf);
    fft.forward(buf, spec);
    const row = t * bins;
    for (let k = 0; k < bins; k++) {
      const re = spec[2 * k];
      const im = spec[2 * k + 1];
      mag[row + k] = Math.sqrt(re * re + im * im);
    }
  }

  // Harmonic enhancement: median along time, bin by bin, written in place (the ring keeps the
  // original values the window still needs; frames ahead are not yet overwritten).
  const hk = o.harmonicKernel | 1;
  const hh = hk >> 1;
  const win = new SortedWindow(hk);
  const ring = new Float32Array(hk);
  // Reflection at the end reads frames that may already hold medians: keep their originals.
  const tailFrom = Math.max(0, frames - hk - 1);
  const tail = mag.slice(tailFrom * bins);
  const original = (t: number, k: number): number =>
    t >= tailFrom ? tail[(t - tailFrom) * bins + k] : mag[t * bins + k];
  for (let k = 0; k < bins; k++) {
    win.clear();
    for (let d = -hh; d <= hh; d++) {
      const v = original(reflect(d, frames), k);
      win.insert(v);
      ring[(d + hk) % hk] = v;
    }
    for (let t = 0; t < frames; t++) {
      const med = win.median();
      // Slide: drop frame t - hh, add frame t + hh + 1 (original values, read before overwrite).
      const outgoing = ring[(t - hh + hk * 4) % hk];
      const incoming = original(reflect(t + hh + 1, frames), k);
      mag[t * bins + k] = med;
      if (t + 1 < frames) {
        win.remove(outgoing);
        win.insert(incoming);
        ring[(t + hh + 1) % hk] = incoming;
      }
    }
  }

  // Pass 2: percussive enhancement (median along frequency) and masks, per frame.
  const pk = o.percussiveKernel | 1;
  const ph = pk >> 1;
  const fwin = new SortedWindow(pk);
  const m = new Float32Array(bins);
  const perc = new Float32Array(bins);
  const hSpec = new Float32Array(n + 2);
  const pSpec = new Float32Array(n + 2);
  const olaH = new OverlapAdd(x.length, window, hop, 1 / n);
  const olaP = new OverlapAdd(x.length, window, hop, 1 / n);
  const p = o.power;
  for (let t = 0; t < frames; t++) {
    windowedFrame(x, t * hop, window, buf);
    fft.forward(buf, spec);
    for (let k = 0; k < bins; k++)
      m[k] = Math.sqrt(spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]);
    fwin.clear();
    for (let d = -ph; d <= ph; d++) fwin.insert(m[reflect(d, bins)]);
    for (let k = 0; k < bins; k++) {
      perc[k] = fwin.median();
      if (k + 1 < bins) {
        fwin.remove(m[reflect(k - ph, bins)]);
        fwin.insert(m[reflect(k + ph + 1, bins)]);
      }
    }
    const row = t * bins;
    for (let k = 0; k < bins; k++) {
      const h = mag[row + k];
      const q = perc[k];
      const hp = p === 2 ? h * h : h ** p;
      const qp = p === 2 ? q * q : q ** p;
      const sum = hp + qp;
      const mh = sum > 1e-30 ? hp / sum : 0.5;
      const re = spec[2 * k];
      const im = spec[2 * k + 1];
      hSpec[2 * k] = re * mh;
      hSpec[2 * k + 1] = im * mh;
      pSpec[2 * k] = re - re * mh;
      pSpec[2 * k + 1] = im - im * mh;
    }
    fft.inverseUnscaled(hSpec, buf);
    olaH.add(buf);
    fft.inverseUnscaled(pSpec, buf);
    olaP.add(buf);
  }
  return { harmonic: olaH.finish(), percussive: olaP.finish() };
}
