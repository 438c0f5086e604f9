/**
 * The root note of a region of tonal material, read from its spectrum's harmonic series.
 *
 * 1. The region's spectral peaks (peaks.ts: median of a few frames, so a drum hit in some of them
 *    adds nothing; DC removed; the band starts above the rumble). Each peak weighs about what it
 *    counts for to the ear: 2^(dB/10) relative to the strongest (half per 10 dB), 0 from 40 dB down.
 * 2. Candidate fundamentals: the strongest peaks divided by 1..8 (a weak or missing fundamental is
 *    a candidate too). A candidate's comb explains the peaks within TOLERANCE_CENTS of one of its
 *    harmonics (and within SPACING_TOLERANCE of their spacing); its inharmonicity (stiff strings:
 *    partial h at h f0 sqrt(1 + B h^2)) and exact f0 are fitted through the peaks it catches.
 * 3. From the lowest candidate that explains about as much as any (a lower comb explains all a
 *    higher one does), the estimate climbs to k times itself (an octave, a twelfth, ...) while the
 *    peaks only the lower comb explains (its harmonics not divisible by k) weigh under SHARE_SPLIT
 *    of all it explains. So a faint stray partial or subharmonic cannot pull the pitch down, and a
 *    sound whose odd harmonics carry real weight keeps its fundamental, weak, missing or not.
 * 4. The confidence, in [0, 1], is the product of
 *    - the share of the peak weight near the comb's harmonics (a chord's other notes are not),
 *    - 1 minus the weight of the strongest peak near none of them (another note as loud),
 *    - clarity: how far each climb-or-stay decision lay from SHARE_SPLIT, 1 at SHARE_MARGIN or more
 *      (an organ with a sub-octave or fifth-sounding stop near its 8' level sits in between: its
 *      octave is ambiguous), and 0 for a fundamental with no odd overtones of its own under a sound
 *      an octave up (a sub-octave stop or oscillator: the octave is a convention),
 *    - support: 1 when the comb holds its 1st or 2nd harmonic, 0.5 from its 3rd, else 0 (a lone
 *      run of harmonics from the 4th up is the residue of a chord, e.g. C4 E4 G4 as C2's 4, 5, 6),
 *    - tonality: the share of the band's power in the peaks, up to TONAL_SHARE (noise has little).
 *    `estimatePitch` gives a root only from DEFAULT_PITCH_OPTIONS.minConfidence (0.5) up: below it,
 *    no root. Chords, noise, inharmonic sounds and octave-ambiguous organs fall below.
 * 5. The frequency is refined by least squares through the comb's first REFINE_HARMONICS matched
 *    harmonics, which puts steady tones within a few cents.
 */
import { ParameterError } from "../core/errors.js";
import { type PeakSpectrum, type SpectralPeak, spectralPeaks } from "./peaks.js";

export interface PitchOptions {
  /** Lowest and highest fundamental considered (Hz). */
  fmin: number;
  fmax: number;
  /** Spectrum frames averaged over the region. */
  maxFrames: number;
  /** Regions quieter than this mean power (dBFS) have no pitch. */
  silenceDb: number;
  /** Below this confidence `estimatePitch` returns no root (null). */
  minConfidence: number;
}

export const DEFAULT_PITCH_OPTIONS: PitchOptions = {
  fmin: 40,
  fmax: 2000,
  maxFrames: 8,
  silenceDb: -80,
  minConfidence: 0.5,
};

export interface PitchEstimate {
  readonly hz: number;
  /** Nearest MIDI note (A4 = 69 = 440 Hz). */
  readonly midi: number;
  /** Deviation from that note in cents, in [-50, 50]. */
  readonly cents: number;
  /** How sure the reading is that this is one harmonic sound's pitch, octave included, in [0, 1]. */
  readonly confidence: number;
}

