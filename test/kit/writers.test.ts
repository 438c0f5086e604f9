import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { ManifestRow } from "../../src/core/manifest.js";
import { dspresetFiles } from "../../src/kit/dspreset.js";
import { mapInstruments } from "../../src/kit/mapping.js";
import { type KitPlan, planKit } from "../../src/kit/plan.js";
import { DEVICES_DIR, parseDeviceProfile } from "../../src/kit/profile.js";
import { sfzFiles } from "../../src/kit/sfz.js";
import { candidate, SR } from "./helpers.js";

const profile = (name: string) =>
  parseDeviceProfile(readFileSync(join(DEVICES_DIR, `${name}.yaml`), "utf8"), `${name}.yaml`);

/** Pads on C3, E3, G3 and a second C3; a swell (one-shot) on A2; a hiss loop without pitch. */
function plan(device: string): KitPlan {
  const specs: (Partial<ManifestRow> & Pick<ManifestRow, "file">)[] = [
    { file: "a/pads/c3.wav", root_midi: 48 },
    { file: "a/pads/e3.wav", root_midi: 52 },
    { file: "a/pads/g3.wav", root_midi: 55 },
    { file: "b/pads/c3 again.wav", root_midi: 48, source: "b" },
    {
      file: "a/swells/a2.wav",
      root_midi: 45,
      type: "swell",
      category: "swells",
      loop: false,
      loop_start: null,
      loop_end: null,
    },
    { file: "a/hiss/air & dust.wav", type: "hiss_loop", category: "hiss" },
  ];
  const picks = specs.map((s) => ({ candidate: candidate(s), score: 85, reason: "test" }));
  const infos = specs.map(() => ({ sampleRate: SR, channels: 1, frames: 2 * SR, bitDepth: 24 }));
  return planKit(picks, infos, profile(device), { name: "Dusk <kit>", sustainSec: null });
}

/** A small SFZ reader: headers and opcode=value pairs (a sample path runs to the end of its line). */
function parseSfz(text: string): { header: string; opcodes: Record<string, string> }[] {
  const out: { header: string; opcodes: Record<string, string> }[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (line === "") continue;
    const h = /^<(\w+)>$/.exec(line);
    if (h) {
      out.push({ header: h[1], opcodes: {} });
      continue;
    }
    const current = out[out.length - 1];
    if (line.startsWith("sample=")) current.opcodes.sample = line.slice("sample=".length);
    else for (const m of line.matchAll(/(\w+)=(\S+)/g)) current.opcodes[m[1]] = m[2];
  }
  return out;
}

describe("keyboard mapping", () => {
  it("splits pitched sounds by root, halfway between neighbours, a second sound on the same root in a second instrument", () => {
    const p = plan("sfz");
    const inst = mapInstruments(p.samples, { spread: 12, firstKey: 36 });
    expect(inst.map((i) => i.stem)).toEqual(["pads", "pads-2", "swells", "unpitched"]);
    const pads = inst[0].zones.map((z) => [z.sample.name, z.lokey, z.hikey, z.keycenter]);
    expect(pads).toEqual([
      ["c3", 36, 50, 48],
      ["e3", 51, 53, 52],
      ["g3", 54, 67, 55],
    ]);
    expect(inst[1].zones.map((z) => [z.lokey, z.hikey, z.keycenter])).toEqual([[36, 60, 48]]);
    // Every key of an instrument plays at most one zone.
    for (const i of inst) {
      const keys = i.zones.flatMap((z) =>
        Array.from({ length: z.hikey - z.lokey + 1 }, (_, k) => z.lokey + k),
      );
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(inst[3].zones.map((z) => [z.lokey, z.hikey, z.keytrack])).toEqual([[36, 36, false]]);
  });
});

describe("SFZ writer", () => {
  it("writes regions that parse back: keys, pitch_keytrack=0 for unpitched, loops with an inclusive end, one-shots", () => {
    const p = plan("sfz");
    const files = sfzFiles(p.name, mapInstruments(p.samples, { spread: 12, firstKey: 36 }), 0.5);
    expect(files.map((f) => f.path)).toEqual(["pads.sfz", "pads-2.sfz", "swells.sfz", "unpitched.sfz"]);
    const pads = parseSfz(files[0].text).filter((h) => h.header === "region");
    expect(pads).toHaveLength(3);
    expect(pads[0].opcodes).toMatchObject({
      lokey: "36",
      hikey: "50",
      pitch_keycenter: "48",
      loop_mode: "loop_continuous",
      loop_start: "0",
      loop_end: String(2 * SR - 1),
      sample: "samples/pads/c3.wav",
    });
    expect(pads[0].opcodes.pitch_keytrack).toBeUndefined();
    const swell = parseSfz(files[2].text).find((h) => h.header === "region");
    expect(swell?.opcodes).toMatchObject({ loop_mode: "one_shot", pitch_keycenter: "45" });
    expect(swell?.opcodes.loop_start).toBeUndefined();
    const hiss = parseSfz(files[3].text).find((h) => h.header === "region");
    expect(hiss?.opcodes).toMatchObject({
      pitch_keytrack: "0",
      lokey: "36",
      hikey: "36",
      pitch_keycenter: "36",
    });
    // Relative, forward slashes, the kit's own (sanitised) names.
    expect(hiss?.opcodes.sample).toBe("samples/hiss/air_dust.wav");
    for (const f of files) expect(f.text).not.toMatch(/\\/);
  });
});

describe("Decent Sampler writer", () => {
  it("writes well-formed XML whose samples carry the same mapping", () => {
    const p = plan("decentsampler");
    const files = dspresetFiles(p.name, mapInstruments(p.samples, { spread: 12, firstKey: 36 }), 0.5);
    expect(files.map((f) => f.path)).toEqual([
      "pads.dspreset",
      "pads-2.dspreset",
      "swells.dspreset",
      "unpitched.dspreset",
    ]);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (n) => n === "sample",
    });
    const samplesOf = (text: string): Record<string, string>[] => {
      expect(XMLValidator.validate(text)).toBe(true);
      return parser.parse(text).DecentSampler.groups.group.sample;
    };
    const pads = samplesOf(files[0].text);
    expect(pads[1]).toMatchObject({
      path: "samples/pads/e3.wav",
      rootNote: "52",
      loNote: "51",
      hiNote: "53",
      loopStart: "0",
      loopEnd: String(2 * SR - 1),
      loopEnabled: "true",
    });
    expect(samplesOf(files[2].text)[0]).toMatchObject({
      loopEnabled: "false",
      ampEnvEnabled: "false",
      rootNote: "45",
    });
    expect(samplesOf(files[3].text)[0]).toMatchObject({ pitchKeyTrack: "0", loNote: "36", hiNote: "36" });
    // The kit's name ("Dusk <kit>") sits in a comment without breaking the file; groups are named.
    expect(parser.parse(files[0].text).DecentSampler.groups.group.name).toBe("pads");
  });
});
