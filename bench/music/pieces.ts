/**
 * The pieces of the music bench: held notes and chords in known keys on General MIDI instruments,
 * octaves 2 to 6, some over a drum part (GM channel 10), some given a DC offset after rendering, all
 * ending in silence before the file ends (release tails). Each piece carries its ground truth.
 */
import type { MidiEvent } from "./midi.js";

/** One held note or chord: MIDI note numbers sounding from `on` to `off` (seconds). */
export interface Held {
  readonly on: number;
  readonly off: number;
  readonly midi: readonly number[];
}

export interface DrumHit {
  readonly time: number;
  /** GM percussion note: 36 kick, 38 snare, 42 closed hi-hat. */
  readonly note: number;
}

/** What a piece really holds: written next to its WAV as `<name>.truth.json`. */
export interface Truth {
  readonly name: string;
  readonly instrument: string;
  /** GM program (0-based). */
  readonly program: number;
  readonly key: string;
  readonly held: readonly Held[];
  readonly drums: readonly DrumHit[];
  /** Sample peak (dBFS) the render was scaled to, before the DC offset. */
  readonly peakDbfs: number;
  /** Offset added to every sample after rendering and scaling (0: none). */
  readonly dcOffset: number;
  /** End of the MIDI file: the render lasts at least this long. */
  readonly endSec: number;
}

type Drums = "none" | "sparse" | "groove";

interface Spec {
  name: string;
  instrument: string;
  program: number;
  key: string;
  held: Held[];
  endSec: number;
  drums?: Drums;
  dc?: boolean;
}

const DC_OFFSET = 0.07;
const PEAK_DBFS = -3;
const note = (on: number, off: number, ...midi: number[]): Held => ({ on, off, midi });

const spec = (
  name: string,
  instrument: string,
  program: number,
  key: string,
  endSec: number,
  held: Held[],
  extra: { drums?: Drums; dc?: boolean } = {},
): Spec => ({ name, instrument, program, key, endSec, held, ...extra });
const KICK = { drums: "sparse" } as const;
const GROOVE = { drums: "groove" } as const;
const DC = { dc: true } as const;

// GM programs (0-based): 0 piano, 6 harpsichord, 16 drawbar organ, 19 church organ, 33 finger bass,
// 42 cello, 43 contrabass, 48 string ensemble, 52 choir aahs, 58 tuba, 70 bassoon, 73 flute,
// 88 new age pad, 89 warm pad. End times all differ (see checkDistinctLengths).
const SPECS: Spec[] = [
  spec("organ_D4_A3", "organ", 19, "D major", 25, [note(0.5, 10.5, 62), note(11, 21, 57)]),
  spec("organ_C2_G2", "organ", 19, "C major", 26, [note(0.5, 12, 36), note(12.5, 22, 43)]),
  spec("organ_E6_B5", "organ", 19, "E minor", 23.2, [note(0.5, 10, 88), note(10.5, 20, 83)]),
  spec("organ_chords_G", "organ", 16, "G major", 24, [
    note(0.5, 10, 67, 71, 74),
    note(10.5, 20.5, 60, 64, 67),
  ]),
  spec("strings_E5_B4", "strings", 48, "E minor", 25.5, [note(0.5, 10.5, 76), note(11, 21, 71)]),
  spec("strings_chords_Am", "strings", 48, "A minor", 31, [
    note(0.5, 9.5, 57, 60, 64),
    note(9.5, 18.5, 50, 57, 62, 65),
    note(18.5, 27.5, 52, 56, 59, 64),
  ]),
  spec("cello_C3_G3", "strings", 42, "C major", 24.8, [note(0.5, 10.5, 48), note(11, 21, 55)]),
  spec("warmpad_chords_Eb", "pad", 89, "Eb major", 29, [note(0.5, 12, 51, 55, 58), note(12, 24, 56, 60, 63)]),
  spec("newage_F4_C5", "pad", 88, "F major", 28, [note(0.5, 12, 65), note(12.5, 24, 72)]),
  spec("piano_Cs3_Gs4", "piano", 0, "C# minor", 22, [note(0.5, 8.5, 49), note(9, 17, 68)]),
  spec("piano_A2", "piano", 0, "A minor", 11.7, [note(0.5, 8, 45)]),
  spec("piano_chords_Bb", "piano", 0, "Bb major", 21, [
    note(0.5, 8, 46, 53, 58, 62),
    note(8, 16, 51, 58, 63, 67),
  ]),
  spec("harpsichord_A3_E4", "harpsichord", 6, "A minor", 19.3, [note(0.5, 7.5, 57), note(8, 15, 64)]),
  spec("flute_A5_D6", "flute", 73, "D major", 22.5, [note(0.5, 9, 81), note(9.5, 18, 86)]),
  spec("choir_chords_G", "choir", 52, "G major", 26.5, [
    note(0.5, 11, 55, 59, 62),
    note(11, 22, 50, 57, 62, 66),
  ]),
  spec("choir_E4_B3", "choir", 52, "E minor", 27, [note(0.5, 10.5, 64), note(11, 21, 59)]),
  spec("contrabass_D2_A2", "bass", 43, "D minor", 24.5, [note(0.5, 10.5, 38), note(11, 21, 45)]),
  spec("fingerbass_E2_B2", "bass", 33, "E minor", 17, [note(0.5, 6.5, 40), note(7, 13, 47)]),
  spec("tuba_F2_Bb2", "brass", 58, "Bb major", 22.7, [note(0.5, 9.5, 41), note(10, 19, 46)]),
  spec("bassoon_Bb2", "reed", 70, "Bb major", 13.3, [note(0.5, 10, 46)]),
  // Over a drum part.
  spec("organ_F3_kick", "organ", 19, "F major", 23.5, [note(0.5, 20.5, 53)], KICK),
  spec("strings_Dm_kick", "strings", 48, "D minor", 23, [note(0.5, 20.5, 50, 53, 57, 62)], KICK),
  spec(
    "warmpad_chords_C_groove",
    "pad",
    89,
    "C major",
    24.3,
    [note(0.5, 10.5, 48, 52, 55), note(10.5, 20.5, 45, 52, 57, 60)],
    GROOVE,
  ),
  spec("choir_A4_groove", "choir", 52, "A major", 23.8, [note(0.5, 20.5, 69)], GROOVE),
  // A DC offset added after rendering, and a long release tail.
  spec("organ_D4_dc", "organ", 19, "D major", 16, [note(0.5, 8.5, 62)], DC),
  spec("organ_Cs3_dc", "organ", 19, "C# minor", 16.5, [note(0.5, 10, 49)], DC),
  spec("strings_C_dc", "strings", 48, "C major", 15.5, [note(0.5, 8.5, 48, 52, 55, 60)], DC),
  spec("warmpad_Bb3_kick_dc", "pad", 89, "Bb major", 18, [note(0.5, 12.5, 58)], { ...KICK, ...DC }),
  spec("flute_G4_dc", "flute", 73, "G major", 15, [note(0.5, 9, 67)], DC),
  spec("piano_Fm_dc", "piano", 0, "F minor", 14.5, [note(0.5, 8, 41, 48, 53, 56)], DC),
];

