/**
 * SFZ instruments: one `.sfz` per instrument of the mapping (mapping.ts), beside the kit's
 * `samples/` folder. Each region names its sample by relative path with forward slashes, its keys
 * (`lokey`, `hikey`, `pitch_keycenter`; `pitch_keytrack=0` for a sound played at its own pitch),
 * and how it plays: `loop_mode=loop_continuous` with `loop_start`/`loop_end` (frames, end
 * inclusive) for loops, `loop_mode=one_shot` for one-shots.
 */
import type { Instrument } from "./mapping.js";

export interface InstrumentFile {
  /** Path in the kit (forward slashes). */
  readonly path: string;
  readonly text: string;
}

/** The `.sfz` text of one instrument; `releaseSec` is the loops' release after the key is let go. */
export function sfzText(kitName: string, instrument: Instrument, releaseSec: number): string {
  const lines = [
    `// ${kitName}: ${instrument.title} (${instrument.zones.length} sound${instrument.zones.length === 1 ? "" : "s"})`,
    "// Written by patina kit. Paths are relative to this file.",
    "",
    "<global>",
    "ampeg_attack=0.005",
    "",
  ];
  for (const z of instrument.zones) {
    const s = z.sample;
    const row = s.pick.candidate.row;
    lines.push(`// ${s.name}: ${row.type} from ${row.source}`);
    lines.push("<region>");
    lines.push(`lokey=${z.lokey} hikey=${z.hikey} pitch_keycenter=${z.keycenter}`);
    if (!z.keytrack) lines.push("pitch_keytrack=0");
    if (s.loop !== null) {
      lines.push(`loop_mode=loop_continuous loop_start=${s.loop.start} loop_end=${s.loop.end - 1}`);
      lines.push(`ampeg_release=${releaseSec}`);
    } else {
      lines.push("loop_mode=one_shot");
    }
    // Last on its own line: a sample path runs to the end of the line.
    lines.push(`sample=${s.path}`);
    lines.push("");
  }
  return lines.join("\n");
}

/** Every instrument's `.sfz` file at the top of the kit. */
export function sfzFiles(
  kitName: string,
  instruments: readonly Instrument[],
  releaseSec: number,
): InstrumentFile[] {
  return instruments.map((i) => ({ path: `${i.stem}.sfz`, text: sfzText(kitName, i, releaseSec) }));
}
