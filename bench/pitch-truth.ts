/**
 * Root notes on real instruments, counted by hand (issue 14, item 3). Renders MIDI with known notes
 * through fluidsynth and the FluidR3 General MIDI soundfont (organ, strings, piano, flute, bass,
 * pad, choir; single notes in octaves 2-6, some over a sparse kick, and chords), then
 *  1. runs the pitch estimator on 2 s and 6 s regions of every render, and
 *  2. runs `make` (pads and drones) on a working folder holding the renders and reads every
 *     written file's manifest row and `smpl` chunk,
 * and counts root notes right (pitch class and octave) and wrong where one is written, and claims
 * made where none should be (chords).
 *
 * "Right" is the MIDI key played. FluidR3's Drawbar Organ preset sounds a 16'/32' registration (its
 * strongest partials lie one or two octaves below the key), so a root written for it is counted
 * wrong by key although it is the pitch that sounds; the by-instrument table shows it apart.
 *
 * Needs fluidsynth and the soundfont (never part of npm test or npm run bench). Renders go to a
 * temporary folder (or `--dir DIR`, reused when it already holds them, so two versions of patina
 * can be compared on the same audio); nothing is written into the repository.
 *
 *   node --import tsx bench/pitch-truth.ts [--dir DIR] [--no-make] [--quick]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimatePitch } from "../src/analysis/pitch.js";
import { DEFAULT_CONFIG, type PatinaConfig } from "../src/config/index.js";
import { decodeFile } from "../src/io/decode.js";
import { readManifest } from "../src/io/manifest.js";
import { runMake } from "../src/pipeline/make.js";

const SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
const SR = 44100;
const SECONDS = 14;

interface Render {
  readonly name: string;
  /** General MIDI program (0-based). */
  readonly program: number;
  readonly notes: readonly number[];
  /** Re-strike the notes every this many seconds (decaying instruments); 0 = hold. */
  readonly restrikeSec: number;
  /** A kick every 2.5 s on the drum channel. */
  readonly drums: boolean;
  /** The root a musician hears: the single note, or null for a chord. */
  readonly root: number | null;
}

const NAMES = ["C", "Cs", "D", "Ds", "E", "F", "Fs", "G", "Gs", "A", "As", "B"];
const noteName = (m: number): string => `${NAMES[m % 12]}${Math.floor(m / 12) - 1}`;

interface Instrument {
  readonly tag: string;
  readonly program: number;
  readonly octaves: readonly number[];
  readonly restrikeSec: number;
}

const INSTRUMENTS: readonly Instrument[] = [
  { tag: "churchorgan", program: 19, octaves: [2, 3, 4, 5, 6], restrikeSec: 0 },
  { tag: "drawbar", program: 16, octaves: [2, 3, 4, 5, 6], restrikeSec: 0 },
  { tag: "strings", program: 48, octaves: [2, 3, 4, 5, 6], restrikeSec: 0 },
  { tag: "cello", program: 42, octaves: [2, 3, 4], restrikeSec: 0 },
  { tag: "piano", program: 0, octaves: [2, 3, 4, 5, 6], restrikeSec: 3 },
  { tag: "flute", program: 73, octaves: [4, 5, 6], restrikeSec: 0 },
  { tag: "acbass", program: 32, octaves: [2, 3], restrikeSec: 2 },
  { tag: "fingerbass", program: 33, octaves: [2, 3], restrikeSec: 2 },
  { tag: "warmpad", program: 89, octaves: [2, 3, 4, 5], restrikeSec: 0 },
  { tag: "choir", program: 52, octaves: [3, 4, 5], restrikeSec: 0 },
];

const CHORDS: ReadonlyArray<{ tag: string; program: number; notes: number[]; restrikeSec: number }> = [
  { tag: "organ_Cmaj", program: 19, notes: [48, 52, 55], restrikeSec: 0 },
  { tag: "organ_Amin7", program: 16, notes: [57, 60, 64, 67], restrikeSec: 0 },
  { tag: "strings_Dmin", program: 48, notes: [50, 53, 57], restrikeSec: 0 },
  { tag: "strings_Ebmaj", program: 48, notes: [63, 67, 70], restrikeSec: 0 },
  { tag: "piano_Gmaj", program: 0, notes: [55, 59, 62], restrikeSec: 3 },
  { tag: "piano_Fsmin", program: 0, notes: [42, 54, 57, 61], restrikeSec: 3 },
  { tag: "warmpad_Bbmaj7", program: 89, notes: [58, 62, 65, 69], restrikeSec: 0 },
  { tag: "choir_Emin", program: 52, notes: [52, 55, 59], restrikeSec: 0 },
];

