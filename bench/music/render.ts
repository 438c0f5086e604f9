/**
 * Render the bench pieces with fluidsynth into a working folder (never into the repo): one WAV per
 * piece in both source_audio/ (pads) and pad_sources/ (drones, clouds), its truth beside the MIDI in
 * truth/. Each render is scaled to the piece's peak (fluidsynth's own level is 12-26 dB lower than a
 * finished recording's, which would test patina's level gate rather than its musical choices), then
 * a DC offset, where the piece asks for one, is added.
 * Renders are deterministic, so they are kept in a cache folder in the system temp folder
 * (BENCH_MUSIC_CACHE names another, `off` disables it), keyed by everything that shapes them.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Source } from "./evaluate.js";
import { writeMidi } from "./midi.js";
import { type Piece, pieces } from "./pieces.js";
import { readWav, writeWav16 } from "./wav.js";

const run = promisify(execFile);

export const SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
export const SAMPLE_RATE = 44100;

let fluidsynthVersion = "";

/** Why the bench cannot run here, or null when fluidsynth and the soundfont are both present. */
export function missingTools(soundfont = SOUNDFONT): string | null {
  const fs = spawnSync("fluidsynth", ["--version"], { encoding: "utf8" });
  if (fs.error || fs.status !== 0) return "fluidsynth is not installed (e.g. apt-get install fluidsynth)";
  fluidsynthVersion = fs.stdout.split("\n")[0] ?? "";
  if (!existsSync(soundfont))
    return `the soundfont ${soundfont} is missing (e.g. apt-get install fluid-soundfont-gm)`;
  return null;
}

function cacheDir(): string | null {
  const dir = process.env.BENCH_MUSIC_CACHE ?? join(tmpdir(), "patina-bench-music-renders");
  return dir === "off" ? null : dir;
}

async function renderOne(p: Piece, root: string, soundfont: string): Promise<void> {
  const t = p.truth;
  const mid = join(root, "truth", `${t.name}.mid`);
  const raw = join(root, "render", `${t.name}.wav`);
  const midi = writeMidi(p.events, t.endSec);
  writeFileSync(mid, midi);
  writeFileSync(join(root, "truth", `${t.name}.truth.json`), `${JSON.stringify(t, null, 1)}\n`);
  const sf = statSync(soundfont);
  const key = createHash("sha1")
    .update(midi)
    .update(
      JSON.stringify([
        soundfont,
        sf.size,
        sf.mtimeMs,
        fluidsynthVersion,
        SAMPLE_RATE,
        t.peakDbfs,
        t.dcOffset,
      ]),
    )
    .digest("hex");
  const dir = cacheDir();
  const cached = dir ? join(dir, `${t.name}-${key.slice(0, 16)}.wav`) : null;
  if (cached && existsSync(cached)) copyFileSync(cached, raw);
  else {
    await run("fluidsynth", ["-ni", "-q", "-F", raw, "-r", String(SAMPLE_RATE), soundfont, mid]);
    const w = readWav(raw);
    let peak = 0;
    for (const ch of w.channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
    const gain = peak > 0 ? 10 ** (t.peakDbfs / 20) / peak : 1;
    for (const ch of w.channels) for (let i = 0; i < ch.length; i++) ch[i] = ch[i] * gain + t.dcOffset;
    writeWav16(raw, w.sampleRate, w.channels);
    if (dir && cached) {
      mkdirSync(dir, { recursive: true });
      // Renders of this piece by an older version of the bench are not needed again.
      for (const f of readdirSync(dir)) if (f.startsWith(`${t.name}-`)) rmSync(join(dir, f), { force: true });
      const part = `${cached}.${process.pid}.part`;
      copyFileSync(raw, part);
      renameSync(part, cached);
    }
  }
  for (const dir of ["source_audio", "pad_sources"]) copyFileSync(raw, join(root, dir, `${t.name}.wav`));
}

/** Render every piece into `root` (two fluidsynth processes at a time); returns them by name. */
export async function renderPieces(root: string, soundfont = SOUNDFONT): Promise<Map<string, Source>> {
  for (const d of ["truth", "render", "source_audio", "pad_sources"])
    mkdirSync(join(root, d), { recursive: true });
  const all = pieces();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) await renderOne(all[next++], root, soundfont);
  };
  await Promise.all([worker(), worker()]);
  return renderedPieces(root);
}

/** The pieces as rendered into `root` earlier (by this version of the bench). */
export function renderedPieces(root: string): Map<string, Source> {
  const wav = (name: string): string => join(root, "source_audio", `${name}.wav`);
  return new Map(pieces().map((p) => [p.truth.name, { truth: p.truth, wav: wav(p.truth.name) }]));
}