/** Peaks this far or more under the strongest weigh nothing. */
const WEIGHT_RANGE_DB = 40;
/** Harmonics a comb reaches (a 40 Hz note's partials up to about 2 kHz). */
const HARMONICS = 48;
const TOLERANCE_CENTS = 25;
const TOLERANCE_RATIO = 2 ** (TOLERANCE_CENTS / 1200) - 1;
const SPACING_TOLERANCE = 0.08;
/** Starting inharmonicities of a comb, each refined by a fit through the peaks it catches. */
const INHARMONICITY = [0, 1e-4, 6e-4, 3e-3] as const;
const MAX_INHARMONICITY = 0.01;
/** Peaks this close to a harmonic (a detuned voice of an ensemble, a wide vibrato) are not another note. */
const NEAR_CENTS = 50;
const NEAR_RATIO = 2 ** (NEAR_CENTS / 1200) - 1;
const NEAR_SPACING = 0.25;
/**
 * Climb from f to k f when f's own harmonics weigh under this share; clarity 1 at SHARE_MARGIN
 * from it. On the renders of real instruments, climbs were at shares under 0.02 and stays over
 * 0.3, except organs with sub-octave or fifth-sounding stops (0.10 to 0.26).
 */
const SHARE_SPLIT = 0.2;
const SHARE_MARGIN = 0.1;
/**
 * A sound whose odd harmonics weigh under this share is mostly an octave up from its fundamental;
 * then its odd overtones (3rd, 5th, ...) must carry ODD_EVIDENCE of the weight for that fundamental
 * to be the root rather than a sub-octave partial.
 */
const OCTAVE_DOUBLED_SHARE = 0.5;
const ODD_EVIDENCE = 0.05;
const TONAL_SHARE = 0.5;
/** Candidates whose plain comb explains at least this share of the best one's are fitted. */
const FIT_SHARE = 0.5;
const REFINE_HARMONICS = 6;
/** Partials above this say little about the pitch of notes up to C7. */
const BAND_TOP_HZ = 10000;
/** Frames of about 0.19 s: 5.4 Hz bins at 44.1 kHz, enough to part the harmonics of a 40 Hz note. */
const FRAME_SEC = 0.18;

/** Fractional MIDI note number of a frequency (A4 = 440 Hz = 69). */
export function hzToMidi(hz: number): number {
  if (!(hz > 0) || !Number.isFinite(hz)) throw new ParameterError(`frequency must be > 0 Hz, got: ${hz}`);
  return 69 + 12 * Math.log2(hz / 440);
}

export function midiToHz(midi: number): number {
  if (!Number.isFinite(midi)) throw new ParameterError(`MIDI note must be finite, got: ${midi}`);
  return 440 * 2 ** ((midi - 69) / 12);
}

const NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** Note name with octave, sharps for black keys, middle C = C4 (e.g. 57 -> "A3", 61 -> "C#4"). */
export function midiToNoteName(midi: number): string {
  if (!Number.isInteger(midi) || midi < 0 || midi > 127) {
    throw new ParameterError(`MIDI note must be an integer in [0, 127], got: ${midi}`);
  }
  return `${NOTE_NAMES[midi % 12]}${Math.floor(midi / 12) - 1}`;
}

/** The region's root note, or null when it has none with confidence (noise, silence, a chord, inharmonic). */
export function estimatePitch(
  x: Float32Array,
  sampleRate: number,
  options: Partial<PitchOptions> = {},
): PitchEstimate | null {
  const o = resolve(sampleRate, options);
  const p = readPitch(x, sampleRate, o);
  return p !== null && p.confidence >= o.minConfidence ? p : null;
}

/**
 * The region's best single-pitch reading whatever its confidence, or null when there is nothing to
 * read (silence, too short, no spectral peaks). `estimatePitch` is this with the threshold applied.
 */
export function measurePitch(
  x: Float32Array,
  sampleRate: number,
  options: Partial<PitchOptions> = {},
): PitchEstimate | null {
  return readPitch(x, sampleRate, resolve(sampleRate, options));
}

