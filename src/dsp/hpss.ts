/**
 * Harmonic/percussive separation by median filtering of the magnitude spectrogram (Fitzgerald
 * 2010) with soft (Wiener) masks: steady partials are smooth along time, clicks and noise bursts
 * are smooth along frequency. `harmonic + percussive` equals the input (the masks sum to one).
 *
 * Memory: one magnitude spectrogram (frames x bins float32, about 106 MB for 5 minutes at
 * 44.1 kHz); complex spectra are recomputed in the second pass instead of stored. The per-bin work
 * runs in WebAssembly (assembly/hpss.ts), the transforms in PFFFT.
 */
import { checkAudio, checkInteger, checkPositive } from "./check.js";
import { realFft } from "./fft.js";
import { HpssFrames } from "./hpss-kernel.js";
import { OverlapAdd, resolveStftOptions, stftFrameCount } from "./stft.js";
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

export function hpss(x: Float32Array, options: Partial<HpssOptions> = {}): HpssResult {
  checkAudio(x);
  const o: HpssOptions = { ...HPSS_DEFAULTS, ...options };
  const { fftSize: n, hopSize: hop } = resolveStftOptions({ fftSize: o.fftSize, hopSize: o.hopSize });
  checkInteger(o.harmonicKernel, 1, "harmonicKernel");
  checkInteger(o.percussiveKernel, 1, "percussiveKernel");
  checkPositive(o.power, "power");
  const fft = realFft(n);
  const window = hannPeriodic(n);
  const frames = stftFrameCount(x.length, hop);
  const k = new HpssFrames(x, window, frames, o.harmonicKernel | 1, o.percussiveKernel | 1);

  // Pass 1: magnitudes, one spectrogram row per frame.
  for (let t = 0; t < frames; t++) {
    k.frameIn(t * hop);
    fft.forwardOrdered(k.frame, k.spectrum);
    k.magnitudes(t);
  }
  // Harmonic enhancement: median along time, in place.
  k.medianAlongTime();
  // Pass 2: percussive enhancement (median along frequency) and masks, per frame.
  const olaH = new OverlapAdd(x.length, window, hop, 1 / n, k.harmonicOut);
  const olaP = new OverlapAdd(x.length, window, hop, 1 / n, k.percussiveOut);
  for (let t = 0; t < frames; t++) {
    k.frameIn(t * hop);
    fft.forwardOrdered(k.frame, k.spectrum);
    k.masks(t, o.power);
    fft.inverseOrderedUnscaled(k.harmonicSpectrum, k.frame);
    k.overlapAdd("harmonic", olaH.nextStart);
    olaH.addedElsewhere();
    fft.inverseOrderedUnscaled(k.percussiveSpectrum, k.frame);
    k.overlapAdd("percussive", olaP.nextStart);
    olaP.addedElsewhere();
  }
  return { harmonic: olaH.finish(), percussive: olaP.finish() };
}
