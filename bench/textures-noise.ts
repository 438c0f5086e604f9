/**
 * Noise-like generators on 1- and 5-minute 44.1 kHz mono synthetic sources, default options, one
 * core: `makeClouds` on a chord with hi-hat bursts in its second half, `makeHiss` on a drum loop
 * ("drums"), on the chord ("percussive": one bounded region through HPSS) and with no source
 * ("synthetic"). The analysis pass is not timed here (bench/analysis). Time after it must not grow
 * with the track's length: only the regions the outputs need are fetched. Figures: best of three
 * runs, wall and CPU milliseconds, files made, seconds of audio fetched through readRegion per run.
 *
 * Run alone: `node --import tsx bench/textures-noise.ts`.
 */
import { pathToFileURL } from "node:url";
import { analyzeSamples, type TrackAnalysis } from "../src/analysis/track.js";
import type { PlanarAudio } from "../src/core/audio.js";
import { Rng } from "../src/dsp/rng.js";
import { makeClouds } from "../src/textures/clouds.js";
import { makeHiss } from "../src/textures/hiss.js";
import type { GeneratorResult, SourceMaterial } from "../src/textures/types.js";

const RATE = 44100;

/** Chord partials by recursive oscillators, slow level drift, hats over the second half. */
function chordTrack(seconds: number, seed: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const acc = new Float64Array(n);
  const rng = new Rng(seed);
  for (const f0 of [110, 220, 261.63, 329.63]) {
    for (let p = 1; p <= 8; p++) {
      const w = (2 * Math.PI * f0 * p) / RATE;
      const k = 2 * Math.cos(w);
      const ph = rng.uniform(0, 2 * Math.PI);
      let y1 = (0.05 / p) * Math.sin(ph - w);
      let y2 = (0.05 / p) * Math.sin(ph - 2 * w);
      for (let i = 0; i < n; i++) {
        const y = k * y1 - y2;
        acc[i] += y;
        y2 = y1;
        y1 = y;
      }
    }
  }
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = acc[i] * (0.8 + 0.2 * Math.sin((2 * Math.PI * 0.05 * i) / RATE));
  addHats(x, Math.round(n / 2), n, 0.25, rng);
  return x;
}

function addHats(x: Float32Array, from: number, to: number, periodSec: number, rng: Rng): void {
  const step = Math.round(periodSec * RATE);
  for (let s = from; s < to; s += step) {
    const a = rng.uniform(0.2, 0.4);
    for (let j = 0; j < 4000 && s + j < to; j++) x[s + j] += a * Math.exp(-j / 1300) * rng.uniform(-1, 1);
  }
}

function drumTrack(seconds: number, seed: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const rng = new Rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-0.01, 0.01);
  addHats(x, 0, n, 0.125, rng);
  return x;
}

function memorySource(
  name: string,
  x: Float32Array,
  analysis: TrackAnalysis,
): SourceMaterial<TrackAnalysis> & { read: () => number } {
  let read = 0;
  return {
    name,
    sampleRate: RATE,
    frames: x.length,
    channels: 1,
    analysis,
    read: () => read,
    async readRegion(start: number, end: number): Promise<PlanarAudio> {
      const s = Math.max(0, Math.floor(start));
      const e = Math.min(x.length, Math.ceil(end));
      read += e - s;
      return { sampleRate: RATE, channels: [x.slice(s, e)] };
    },
  };
}

async function timeBest(run: () => Promise<GeneratorResult>, runs = 3) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  let result = await run(); // warm-up (JIT, wasm)
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    result = await run();
    const c1 = process.cpuUsage(c0);
    wall = Math.min(wall, performance.now() - t0);
    cpu = Math.min(cpu, (c1.user + c1.system) / 1000);
  }
  return { wall, cpu, result };
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

export async function benchNoise(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const record = async (
    key: string,
    src: { read: () => number } | null,
    run: () => Promise<GeneratorResult>,
  ): Promise<void> => {
    const before = src?.read() ?? 0;
    const t = await timeBest(run);
    out[`${key}_ms`] = r1(t.wall);
    out[`${key}_cpu_ms`] = r1(t.cpu);
    out[`${key}_files`] = t.result.textures.length;
    if (src) out[`${key}_fetched_sec_per_run`] = r1((src.read() - before) / 4 / RATE);
  };
  for (const minutes of [1, 5]) {
    const tag = `${minutes}min`;
    const chord = chordTrack(minutes * 60, 1);
    const pad = memorySource("pad", chord, analyzeSamples(chord, RATE));
    const drum = drumTrack(minutes * 60, 2);
    const drums = memorySource("drums", drum, analyzeSamples(drum, RATE));
    await record(`clouds_${tag}`, pad, () => makeClouds(pad, {}, new Rng(1)));
    await record(`clouds_stereo_${tag}`, pad, () => makeClouds(pad, { stereo: true }, new Rng(1)));
    await record(`hiss_drums_${tag}`, drums, () => makeHiss(drums, { material: "drums" }, new Rng(1)));
    await record(`hiss_percussive_${tag}`, pad, () => makeHiss(pad, { material: "percussive" }, new Rng(1)));
  }
  await record("hiss_synthetic", null, () => makeHiss(null, { material: "synthetic" }, new Rng(1)));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [k, v] of Object.entries(await benchNoise())) console.log(`${k}: ${v}`);
}
