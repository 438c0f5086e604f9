/**
 * A tiny Standard MIDI File writer (format 0, one track): enough for held notes, chords, program
 * changes and a GM drum part. Times are in seconds at a fixed tempo of 120 bpm and 480 ticks per
 * quarter note, so one second is exactly 960 ticks.
 */

export interface MidiEvent {
  /** Seconds from the start. */
  readonly time: number;
  /** Status byte's kind: note on/off, program change, control change. */
  readonly kind: "on" | "off" | "program" | "cc";
  /** 0-15; channel 9 is GM percussion ("channel 10"). */
  readonly channel: number;
  /** Note, program or controller number. */
  readonly a: number;
  /** Velocity or controller value (unused for program changes). */
  readonly b?: number;
}

const TICKS_PER_QUARTER = 480;
const US_PER_QUARTER = 500_000; // 120 bpm
const TICKS_PER_SECOND = (TICKS_PER_QUARTER * 1e6) / US_PER_QUARTER;

/** Variable-length quantity: 7 bits a byte, most significant first, high bit set on all but the last. */
function vlq(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = n >>> 7; v > 0; v >>>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}

function eventBytes(e: MidiEvent): number[] {
  const ch = e.channel & 0x0f;
  switch (e.kind) {
    case "on":
      return [0x90 | ch, e.a & 0x7f, (e.b ?? 100) & 0x7f];
    case "off":
      return [0x80 | ch, e.a & 0x7f, 0];
    case "program":
      return [0xc0 | ch, e.a & 0x7f];
    case "cc":
      return [0xb0 | ch, e.a & 0x7f, (e.b ?? 0) & 0x7f];
  }
}

/**
 * The bytes of a format-0 file holding `events` (any order; at equal times offs come before ons so a
 * repeated note is not cut). The track ends at `endSec`, so the render lasts at least that long.
 */
export function writeMidi(events: readonly MidiEvent[], endSec: number): Uint8Array {
  const order = { program: 0, cc: 1, off: 2, on: 3 } as const;
  const sorted = [...events].sort((x, y) => x.time - y.time || order[x.kind] - order[y.kind]);
  const tempo = [US_PER_QUARTER >> 16, (US_PER_QUARTER >> 8) & 0xff, US_PER_QUARTER & 0xff];
  const track: number[] = [0x00, 0xff, 0x51, 0x03, ...tempo];
  let tick = 0;
  for (const e of sorted) {
    const t = Math.round(e.time * TICKS_PER_SECOND);
    track.push(...vlq(t - tick), ...eventBytes(e));
    tick = t;
  }
  const end = Math.max(tick, Math.round(endSec * TICKS_PER_SECOND));
  track.push(...vlq(end - tick), 0xff, 0x2f, 0x00);
  const header = [
    0x4d,
    0x54,
    0x68,
    0x64,
    0,
    0,
    0,
    6,
    0,
    0,
    0,
    1,
    TICKS_PER_QUARTER >> 8,
    TICKS_PER_QUARTER & 0xff,
  ];
  const len = track.length;
  const trackHeader = [
    0x4d,
    0x54,
    0x72,
    0x6b,
    (len >>> 24) & 0xff,
    (len >>> 16) & 0xff,
    (len >>> 8) & 0xff,
    len & 0xff,
  ];
  return Uint8Array.from([...header, ...trackHeader, ...track]);
}
