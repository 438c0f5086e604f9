/**
 * How an instrument file (SFZ, Decent Sampler) lays the kit's samples over the keyboard.
 * - One instrument per pitched group (category): each sound with a confident root note gets the
 *   keys around its root (split halfway between neighbouring roots; the lowest and highest reach
 *   `spread` semitones past theirs) and is transposed from its root. Two sounds with the same root
 *   cannot share keys, so the second goes to a second instrument of the group ("pads 2").
 * - One instrument for the rest (no confident root: hiss, noisy clouds): one key each, from
 *   `firstKey` up, played at its own pitch on that key (no key tracking).
 */
import type { PlannedSample } from "./plan.js";

export interface Zone {
  readonly sample: PlannedSample;
  readonly lokey: number;
  readonly hikey: number;
  readonly keycenter: number;
  /** Transposed with the key (false: its own pitch on its key). */
  readonly keytrack: boolean;
}

export interface Instrument {
  /** File stem, e.g. "pads", "pads-2", "unpitched". */
  readonly stem: string;
  /** Shown in the instrument, e.g. "pads 2". */
  readonly title: string;
  readonly zones: readonly Zone[];
}

export interface MappingOptions {
  readonly spread: number;
  readonly firstKey: number;
}

const byRoot = (a: PlannedSample, b: PlannedSample): number =>
  (a.rootMidi ?? 0) - (b.rootMidi ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Zones of sounds with distinct roots, in root order. */
function splitKeyboard(samples: readonly PlannedSample[], spread: number): Zone[] {
  const s = [...samples].sort(byRoot);
  return s.map((x, i) => {
    const r = x.rootMidi ?? 60;
    const lo = i === 0 ? Math.max(0, r - spread) : Math.floor(((s[i - 1].rootMidi ?? 0) + r) / 2) + 1;
    const hi =
      i === s.length - 1 ? Math.min(127, r + spread) : Math.floor((r + (s[i + 1].rootMidi ?? 0)) / 2);
    return { sample: x, lokey: lo, hikey: hi, keycenter: r, keytrack: true };
  });
}

/** The instruments of a kit (see the module comment), pitched groups first in category order. */
export function mapInstruments(samples: readonly PlannedSample[], o: MappingOptions): Instrument[] {
  const out: Instrument[] = [];
  const categories = [...new Set(samples.map((s) => s.pick.candidate.row.category))].sort();
  for (const cat of categories) {
    const pitched = samples.filter((s) => s.rootMidi !== null && s.pick.candidate.row.category === cat);
    // Layers: each takes every sound whose root it does not hold yet.
    const layers: PlannedSample[][] = [];
    for (const s of [...pitched].sort(byRoot)) {
      const layer = layers.find((l) => !l.some((x) => x.rootMidi === s.rootMidi));
      if (layer) layer.push(s);
      else layers.push([s]);
    }
    layers.forEach((layer, i) => {
      out.push({
        stem: i === 0 ? cat : `${cat}-${i + 1}`,
        title: i === 0 ? cat : `${cat} ${i + 1}`,
        zones: splitKeyboard(layer, o.spread),
      });
    });
  }
  const rest = samples.filter((s) => s.rootMidi === null);
  const perInstrument = 128 - o.firstKey;
  for (let i = 0; i * perInstrument < rest.length; i++) {
    const part = rest.slice(i * perInstrument, (i + 1) * perInstrument);
    out.push({
      stem: i === 0 ? "unpitched" : `unpitched-${i + 1}`,
      title: i === 0 ? "unpitched, one per key" : `unpitched ${i + 1}, one per key`,
      zones: part.map((s, k) => {
        const key = o.firstKey + k;
        return { sample: s, lokey: key, hikey: key, keycenter: key, keytrack: false };
      }),
    });
  }
  return out;
}
