/**
 * The built-in demo archive: a few short tracks synthesised by patina's own code (chord pads, a
 * drone, a drum loop, tape air, a sketch the selector should reject), so a newcomer hears real
 * output within a minute without any downloaded or copied audio.
 */
import { join } from "node:path";
import type { PlanarAudio } from "../core/audio.js";
import { Rng } from "../dsp/rng.js";
import { ensureDir, pathExists } from "../io/fs.js";
import { writeTextFileAtomic } from "../io/textfile.js";
import { writeWav } from "../io/wav-writer.js";

export interface DemoTrack {
  /** Path inside the demo archive, forward slashes. */
  readonly relPath: string;
  readonly audio: PlanarAudio;
}

const midiHz = (m: number): number => 440 * 2 ** ((m - 69) / 12);

/** Add a soft, slightly detuned additive voice (band-limited saw-like partials) into `out`. */
function addVoice(
  out: Float32Array,
  sampleRate: number,
  start: number,
  length: number,
  hz: number,
  gain: number,
  detuneCents: number,
  attack: number,
  release: number,
): void {
  const f0 = hz * 2 ** (detuneCents / 1200);
  const partials = Math.max(1, Math.min(12, Math.floor(sampleRate / 2 / f0 / 1.2)));
  const end = Math.min(out.length, start + length);
  const aN = Math.max(1, Math.round(attack * sampleRate));
  const rN = Math.max(1, Math.round(release * sampleRate));
  for (let p = 1; p <= partials; p++) {
    const w = (2 * Math.PI * f0 * p) / sampleRate;
    const amp = gain / p ** 1.3;
    let ph = p * 0.7;
    for (let i = start; i < end; i++) {
      const t = i - start;
      const env = Math.min(1, t / aN, (end - i) / rN);
      out[i] += amp * env * Math.sin(ph);
      ph += w;
    }
  }
}

function chordPads(sampleRate: number, seconds: number, rng: Rng): PlanarAudio {
  const n = Math.round(seconds * sampleRate);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  // A minor: i - VI - III - VII, each chord held long with slow attack, like a bounced pad track.
  const chords = [
    [57, 60, 64, 69],
    [53, 57, 60, 65],
    [48, 55, 60, 64],
    [55, 59, 62, 67],
  ];
  const len = Math.floor(n / chords.length);
  chords.forEach((notes, c) => {
    for (const m of notes) {
      addVoice(left, sampleRate, c * len, len, midiHz(m), 0.05, -4, 1.2, 1.0);
      addVoice(right, sampleRate, c * len, len, midiHz(m), 0.05, 4, 1.2, 1.0);
    }
  });
  for (let i = 0; i < n; i++) {
    const noise = (rng.next() - 0.5) * 0.004;
    left[i] += noise;
    right[i] += noise;
  }
  return { sampleRate, channels: [left, right] };
}

function drone(sampleRate: number, seconds: number, rng: Rng): PlanarAudio {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  // E-flat major drone: Eb2 root, Bb2 fifth, G3 third, with slow breathing amplitude.
  for (const [m, g] of [
    [39, 0.16],
    [46, 0.09],
    [55, 0.05],
    [63, 0.03],
  ] as const) {
    addVoice(x, sampleRate, 0, n, midiHz(m), g, rng.uniform(-3, 3), 2.5, 2.5);
  }
  for (let i = 0; i < n; i++) x[i] *= 0.8 + 0.2 * Math.sin((2 * Math.PI * 0.1 * i) / sampleRate);
  return { sampleRate, channels: [x] };
}

function drumLoop(sampleRate: number, seconds: number, bpm: number, rng: Rng): PlanarAudio {
  const n = Math.round(seconds * sampleRate);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const step = (60 / bpm / 4) * sampleRate; // sixteenth notes
  const steps = Math.floor(n / step);
  let hp = 0;
  let prev = 0;
  for (let s = 0; s < steps; s++) {
    const at = Math.round(s * step);
    const beat = s % 16;
    if (beat === 0 || beat === 10) {
      // Kick: a falling sine with a fast exponential decay.
      const len = Math.round(0.35 * sampleRate);
      let ph = 0;
      for (let i = 0; i < len && at + i < n; i++) {
        const t = i / sampleRate;
        ph += (2 * Math.PI * (45 + 90 * Math.exp(-t * 30))) / sampleRate;
        const v = 0.7 * Math.exp(-t * 9) * Math.sin(ph);
        left[at + i] += v;
        right[at + i] += v;
      }
    }
    if (beat === 4 || beat === 12) {
      const len = Math.round(0.2 * sampleRate);
      for (let i = 0; i < len && at + i < n; i++) {
        const t = i / sampleRate;
        const v = Math.exp(-t * 22) * (0.35 * (rng.next() * 2 - 1) + 0.2 * Math.sin(2 * Math.PI * 190 * t));
        left[at + i] += v;
        right[at + i] += v * 0.9;
      }
    }
    // Hats on every sixteenth: high-passed noise bursts, louder on the off-beats.
    const len = Math.round((beat % 4 === 2 ? 0.09 : 0.04) * sampleRate);
    const g = beat % 4 === 2 ? 0.22 : 0.12;
    for (let i = 0; i < len && at + i < n; i++) {
      const w = rng.next() * 2 - 1;
      hp = 0.6 * (hp + w - prev);
      prev = w;
      const v = g * Math.exp((-i / sampleRate) * 60) * hp;
      left[at + i] += v * 0.8;
      right[at + i] += v;
    }
  }
  return { sampleRate, channels: [left, right] };
}

function tapeAir(sampleRate: number, seconds: number, rng: Rng): PlanarAudio {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  // Pink-ish noise (Paul Kellet's economy filter) with a faint tone underneath.
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < n; i++) {
    const w = rng.next() * 2 - 1;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    x[i] = 0.08 * (b0 + b1 + b2 + w * 0.1848) + 0.03 * Math.sin((2 * Math.PI * 196 * i) / sampleRate);
  }
  return { sampleRate, channels: [x] };
}

/** Synthesise the demo archive (deterministic for a seed). */
export function synthesizeDemoArchive(seed = 7): DemoTrack[] {
  const rng = new Rng(seed);
  return [
    { relPath: "Bounces/Glass Choir (final mix).wav", audio: chordPads(48000, 36, rng.fork(1)) },
    { relPath: "Songs/Nuit d'Été/Eb Drone.wav", audio: drone(44100, 34, rng.fork(2)) },
    { relPath: "Tracks/Break 92bpm.wav", audio: drumLoop(44100, 32, 92, rng.fork(3)) },
    { relPath: "finished/Tape Air.wav", audio: tapeAir(44100, 31, rng.fork(4)) },
    { relPath: "scratch/test idea.wav", audio: tapeAir(44100, 4, rng.fork(5)) },
  ];
}

/**
 * Write the demo archive under `dir` unless it is already there (a marker file records that it is
 * complete). Returns the number of tracks written (0 when it already existed).
 */
export async function ensureDemoArchive(dir: string, seed = 7): Promise<number> {
  const marker = join(dir, ".patina-demo");
  if (await pathExists(marker)) return 0;
  const tracks = synthesizeDemoArchive(seed);
  for (const t of tracks) {
    await ensureDir(join(dir, ...t.relPath.split("/").slice(0, -1)));
    await writeWav(join(dir, ...t.relPath.split("/")), t.audio, { bitDepth: 24 });
  }
  await writeTextFileAtomic(marker, `patina demo archive, seed ${seed}\n`);
  return tracks.length;
}
