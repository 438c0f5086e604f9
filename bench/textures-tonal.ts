/**
 * Tonal generators on a 5-minute (and a 1-minute) 44.1 kHz mono synthetic source, default options,
 * one core: `minePads` and `makeDrones` after the analysis pass (which is timed by bench/analysis).
 * Their time must not grow with the track's length: they fetch and process only the regions
 * their outputs need. Figures: best of three runs, wall and CPU milliseconds, files made and
 * seconds of audio fetched through readRegion.
 *
 * Run alone: `node --import tsx bench/textures-tonal.ts`.
 */
import { pathToFileURL } from "node:url";
import { analyzeSamples, type TrackAnalysis } from "../src/analysis/track.js";
import type { PlanarAudio } from "../src/core/audio.js";
import { Rng } from "../src/dsp/rng.js";
import { makeDrones } from "../src/textures/drones.js";
import { minePads } from "../src/textures/pads.js";
import type { GeneratorResult, SourceMaterial } from "../src/textures/types.js";

const RATE = 44100;

/**
 * A chord (harmonic partials by recursive oscillators) with slow level changes and a noise floor;
 * a click train over the second quarter, so the miner has something to reject.
 */
function syntheticTrack(seconds: number, seed: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const acc = new Float64Array(n);
  const rng = new Rng(seed);
  for (const f0 of [110, 220, 261.63, 329.63]) {
    for (let p = 1; p <= 12; p++) {
      const f = f0 * p * (1 + rng.uniform(-0.001, 0.001));
      if (f > 0.45 * RATE) break;
      const w = (2 * Math.PI * f) / RATE;
      const ph = rng.uniform(0, 2 * Math.PI);
      const k = 2 * Math.cos(w);
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
  for (let i = 0; i < n; i++) {
    x[i] = acc[i] * (0.7 + 0.3 * Math.sin((2 * Math.PI * 0.03 * i) / RATE)) + rng.uniform(-0.003, 0.003);
  }
  for (let s = Math.round(n / 4); s < n / 2; s += Math.round(0.25 * RATE)) {
    for (let j = 0; j < 400 && s + j < n; j++) x[s + j] += 0.4 * Math.exp(-j / 80) * rng.uniform(-1, 1);
  }
  return x;
}

function memorySource(
  x: Float32Array,
  analysis: TrackAnalysis,
): SourceMaterial<TrackAnalysis> & { read: () => number } {
  let read = 0;
  return {
    name: "bench",
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

async function timeBest(
  run: () => Promise<GeneratorResult>,
  runs = 3,
): Promise<{ wall: number; cpu: number; result: GeneratorResult }> {
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

export async function benchTonal(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const minutes of [1, 5]) {
    const x = syntheticTrack(minutes * 60, 1);
    const analysis = analyzeSamples(x, RATE);
    const src = memorySource(x, analysis);
    const tag = `${minutes}min`;
    let before = src.read();
    const pads = await timeBest(() => minePads(src, {}, new Rng(1)));
    out[`pads_${tag}_ms`] = r1(pads.wall);
    out[`pads_${tag}_cpu_ms`] = r1(pads.cpu);
    out[`pads_${tag}_files`] = pads.result.textures.length;
    out[`pads_${tag}_fetched_sec_per_run`] = r1((src.read() - before) / 4 / RATE);
    before = src.read();
    const drones = await timeBest(() => makeDrones(src, {}, new Rng(1)));
    out[`drones_${tag}_ms`] = r1(drones.wall);
    out[`drones_${tag}_cpu_ms`] = r1(drones.cpu);
    out[`drones_${tag}_files`] = drones.result.textures.length;
    out[`drones_${tag}_fetched_sec_per_run`] = r1((src.read() - before) / 4 / RATE);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [k, v] of Object.entries(await benchTonal())) console.log(`${k}: ${v}`);
}
