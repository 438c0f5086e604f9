/**
 * DSP primitive throughput on 5 minutes of 44.1 kHz mono (a chord over pink noise), one core:
 * how many times faster than real time each runs. Figures are from CPU time (process.cpuUsage),
 * best of a few runs after a warm-up, so waiting on a busy shared machine does not count.
 * Targets (issue 3): filters >= 500x, pitch shift and time stretch >= 40x. The resampler and
 * tape-speed figures are the kernels' (assembly/resample.ts, tape.ts); PATINA_KERNELS=js gives
 * their plain-JavaScript references' for comparison.
 *
 * Run alone: `node --import tsx bench/dsp.ts`.
 */
import { pathToFileURL } from "node:url";
import { filter, filtfilt, lowpass } from "../src/dsp/filters.js";
import { hpss } from "../src/dsp/hpss.js";
import { truePeak } from "../src/dsp/level.js";
import { loopSegmentLength, makeLoop } from "../src/dsp/loop.js";
import { Resampler } from "../src/dsp/resample.js";
import { Rng } from "../src/dsp/rng.js";
import { istft, stft } from "../src/dsp/stft.js";
import { tapeShift } from "../src/dsp/tape.js";
import { pitchShift, timeStretch } from "../src/dsp/vocoder.js";

const RATE = 44100;
const SECONDS = 300;

function testSignal(seconds: number, seed: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  const rng = new Rng(seed);
  const freqs = [220, 261.63, 329.63, 440, 523.25];
  const phases = freqs.map(() => rng.uniform(0, 2 * Math.PI));
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < n; i++) {
    const w = rng.uniform(-1, 1);
    // Cheap pink-ish noise (three one-pole sections).
    b0 = 0.997 * b0 + 0.029591 * w;
    b1 = 0.985 * b1 + 0.032534 * w;
    b2 = 0.95 * b2 + 0.048056 * w;
    let v = 0;
    for (let k = 0; k < freqs.length; k++) v += Math.sin((2 * Math.PI * freqs[k] * i) / RATE + phases[k]);
    x[i] = 0.1 * v + 0.5 * (b0 + b1 + b2);
  }
  return x;
}

/** Best CPU seconds of `runs` calls (after one warm-up call on `warm`). */
function cpuSeconds(
  runs: number,
  fn: (x: Float32Array) => unknown,
  x: Float32Array,
  warm: Float32Array,
): number {
  fn(warm);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    fn(x);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  return best;
}

const round = (v: number): number => Math.round(v * 10) / 10;

function resampleStream(x: Float32Array): number {
  const rs = new Resampler(48000, 44100);
  let n = 0;
  for (let i = 0; i < x.length; i += 65536) n += rs.process(x.subarray(i, i + 65536)).length;
  return n + rs.flush().length;
}

export async function benchDsp(): Promise<Record<string, number>> {
  const x = testSignal(SECONDS, 1);
  const warm = x.subarray(0, 10 * RATE);
  const xrt = (s: number): number => round(SECONDS / s);
  const sos = lowpass(3000, RATE, 4);
  const out: Record<string, number> = {};
  out.filter_sos4_x_realtime = xrt(cpuSeconds(5, (y) => filter(y, sos), x, warm));
  out.filtfilt_sos4_x_realtime = xrt(cpuSeconds(3, (y) => filtfilt(y, sos), x, warm));
  out.stft_x_realtime = xrt(cpuSeconds(3, (y) => stft(y), x, warm));
  const spec = stft(x);
  const warmSpec = stft(warm);
  out.istft_x_realtime = xrt(cpuSeconds(3, (y) => istft(y === x ? spec : warmSpec), x, warm));
  out.time_stretch_1_5_x_realtime = xrt(cpuSeconds(2, (y) => timeStretch(y, 1.5), x, warm));
  out.pitch_shift_plus7_x_realtime = xrt(cpuSeconds(2, (y) => pitchShift(y, 7, RATE), x, warm));
  out.pitch_shift_minus5_x_realtime = xrt(cpuSeconds(2, (y) => pitchShift(y, -5, RATE), x, warm));
  out.tape_shift_plus7_x_realtime = xrt(cpuSeconds(2, (y) => tapeShift(y, 7), x, warm));
  // The same samples taken as 48 kHz audio (so SECONDS * 44100 / 48000 seconds of it), to 44.1 kHz
  // in blocks of 65536 as the decoder feeds it.
  out.resample_48k_to_44k1_x_realtime = round(
    (SECONDS * RATE) / 48000 / cpuSeconds(3, (y) => resampleStream(y), x, warm),
  );
  out.hpss_x_realtime = xrt(cpuSeconds(2, (y) => hpss(y), x, warm));
  out.true_peak_x_realtime = xrt(cpuSeconds(2, (y) => truePeak(y), x, warm));
  // Loop making: ms per 2 s loop (search + crossfade + seam metric).
  const seg = x.subarray(RATE, RATE + loopSegmentLength(2 * RATE, RATE));
  out.make_loop_2s_ms = round(
    cpuSeconds(5, (y) => makeLoop(y, { sampleRate: RATE, lengthSamples: 2 * RATE }), seg, seg) * 1000,
  );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [k, v] of Object.entries(await benchDsp())) console.log(`${k}: ${v}`);
}
