/**
 * Decent Sampler presets: one `.dspreset` per instrument of the mapping (mapping.ts), the same
 * mapping as the SFZ files. Loops as `loopStart`/`loopEnd` (frames, end inclusive: Decent Sampler's
 * default end is the file's length minus 1) with `loopEnabled="true"`; one-shots play to their end
 * (`ampEnvEnabled="false"`); a sound played at its own pitch gets `pitchKeyTrack="0"`.
 */
import type { Instrument } from "./mapping.js";
import type { InstrumentFile } from "./sfz.js";

const attr = (v: string | number): string =>
  String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Text safe inside an XML comment (no "--"). */
const comment = (v: string): string => v.replace(/-{2,}/g, "-");

/** The XML text of one instrument's preset. */
export function dspresetText(kitName: string, instrument: Instrument, releaseSec: number): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${comment(kitName)}: ${comment(instrument.title)}. Written by patina kit; paths are relative to this file. -->`,
    '<DecentSampler minVersion="1.0.0">',
    "  <groups>",
    `    <group name="${attr(instrument.title)}" attack="0.005" release="${releaseSec}">`,
  ];
  for (const z of instrument.zones) {
    const s = z.sample;
    const a: [string, string | number][] = [
      ["path", s.path],
      ["rootNote", z.keycenter],
      ["loNote", z.lokey],
      ["hiNote", z.hikey],
    ];
    if (!z.keytrack) a.push(["pitchKeyTrack", 0]);
    if (s.loop !== null) {
      a.push(["loopStart", s.loop.start], ["loopEnd", s.loop.end - 1], ["loopEnabled", "true"]);
    } else {
      a.push(["loopEnabled", "false"], ["ampEnvEnabled", "false"]);
    }
    lines.push(`      <sample ${a.map(([k, v]) => `${k}="${attr(v)}"`).join(" ")}/>`);
  }
  lines.push("    </group>", "  </groups>", "</DecentSampler>", "");
  return lines.join("\n");
}

/** Every instrument's `.dspreset` file at the top of the kit. */
export function dspresetFiles(
  kitName: string,
  instruments: readonly Instrument[],
  releaseSec: number,
): InstrumentFile[] {
  return instruments.map((i) => ({ path: `${i.stem}.dspreset`, text: dspresetText(kitName, i, releaseSec) }));
}