function resolve(sampleRate: number, options: Partial<PitchOptions>): PitchOptions {
  const o: PitchOptions = { ...DEFAULT_PITCH_OPTIONS, ...options };
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) {
    throw new ParameterError(`sampleRate must be > 0, got: ${sampleRate}`);
  }
  if (!(o.fmin > 0) || !(o.fmax > o.fmin) || !(o.fmax < sampleRate / 2)) {
    throw new ParameterError(
      `pitch range must satisfy 0 < fmin < fmax < ${sampleRate / 2} Hz, got: [${o.fmin}, ${o.fmax}]`,
    );
  }
  if (!Number.isInteger(o.maxFrames) || o.maxFrames < 1) {
    throw new ParameterError(`maxFrames must be a positive integer, got: ${o.maxFrames}`);
  }
  if (!(o.minConfidence >= 0 && o.minConfidence <= 1)) {
    throw new ParameterError(`minConfidence must be in [0, 1], got: ${o.minConfidence}`);
  }
  return o;
}

function readPitch(x: Float32Array, sampleRate: number, o: PitchOptions): PitchEstimate | null {
  let fftSize = 1024;
  while (fftSize < FRAME_SEC * sampleRate) fftSize *= 2;
  const spectrum = spectralPeaks(x, sampleRate, {
    fftSize,
    maxFrames: o.maxFrames,
    minHz: 0.8 * o.fmin,
    maxHz: Math.min(0.45 * sampleRate, BAND_TOP_HZ),
    prominenceDb: 10,
    floorDb: -WEIGHT_RANGE_DB,
    maxPeaks: 40,
    silenceDb: o.silenceDb,
  });
  if (spectrum === null || spectrum.peaks.length === 0) return null;
  // Two partials of the lowest note must be resolved: short regions raise the lowest pitch.
  const fmin = Math.max(o.fmin, 4 * spectrum.binHz);
  if (fmin >= o.fmax) return null;
  return bestPitch(spectrum, fmin, o.fmax);
}

/** What one candidate's comb explains. */
interface Comb {
  readonly f0: number;
  /** Inharmonicity of the comb: harmonic h lies at h f0 sqrt(1 + B h^2) (stiff strings, pianos). */
  readonly b: number;
  /** Weight of all peaks. */
  readonly total: number;
  /** Weight explained, in all and per harmonic number (index 1..HARMONICS). */
  readonly matched: number;
  readonly byHarmonic: Float64Array;
}

const weightOf = (p: SpectralPeak): number => (p.db > -WEIGHT_RANGE_DB ? 2 ** (p.db / 10) : 0);

/** The comb near f0, fitted from each starting inharmonicity, that explains the most. */
function comb(f0: number, peaks: readonly SpectralPeak[]): Comb {
  let best: Comb | null = null;
  for (const b of INHARMONICITY) {
    let c = combWith(f0, b, peaks);
    // Candidates come from one peak's frequency; the comb fitted through all the peaks it catches
    // (fundamental and stretch) reaches further up a stiff string's partials.
    for (let i = 0; i < 2; i++) {
      const fit = fitComb(c, peaks);
      if (fit === null) break;
      const again = combWith(fit.f0, fit.b, peaks);
      if (!(again.matched > c.matched)) break;
      c = again;
    }
    if (best === null || c.matched > best.matched + 1e-9) best = c;
  }
  return best as Comb;
}

function combWith(f0: number, b: number, peaks: readonly SpectralPeak[]): Comb {
  const byHarmonic = new Float64Array(HARMONICS + 1);
  let total = 0;
  let matched = 0;
  for (const p of peaks) {
    const w = weightOf(p);
    total += w;
    const h = harmonicOf(p.hz, f0, b);
    if (h > 0) {
      byHarmonic[h] += w;
      matched += w;
    }
  }
  return { f0, b, total, matched, byHarmonic };
}

