/**
 * Near-duplicates among the outputs of one source: every pair of about the same length (within 2 %,
 * compared over the shorter) whose normalised cross-correlation at its best lag within 5 ms
 * exceeds the threshold. Outputs of different lengths (a 2 s pad inside a 3.5 s one) are caught by
 * their source windows instead (evaluate.ts).
 */
import { bestCorrelation, type Spectrum, spectrumOf } from "./measure.js";

export interface Signal {
  readonly name: string;
  readonly type: string;
  readonly x: Float32Array;
  readonly sampleRate: number;
}

export interface Pair {
  readonly a: string;
  readonly b: string;
  readonly correlation: number;
  /** What the two are, e.g. "pad/pad", "loop/loop (tonal variants of one loop)". */
  readonly kind: string;
}

const MAX_LAG_SEC = 0.005;
const LENGTH_TOLERANCE = 0.02;

/** The loop a drone variant was filtered from: its name without the `_warm` / `_airy` / `_dark` ending. */
const variantBase = (name: string): string | null => {
  const m = /^(.*_loop)_(?:warm|airy|dark)\.wav$/.exec(name.split("/").pop() ?? "");
  return m ? m[1] : null;
};

function kindOf(a: Signal, b: Signal): string {
  const base = `${a.type}/${b.type}`;
  const va = variantBase(a.name);
  if (va !== null && va === variantBase(b.name)) return `${base} (tonal variants of one loop)`;
  return base;
}

/** Pairs above `threshold`, in input order (a before b). */
export function findDuplicates(signals: readonly Signal[], threshold: number): Pair[] {
  const pairs: Pair[] = [];
  const cache = new Map<string, Spectrum>();
  const spectrum = (s: Signal, length: number, lag: number): Spectrum => {
    const key = `${s.name}@${length}`;
    let sp = cache.get(key);
    if (!sp) {
      sp = spectrumOf(s.x, length, lag);
      cache.set(key, sp);
    }
    return sp;
  };
  for (let i = 0; i < signals.length; i++) {
    for (let j = i + 1; j < signals.length; j++) {
      const a = signals[i];
      const b = signals[j];
      if (a.sampleRate !== b.sampleRate) continue;
      const la = a.x.length;
      const lb = b.x.length;
      if (Math.abs(la - lb) > LENGTH_TOLERANCE * Math.max(la, lb)) continue;
      // One common length per length class keeps the cache small: round down to 0.1 s.
      const step = Math.round(a.sampleRate / 10);
      const length = Math.max(step, Math.floor(Math.min(la, lb) / step) * step);
      if (length > Math.min(la, lb)) continue;
      const lag = Math.round(MAX_LAG_SEC * a.sampleRate);
      const c = bestCorrelation(spectrum(a, length, lag), spectrum(b, length, lag), lag, threshold);
      if (c > threshold)
        pairs.push({ a: a.name, b: b.name, correlation: Math.round(c * 10000) / 10000, kind: kindOf(a, b) });
    }
  }
  return pairs;
}
