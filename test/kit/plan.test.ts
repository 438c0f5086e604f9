import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KitLimitError } from "../../src/kit/errors.js";
import { planKit, type SampleInfo } from "../../src/kit/plan.js";
import { DEVICES_DIR, type DeviceProfile, parseDeviceProfile } from "../../src/kit/profile.js";
import { renderSample } from "../../src/kit/render.js";
import type { KitPick } from "../../src/kit/select.js";
import { candidate, SR } from "./helpers.js";

const profile = (name: string): DeviceProfile =>
  parseDeviceProfile(readFileSync(join(DEVICES_DIR, `${name}.yaml`), "utf8"), `${name}.yaml`);
const tr8s = profile("tr8s");

/** `n` picks: pads (loops) or swells (one-shots), stereo files of `sec` seconds at 44.1 kHz. */
function picks(
  n: number,
  kind: "loop" | "oneshot",
  sec = 2,
  source = "glass_take2",
): { picks: KitPick[]; infos: SampleInfo[] } {
  const out: KitPick[] = [];
  const infos: SampleInfo[] = [];
  for (let i = 0; i < n; i++) {
    const loop = kind === "loop";
    const c = candidate({
      file: `${source}/${loop ? "pads" : "swells"}/${kind}${i}.wav`,
      source,
      type: loop ? "pad" : "swell",
      category: loop ? "pads" : "swells",
      loop,
      loop_start: loop ? 0 : null,
      loop_end: loop ? sec * SR : null,
      root_midi: 48 + (i % 12),
    });
    out.push({ candidate: c, score: 85, reason: "test" });
    infos.push({ sampleRate: SR, channels: 2, frames: sec * SR, bitDepth: 24 });
  }
  return { picks: out, infos };
}

describe("planKit for the TR-8S", () => {
  it("lays samples out under ROLAND/TR-8S/SAMPLE/<kit>/ with unique names of at most 16 characters", () => {
    const p = picks(20, "loop");
    const plan = planKit(p.picks, p.infos, tr8s, { name: "Glass Kit", sustainSec: null });
    const names = plan.samples.map((s) => s.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(20);
    for (const s of plan.samples) {
      // Letters and digits only: ASCII, FAT-safe, shown on the device's screen.
      expect(s.path).toMatch(/^ROLAND\/TR-8S\/SAMPLE\/Glass-Kit\/[A-Za-z0-9]{1,16}\.wav$/);
      expect(s.name.length).toBeLessThanOrEqual(16);
      expect(s.sampleRate).toBe(44100);
    }
    expect(names[0]).toBe("PdGlassC3");
    expect(names[1]).toBe("PdGlassCs3"); // C#3: the TR-8S profile writes sharps as "s"
    expect(names[12]).toBe("PdGlass2C3");
  });

  it("renders loops as 12 s mono sustains when they fit, and says so", () => {
    const p = picks(16, "loop");
    const plan = planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: null });
    expect(plan.sustainSec).toBe(12);
    expect(plan.samples.every((s) => s.channels === 1 && s.seconds === 12 && s.loop === null)).toBe(true);
    expect(plan.samples[0].making).toEqual({
      kind: "encode",
      sampleRate: 44100,
      bitDepth: 24,
      channels: 1,
      sustainSec: 12,
    });
    expect(plan.memorySec).toBe(192);
    expect(plan.notes.join("\n")).toMatch(/loops rendered as 12\.0 s sustains \(mono, 1\.5 s release\)/);
    // And why mono: the stereo exports would cost twice the memory.
    expect(plan.notes.join("\n")).toMatch(
      /16 stereo loop\(s\) mixed to mono for their sustains: in stereo they would use 384\.0 s instead of 192\.0 s of the Roland TR-8S's 600 s/,
    );
  });

  it("shortens the sustains to fit the 600 s memory (60 loops: 10 s each), then refuses with the numbers", () => {
    const p = picks(60, "loop");
    const plan = planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: null });
    expect(plan.sustainSec).toBe(10);
    expect(plan.memorySec).toBeLessThanOrEqual(600);
    expect(plan.notes.join("\n")).toMatch(/shortened from 12\.0 s to 10\.0 s/);
    const big = picks(80, "loop");
    // 80 x 8 s (the shortest sustain) = 640 s: 40 s over; 75 would fit.
    expect(() => planKit(big.picks, big.infos, tr8s, { name: "k", sustainSec: null })).toThrow(
      /holds 600 s of sample memory .* need at least 640\.0 s \(80 sustain\(s\) of 8\.0 s: 640\.0 s\), 40\.0 s over\. The first 75 would fit: use --count 75/,
    );
  });

  it("mixes stereo one-shots to mono before refusing (stereo counts twice)", () => {
    const p = picks(40, "oneshot", 10); // 40 x 10 s stereo = 800 s; mono 400 s
    const plan = planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: null });
    expect(plan.samples.every((s) => s.channels === 1)).toBe(true);
    expect(plan.memorySec).toBe(400);
    expect(plan.notes.join("\n")).toMatch(/one-shots mixed to mono/);
  });

  it("keeps an asked --sustain and refuses when it cannot fit rather than shorten it", () => {
    const p = picks(50, "loop");
    expect(planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: 12 }).sustainSec).toBe(12);
    const q = picks(51, "loop");
    expect(() => planKit(q.picks, q.infos, tr8s, { name: "k", sustainSec: 12 })).toThrow(KitLimitError);
  });

  it("refuses more than 400 samples and a sample over 180 s, naming the limit and the excess", () => {
    const many = picks(401, "oneshot", 0.1);
    expect(() => planKit(many.picks, many.infos, tr8s, { name: "k", sustainSec: null })).toThrow(
      /holds at most 400 samples; 401 were chosen, 1 too many/,
    );
    const long = picks(1, "oneshot", 200);
    expect(() => planKit(long.picks, long.infos, tr8s, { name: "k", sustainSec: null })).toThrow(
      /samples of at most 180 s; .*oneshot0\.wav is 200\.0 s, 20\.0 s over/,
    );
  });

  it("names the per-sample limit before the memory, and refuses a --sustain the device cannot take", () => {
    // 4 x 200 s is over the memory too, but the sample length is what the musician must change.
    const long = picks(4, "oneshot", 200);
    expect(() => planKit(long.picks, long.infos, tr8s, { name: "k", sustainSec: null })).toThrow(
      /samples of at most 180 s; .*oneshot0\.wav is 200\.0 s, 20\.0 s over \(and 3 more\)/,
    );
    const p = picks(2, "loop");
    expect(() => planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: 200 })).toThrow(
      /at most 180 s; --sustain 200 is 20\.0 s over: use --sustain 180 or less/,
    );
    expect(() => planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: 1 })).toThrow(
      /--sustain 1 cannot hold the sustain's 5 ms fade in and 1\.5 s release: use at least 1\.6 s/,
    );
    expect(planKit(p.picks, p.infos, tr8s, { name: "k", sustainSec: 1.6 }).sustainSec).toBe(1.6);
  });

  it("splits a kit of more than 256 samples over numbered folders (one level deep)", () => {
    const p = picks(300, "oneshot", 0.5);
    const plan = planKit(p.picks, p.infos, tr8s, { name: "Glass", sustainSec: null });
    const folders = new Map<string, number>();
    for (const s of plan.samples) {
      const f = s.path.split("/").slice(0, -1).join("/");
      folders.set(f, (folders.get(f) ?? 0) + 1);
    }
    expect([...folders]).toEqual([
      ["ROLAND/TR-8S/SAMPLE/Glass1", 256],
      ["ROLAND/TR-8S/SAMPLE/Glass2", 44],
    ]);
  });
});

