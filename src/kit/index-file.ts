/**
 * The kit's text index: what each sample name stands for (short device names like "PdGlassC3" say
 * little on their own), where it came from, how it was made, and how to load the kit.
 */
import { noteName } from "./keys.js";
import type { KitPlan, PlannedSample } from "./plan.js";

const KIND: Readonly<Record<string, string>> = {
  pad: "pad loop",
  loop: "drone loop",
  swell: "swell",
  reversed: "reversed loop",
  cloud: "cloud",
  hiss_loop: "hiss loop",
  hiss_flicker: "hiss flicker",
};

const s1 = (x: number): string => x.toFixed(1);

/** One line about a sample (also used by the command's printout). */
export function describeSample(s: PlannedSample): string {
  const row = s.pick.candidate.row;
  const pitch =
    s.rootMidi !== null
      ? `root ${noteName(s.rootMidi)}`
      : row.root_midi !== null
        ? `root ${noteName(row.root_midi)}?`
        : row.key !== null
          ? `key ${row.key}`
          : "no pitch";
  const layout = s.channels === 1 ? "mono" : "stereo";
  const how =
    s.making.kind === "encode" && s.making.sustainSec !== null
      ? `${s1(s.seconds)} s sustain, ${layout}`
      : s.loop !== null
        ? `${s1(s.seconds)} s loop, ${layout}`
        : `${s1(s.seconds)} s, ${layout}`;
  return `${KIND[row.type] ?? row.type} from ${row.source}, ${pitch}, ${how}`;
}

export function indexText(plan: KitPlan, intro: string): string {
  const p = plan.profile;
  const width = Math.max(...plan.samples.map((s) => s.path.length), 10);
  const lines = [
    `${plan.name}: ${plan.samples.length} samples for the ${p.title}, written by patina kit.`,
    "",
    ...intro
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== ""),
    "",
  ];
  if (p.limits.total_sec !== null) {
    lines.push(
      `Sample memory used: ${s1(plan.memorySec)} s of ${p.limits.total_sec} s (counted in mono, stereo twice).`,
      "",
    );
  }
  for (const s of plan.samples) {
    lines.push(`${s.path.padEnd(width)}  ${describeSample(s)}`);
    lines.push(`${"".padEnd(width)}  from ${s.pick.candidate.id}`);
  }
  return `${lines.join("\n")}\n`;
}
