/**
 * Sustains for samplers without loop points (the TR-8S plays a sample once): a loop rendered long
 * enough to hold, the way a sampler would play it with the key held. The texture plays from its
 * start to the loop end, then the loop [start, end) repeats. patina's loops carry their own
 * crossfade (dsp/loop.ts: the sample after the loop's last one is the loop's first), so the repeats
 * join without a gap or a click; nothing is added at the joins. A short fade in keeps the first
 * sample from clicking; a release fade at the end stands for letting go of the key.
 */
import { ParameterError } from "../core/errors.js";
import { type Samples, type Seconds, toSamples } from "../core/units.js";
import { applyFades } from "../dsp/envelopes.js";

export interface SustainOptions {
  readonly sampleRate: number;
  /** Length of the rendered sustain, release included. */
  readonly seconds: Seconds;
  readonly releaseSec: Seconds;
  readonly attackMs: number;
}

export interface LoopRange {
  readonly start: Samples;
  /** Exclusive. */
  readonly end: Samples;
}

/** One channel: [0, end) then [start, end) again and again, to `length` samples. */
function unroll(x: Float32Array, start: number, end: number, length: number): Float32Array {
  const out = new Float32Array(length);
  const head = Math.min(end, length);
  out.set(x.subarray(0, head));
  const period = end - start;
  for (let at = head; at < length; at += period) {
    const take = Math.min(period, length - at);
    out.set(x.subarray(start, start + take), at);
  }
  return out;
}

/** Render a sustain of every channel (see the module comment). */
export function renderSustain(
  channels: readonly Float32Array[],
  loop: LoopRange,
  o: SustainOptions,
): Float32Array[] {
  const n = channels[0]?.length ?? 0;
  const { start, end } = loop;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= n)) {
    throw new ParameterError(`loop must satisfy 0 <= start < end <= ${n} (frames), got: [${start}, ${end})`);
  }
  const length = toSamples(o.seconds, o.sampleRate);
  const release = toSamples(o.releaseSec, o.sampleRate);
  const attack = Math.round((o.attackMs / 1000) * o.sampleRate);
  if (length < 1 || attack + release > length) {
    throw new ParameterError(
      `a ${o.seconds} s sustain cannot hold a ${o.attackMs} ms fade in and a ${o.releaseSec} s release`,
    );
  }
  return channels.map((ch) => {
    const y = unroll(ch, start, end, length);
    return applyFades(y, { fadeInSamples: attack, fadeOutSamples: release, shape: "hann" }, y);
  });
}