describe("planKit and renderSample across sample rates", () => {
  it("resamples a 48 kHz export to 44.1 kHz for the TR-8S and keeps a whole-file loop whole", () => {
    const p = picks(1, "loop");
    const info = { sampleRate: 48000, channels: 1, frames: 96000, bitDepth: 24 };
    const c = p.picks[0].candidate;
    const pick = { ...p.picks[0], candidate: { ...c, row: { ...c.row, loop_end: 96000 } } };
    const plan = planKit([pick], [info], tr8s, { name: "k", sustainSec: null });
    expect(plan.samples[0].making).toMatchObject({ kind: "encode", sampleRate: 44100, sustainSec: 12 });
    // The decoded file at 44.1 kHz: 2 s = 88200 frames, a ramp so every sample is known.
    const x = Float32Array.from({ length: 88200 }, (_, i) => ((i % 88200) / 88200) * 0.5);
    const out = renderSample({ sampleRate: 44100, channels: [x] }, plan.samples[0], tr8s);
    const y = out.channels[0];
    expect(y.length).toBe(12 * 44100);
    // The loop repeats from its start right after its last sample (nothing lost to rounding).
    expect(y[88200 + 100]).toBe(x[100]);
    expect(y[2 * 88200 + 5]).toBe(x[5]);
  });
});

describe("planKit for instrument and folder devices", () => {
  it("copies the export's files as they are, loops kept as loop points, in category folders", () => {
    const p = picks(3, "loop");
    const sfz = planKit(p.picks, p.infos, profile("sfz"), { name: "k", sustainSec: null });
    expect(sfz.samples.map((s) => s.making.kind)).toEqual(["copy", "copy", "copy"]);
    expect(sfz.samples[0].path).toBe("samples/pads/loop0.wav");
    expect(sfz.samples[0].loop).toEqual({ start: 0, end: 2 * SR });
    expect(sfz.sustainSec).toBeNull();
    const folder = planKit(p.picks, p.infos, profile("folder"), { name: "k", sustainSec: null });
    expect(folder.samples[0].path).toBe("pads/loop0.wav");
  });
});

describe("device profiles", () => {
  it("every shipped profile passes the schema", () => {
    for (const name of ["tr8s", "sfz", "decentsampler", "folder"]) expect(profile(name).name).toBe(name);
    expect(tr8s.sources.length).toBeGreaterThan(0);
  });

  it("names the key and the problem of a bad profile", () => {
    expect(() => parseDeviceProfile("name: x\ntitle: X\nwriter: tape\n", "x.yaml")).toThrow(
      /x\.yaml: device profile key "writer"/,
    );
    expect(() =>
      parseDeviceProfile("name: x\ntitle: X\nwriter: folder\nsustain: {seconds: 20}\n", "x.yaml"),
    ).toThrow(/min_seconds <= seconds <= max_seconds/);
    expect(() => parseDeviceProfile("name: x\ntitle: X\nwriter: folder\ncolour: red\n", "x.yaml")).toThrow(
      /colour/,
    );
  });
});