/**
 * The harmonic number (1..HARMONICS) `hz` is of `f0` with inharmonicity `b`, or 0 when it is none:
 * within `ratio` of the harmonic's frequency (TOLERANCE_CENTS) and within `spacing` of the spacing
 * between harmonics (so a dense comb of a low f0 does not catch every high peak).
 */
function harmonicOf(
  hz: number,
  f0: number,
  b: number,
  ratio = TOLERANCE_RATIO,
  spacing = SPACING_TOLERANCE,
): number {
  let x = hz / f0;
  // Solve hz = x f0 sqrt(1 + b x^2) for x (Newton from the plain ratio), then take the nearest h.
  for (let i = 0; b > 0 && i < 2; i++) {
    const s = Math.sqrt(1 + b * x * x);
    x -= (x * s - hz / f0) / (s + (b * x * x) / s);
  }
  const h = Math.round(x);
  if (h < 1 || h > HARMONICS) return 0;
  const at = b > 0 ? h * f0 * Math.sqrt(1 + b * h * h) : h * f0;
  const d = hz > at ? hz - at : at - hz;
  return d <= at * ratio && d <= spacing * f0 ? h : 0;
}

/**
 * Share of a comb's explained weight at its low odd harmonics, 3rd to 15th (higher ones of a low
 * comb are too dense to tell a partial from a coincidence).
 */
function oddOvertoneShare(c: Comb): number {
  if (!(c.matched > 0)) return 0;
  let odd = 0;
  for (let h = 3; h <= 15; h += 2) odd += c.byHarmonic[h];
  return odd / c.matched;
}

/** Share of a comb's explained weight that a comb k times higher would not explain. */
function ownShare(c: Comb, k: number): number {
  if (!(c.matched > 0)) return 1;
  let own = 0;
  for (let h = 1; h <= HARMONICS; h++) if (h % k !== 0) own += c.byHarmonic[h];
  return own / c.matched;
}

function bestPitch(spectrum: PeakSpectrum, fmin: number, fmax: number): PitchEstimate | null {
  const peaks = spectrum.peaks;
  const strongest = [...peaks].sort((a, b) => b.db - a.db).slice(0, 8);
  const candidates: number[] = [];
  for (const p of strongest) {
    for (let h = 1; h <= 8; h++) {
      const f = p.hz / h;
      if (f < fmin || f > fmax) continue;
      if (candidates.every((c) => Math.abs(1200 * Math.log2(f / c)) > 10)) candidates.push(f);
    }
  }
  if (candidates.length === 0) return null;
  // Plain combs rank the candidates; only those within reach of the best are fitted (the fit
  // catches stretched partials, which a plain comb misses only in part).
  const plain = candidates.map((f) => combWith(f, 0, peaks));
  let bestPlain = 0;
  for (const c of plain) bestPlain = Math.max(bestPlain, c.matched);
  const combs = plain.filter((c) => c.matched >= FIT_SHARE * bestPlain).map((c) => comb(c.f0, peaks));
  let most = 0;
  for (const c of combs) most = Math.max(most, c.matched);
  // The lowest candidate that explains about as much as any: lower combs explain everything higher
  // ones do, so the way to the pitch is up.
  let cur = combs.filter((c) => c.matched >= most - 0.02 * c.total).reduce((a, b) => (a.f0 <= b.f0 ? a : b));
  let clarity = 1;
  for (;;) {
    // Climb to the highest multiple whose comb leaves out little of what this one explains.
    let climbK = 0;
    let climbShare = 0;
    for (let k = 2; k * cur.f0 <= fmax * 1.03 && k <= HARMONICS; k++) {
      const share = ownShare(cur, k);
      if (share < SHARE_SPLIT) {
        climbK = k;
        climbShare = share;
      }
    }
    if (climbK === 0) break;
    clarity = Math.min(clarity, (SHARE_SPLIT - climbShare) / SHARE_MARGIN);
    cur = comb(climbK * cur.f0, peaks);
  }
  // Staying is as sure as the closest call among the multiples not climbed to.
  for (let k = 2; k * cur.f0 <= fmax * 1.03 && k <= 3; k++) {
    clarity = Math.min(clarity, (ownShare(cur, k) - SHARE_SPLIT) / SHARE_MARGIN);
  }
  // A lower octave shown by nothing but its fundamental (no 3rd, 5th, 7th... harmonic of its own)
  // under a sound that is mostly an octave up is a sub-octave partial: an organ's 16' stop, a
  // synth's sub-oscillator. Which octave is the root is then convention, not physics: no root.
  if (2 * cur.f0 <= fmax * 1.03 && ownShare(cur, 2) < OCTAVE_DOUBLED_SHARE) {
    clarity = Math.min(clarity, oddOvertoneShare(cur) / ODD_EVIDENCE);
  }
  let lowest = 1;
  while (lowest < HARMONICS && !(cur.byHarmonic[lowest] > 0)) lowest++;
  const support = lowest <= 2 ? 1 : lowest === 3 ? 0.5 : 0;
  const f0 = refine(cur, peaks);
  const near = nearHarmonics(cur, peaks);
  const confidence =
    near.explained *
    (1 - near.strongestMiss) *
    clamp01(clarity) *
    support *
    Math.min(1, spectrum.tonality / TONAL_SHARE);
  const midiFloat = hzToMidi(f0);
  const midi = Math.round(midiFloat);
  return { hz: f0, midi, cents: 100 * (midiFloat - midi), confidence: clamp01(confidence) };
}