function renders(quick: boolean): Render[] {
  const out: Render[] = [];
  INSTRUMENTS.forEach((inst, i) => {
    for (const o of inst.octaves) {
      // Two pitch classes per octave, varied across instruments and octaves.
      const pcs = quick ? [(i * 5 + o * 7) % 12] : [(i * 5 + o * 7) % 12, (i * 5 + o * 7 + 5) % 12];
      for (const pc of pcs) {
        const m = 12 * (o + 1) + pc;
        out.push({
          name: `${inst.tag}_${noteName(m)}${out.length % 4 === 3 ? "_drums" : ""}`,
          program: inst.program,
          notes: [m],
          restrikeSec: inst.restrikeSec,
          drums: out.length % 4 === 3,
          root: m,
        });
      }
    }
  });
  for (const c of CHORDS)
    out.push({ name: `chord_${c.tag}`, ...c, drums: false, root: null } satisfies Render);
  return out;
}

// --- A minimal standard MIDI file (format 0, 960 ticks per second at 120 bpm). ---

function vlq(n: number): number[] {
  const bytes = [n & 0x7f];
  for (let v = n >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

function midiFile(r: Render): Uint8Array {
  const tps = 960;
  const events: Array<{ tick: number; order: number; bytes: number[] }> = [];
  const at = (sec: number, order: number, bytes: number[]): void => {
    events.push({ tick: Math.round(sec * tps), order, bytes });
  };
  at(0, 0, [0xff, 0x51, 0x03, 0x07, 0xa1, 0x20]);
  at(0, 0, [0xc0, r.program]);
  const end = SECONDS - 1;
  const strikes = r.restrikeSec > 0 ? Math.ceil(end / r.restrikeSec) : 1;
  for (let s = 0; s < strikes; s++) {
    const t0 = 0.2 + s * (r.restrikeSec || 0);
    const t1 = r.restrikeSec > 0 ? Math.min(end, t0 + r.restrikeSec - 0.05) : end;
    for (const n of r.notes) {
      at(t0, 2, [0x90, n, 96]);
      at(t1, 1, [0x80, n, 0]);
    }
  }
  if (r.drums) {
    for (let t = 1.0; t < end; t += 2.5) {
      at(t, 2, [0x99, 36, 110]);
      at(t + 0.1, 1, [0x89, 36, 0]);
    }
  }
  at(SECONDS - 0.5, 3, [0xff, 0x2f, 0x00]);
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [];
  let last = 0;
  for (const e of events) {
    track.push(...vlq(e.tick - last), ...e.bytes);
    last = e.tick;
  }
  const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  // Division 480 ticks per quarter at 500000 us per quarter = 960 ticks per second.
  const header = [0x4d, 0x54, 0x68, 0x64, ...u32(6), 0, 0, 0, 1, 0x01, 0xe0];
  return new Uint8Array([...header, 0x4d, 0x54, 0x72, 0x6b, ...u32(track.length), ...track]);
}

function render(r: Render, dir: string): string {
  const wav = join(dir, `${r.name}.wav`);
  if (existsSync(wav)) return wav;
  const mid = join(dir, `${r.name}.mid`);
  writeFileSync(mid, midiFile(r));
  execFileSync("fluidsynth", ["-ni", "-q", "-g", "0.6", "-r", String(SR), "-F", wav, SOUNDFONT, mid], {
    stdio: "ignore",
  });
  rmSync(mid);
  return wav;
}

// --- Counting ---

interface Tally {
  right: number;
  octave: number;
  other: number;
  none: number;
  /** Roots written where none is right (chords). */
  claims: number;
  misses: string[];
}

const tally = (): Tally => ({ right: 0, octave: 0, other: 0, none: 0, claims: 0, misses: [] });

function count(t: Tally, expected: number | null, got: number | null, label: string): void {
  if (expected === null) {
    if (got === null) t.none++;
    else {
      t.claims++;
      t.misses.push(`${label}: chord given ${noteName(got)}`);
    }
    return;
  }
  if (got === null) {
    t.none++;
    return;
  }
  if (got === expected) t.right++;
  else {
    if ((got - expected) % 12 === 0) t.octave++;
    else t.other++;
    t.misses.push(`${label}: ${noteName(expected)} given ${noteName(got)} (${got - expected})`);
  }
}

function summary(name: string, t: Tally): string {
  const written = t.right + t.octave + t.other;
  const pct = written > 0 ? ((100 * (t.octave + t.other)) / written).toFixed(1) : "-";
  return (
    `${name}: written ${written}, right ${t.right}, wrong ${t.octave + t.other} (${pct} %: octave ${t.octave}, ` +
    `other ${t.other}), no root ${t.none}, roots claimed on chords ${t.claims}`
  );
}

/** The `smpl` chunk's unity note and pitch fraction (semitones), or null when the file has none. */
function readSmpl(path: string): { unity: number; fraction: number } | null {
  const b = readFileSync(path);
  let p = 12;
  while (p + 8 <= b.length) {
    const id = b.toString("latin1", p, p + 4);
    const size = b.readUInt32LE(p + 4);
    if (id === "smpl") return { unity: b.readUInt32LE(p + 20), fraction: b.readUInt32LE(p + 24) / 2 ** 32 };
    p += 8 + size + (size & 1);
  }
  return null;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (spawnSync("fluidsynth", ["--version"]).status !== 0 || !existsSync(SOUNDFONT)) {
    console.log(`skipped: needs fluidsynth and ${SOUNDFONT}`);
    return;
  }
  const dirArg = args.indexOf("--dir");
  const dir = dirArg >= 0 ? args[dirArg + 1] : mkdtempSync(join(tmpdir(), "patina-pitch-truth-"));
  const quick = args.includes("--quick");
  const list = renders(quick);
  const audioDir = join(dir, "audio");
  mkdirSync(audioDir, { recursive: true });
  const t0 = performance.now();
  const files = list.map((r) => render(r, audioDir));
  console.log(`${list.length} renders in ${audioDir} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  // 1. The estimator alone on regions of each render.
  const regions = { "2 s": tally(), "6 s": tally() };
  let estimateMs = 0;
  for (let i = 0; i < list.length; i++) {
    const x = (await decodeFile(files[i], { sampleRate: SR, mono: true })).channels[0];
    for (const [label, at, len] of [
      ["2 s", 5, 2],
      ["6 s", 3, 6],
    ] as const) {
      const seg = x.subarray(at * SR, (at + len) * SR);
      const t1 = performance.now();
      const p = estimatePitch(seg, SR);
      estimateMs += performance.now() - t1;
      count(regions[label], list[i].root, p?.midi ?? null, `${list[i].name} [${label}]`);
    }
  }
  console.log(
    `estimator, ${list.length} renders x 2 regions (${(estimateMs / (2 * list.length)).toFixed(1)} ms each):`,
  );
  for (const [k, t] of Object.entries(regions)) console.log(`  ${summary(k, t)}`);
  if (args.includes("--verbose"))
    for (const t of Object.values(regions)) for (const m of t.misses) console.log(`    ${m}`);

  if (args.includes("--no-make")) return;
  // 2. make (pads and drones) on a working folder holding the renders.
  const root = join(dir, "work");
  rmSync(root, { recursive: true, force: true });
  for (const d of ["source_audio", "pad_sources"]) {
    mkdirSync(join(root, d), { recursive: true });
    for (const f of files) execFileSync("cp", [f, join(root, d)]);
  }
  const config: PatinaConfig = {
    ...DEFAULT_CONFIG,
    drones: quick
      ? { ...DEFAULT_CONFIG.drones, time_stretch_factors: [1], pitch_shift_semitones: [0, 7, 12] }
      : DEFAULT_CONFIG.drones,
  };
  const t2 = performance.now();
  const result = await runMake({ root, config, phases: ["pads", "drones"], seed: 1 });
  console.log(`make: ${result.rows.length} rows in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  const byName = new Map(list.map((r) => [r.name, r]));
  const rows = readManifest(result.manifestPath);
  const kinds = { "mined pads": tally(), "drone loops": tally(), swells: tally() };
  const byInstrument = new Map<string, Tally>();
  const smpl = { loops: 0, unityMatchesRoot: 0, unityWithoutRoot: 0, fractionOff: 0 };
  for (const row of rows) {
    const r = byName.get(row.source);
    if (!r || !row.saved) continue;
    const shift = typeof row.params.pitch_semitones === "number" ? row.params.pitch_semitones : 0;
    const expected = r.root === null ? null : r.root + shift;
    const kind =
      row.type === "pad"
        ? "mined pads"
        : row.type === "loop" || row.type === "reversed"
          ? "drone loops"
          : "swells";
    count(kinds[kind], expected, row.root_midi, row.file);
    const inst = r.root === null ? "chords" : r.name.split("_")[0];
    if (!byInstrument.has(inst)) byInstrument.set(inst, tally());
    count(byInstrument.get(inst) as Tally, expected, row.root_midi, row.file);
    if (!row.loop) continue;
    const s = readSmpl(join(result.exportDir, row.file));
    if (s === null) continue;
    smpl.loops++;
    const cents = (row as unknown as { root_cents?: number | null }).root_cents ?? 0;
    if (row.root_midi === null) smpl.unityWithoutRoot++;
    else {
      const written = s.unity + s.fraction;
      const meant = row.root_midi + cents / 100;
      if (Math.abs(written - meant) < 0.01) smpl.unityMatchesRoot++;
      else smpl.fractionOff++;
    }
  }
  for (const [k, t] of Object.entries(kinds)) console.log(`  ${summary(k, t)}`);
  console.log("  all make outputs by instrument:");
  for (const [k, t] of [...byInstrument].sort()) console.log(`    ${summary(k, t)}`);
  console.log(
    `  smpl chunks: ${smpl.loops} loops; unity note + fraction = manifest root: ${smpl.unityMatchesRoot}, ` +
      `differs: ${smpl.fractionOff}; loops with no root (unity note is the default 60): ${smpl.unityWithoutRoot}`,
  );
  if (args.includes("--verbose"))
    for (const t of Object.values(kinds)) for (const m of t.misses.slice(0, 40)) console.log(`    ${m}`);
  if (dirArg < 0) rmSync(dir, { recursive: true, force: true });
}

await main();