/** Drum hits from `from` to `to` (s): a kick every 2.5 s, or a 100 bpm groove (kick 1 and 3, snare 2 and 4, hats on eighths). */
function drumHits(kind: Drums, from: number, to: number): DrumHit[] {
  const hits: DrumHit[] = [];
  if (kind === "sparse") for (let t = from + 1.25; t < to; t += 2.5) hits.push({ time: t, note: 36 });
  if (kind === "groove") {
    const beat = 0.6;
    for (let k = 0; from + k * beat < to; k++) {
      const t = from + k * beat;
      hits.push({ time: t, note: k % 2 === 0 ? 36 : 38 });
      hits.push({ time: t, note: 42 });
      if (t + beat / 2 < to) hits.push({ time: t + beat / 2, note: 42 });
    }
  }
  return hits.map((h) => ({ time: Math.round(h.time * 1000) / 1000, note: h.note }));
}

export interface Piece {
  readonly truth: Truth;
  readonly events: readonly MidiEvent[];
}

/**
 * Every piece ends at its own time, so no two renders have the same length: patina (make) takes
 * files of equal size whose first and last 64 KiB match (silent edges, the same DC) for one file
 * and makes every one's textures from the first one's audio. The bench measures issue 14, not that.
 */
function checkDistinctLengths(): void {
  const seen = new Map<number, string>();
  for (const s of SPECS) {
    const k = Math.round(s.endSec * 10);
    const other = seen.get(k);
    if (other) throw new Error(`pieces ${other} and ${s.name} end at the same time (${s.endSec} s)`);
    seen.set(k, s.name);
  }
}

export function pieces(): Piece[] {
  checkDistinctLengths();
  return SPECS.map((s) => {
    const last = Math.max(...s.held.map((h) => h.off));
    const drums = drumHits(s.drums ?? "none", s.held[0].on, last);
    const events: MidiEvent[] = [
      { time: 0, kind: "program", channel: 0, a: s.program },
      { time: 0, kind: "cc", channel: 0, a: 7, b: 110 }, // channel volume
    ];
    for (const h of s.held) {
      for (const m of h.midi) {
        events.push({ time: h.on, kind: "on", channel: 0, a: m, b: 96 });
        events.push({ time: h.off, kind: "off", channel: 0, a: m });
      }
    }
    for (const d of drums) {
      events.push({ time: d.time, kind: "on", channel: 9, a: d.note, b: d.note === 42 ? 70 : 110 });
      events.push({ time: d.time + 0.1, kind: "off", channel: 9, a: d.note });
    }
    const truth: Truth = {
      name: s.name,
      instrument: s.instrument,
      program: s.program,
      key: s.key,
      held: s.held,
      drums,
      peakDbfs: PEAK_DBFS,
      dcOffset: s.dc ? DC_OFFSET : 0,
      endSec: s.endSec,
    };
    return { truth, events };
  });
}