/**
 * Fundamental and inharmonicity through the peaks a comb catches: partial h at f_h = h f0
 * sqrt(1 + B h^2) ~ h f0 (1 + B h^2 / 2), so f_h / h is a straight line in h^2 (weighted least
 * squares). Null when the peaks do not pin both down.
 */
function fitComb(c: Comb, peaks: readonly SpectralPeak[]): { f0: number; b: number } | null {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let hs = 0;
  for (const p of peaks) {
    const h = harmonicOf(p.hz, c.f0, c.b);
    if (h === 0) continue;
    const w = weightOf(p);
    const x = h * h;
    const y = p.hz / h;
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
    hs |= 1 << Math.min(h, 30);
  }
  // At least two different harmonics.
  if (!(sw > 0) || (hs & (hs - 1)) === 0) return null;
  const det = sw * sxx - sx * sx;
  if (!(det > 1e-12 * sw * sxx)) return null;
  const slope = (sw * sxy - sx * sy) / det;
  const f0 = (sy - slope * sx) / sw;
  if (!(f0 > 0)) return null;
  return { f0, b: Math.max(0, Math.min(MAX_INHARMONICITY, (2 * slope) / f0)) };
}

/** Least-squares fundamental through the matched harmonics up to REFINE_HARMONICS (weighted by level). */
function refine(c: Comb, peaks: readonly SpectralPeak[]): number {
  let num = 0;
  let den = 0;
  for (const p of peaks) {
    const h = harmonicOf(p.hz, c.f0, c.b);
    if (h === 0 || h > REFINE_HARMONICS) continue;
    const w = weightOf(p);
    const s = Math.sqrt(1 + c.b * h * h);
    num += w * h * s * p.hz;
    den += w * h * h * s * s;
  }
  return den > 0 ? num / den : c.f0;
}

/** Share of the peak weight near the comb's harmonics, and the strongest peak that is near none. */
function nearHarmonics(
  c: Comb,
  peaks: readonly SpectralPeak[],
): { explained: number; strongestMiss: number } {
  let near = 0;
  let total = 0;
  let strongestMiss = 0;
  for (const p of peaks) {
    const w = weightOf(p);
    total += w;
    if (harmonicOf(p.hz, c.f0, c.b, NEAR_RATIO, NEAR_SPACING) > 0) near += w;
    else strongestMiss = Math.max(strongestMiss, w);
  }
  return { explained: total > 0 ? near / total : 0, strongestMiss };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
