/** Planar audio: one Float32Array per channel, all the same length, nominal range [-1, 1]. */
export interface PlanarAudio {
  readonly sampleRate: number;
  readonly channels: readonly Float32Array[];
}

/** Number of frames (samples per channel). */
export function frameCount(audio: PlanarAudio): number {
  return audio.channels.length > 0 ? audio.channels[0].length : 0;
}

/** Average all channels into one (downmix to mono by averaging). Returns the input channel if mono. */
export function toMono(audio: PlanarAudio): Float32Array {
  const chans = audio.channels;
  if (chans.length === 1) return chans[0];
  const n = frameCount(audio);
  const out = new Float32Array(n);
  if (chans.length === 2) {
    // The common case in one pass.
    mixHalf(chans[0], chans[1], out);
    return out;
  }
  const k = 1 / chans.length;
  for (const ch of chans) {
    for (let i = 0; i < n; i++) out[i] += ch[i];
  }
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

/** out[i] = (a[i] + b[i]) / 2 (its own function so V8 optimises the loop alone). */
function mixHalf(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = (a[i] + b[i]) * 0.5;
}
