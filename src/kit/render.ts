/**
 * The audio of an encoded sample (plan.ts `making.kind === "encode"`), from the texture decoded at
 * the kit's rate: mixed to mono when asked (its peak brought back to the stereo file's, at most
 * +6 dB, so a mono kit plays as loud as the export), then rendered as a sustain when the device
 * has no loop points.
 */
import type { PlanarAudio } from "../core/audio.js";
import { toMono } from "../core/audio.js";
import { samples, seconds } from "../core/units.js";
import { peak } from "../dsp/level.js";
import type { PlannedSample } from "./plan.js";
import type { DeviceProfile } from "./profile.js";
import { renderSustain } from "./sustain.js";

const MAX_MONO_GAIN = 2;

function mono(audio: PlanarAudio): Float32Array {
  if (audio.channels.length === 1) return audio.channels[0];
  const mix = toMono(audio);
  const target = Math.max(...audio.channels.map(peak));
  const p = peak(mix);
  const g = p > 0 ? Math.min(MAX_MONO_GAIN, target / p) : 1;
  if (g !== 1) for (let i = 0; i < mix.length; i++) mix[i] *= g;
  return mix;
}

/** `decoded`: the sample's file at `s.sampleRate`. */
export function renderSample(decoded: PlanarAudio, s: PlannedSample, profile: DeviceProfile): PlanarAudio {
  const m = s.making;
  if (m.kind !== "encode") return decoded;
  const rate = decoded.sampleRate;
  let channels: readonly Float32Array[] =
    m.channels === 1
      ? [mono(decoded)]
      : decoded.channels.length >= 2
        ? decoded.channels.slice(0, 2)
        : [decoded.channels[0], decoded.channels[0]];
  if (m.sustainSec !== null) {
    const n = channels[0].length;
    const row = s.pick.candidate.row;
    const ratio = rate / s.info.sampleRate;
    const start = row.loop_start === null ? 0 : Math.min(n - 1, Math.round(row.loop_start * ratio));
    // A loop to the file's end stays at the end after resampling (no sample lost to rounding).
    const end =
      row.loop_end === null || row.loop_end >= s.info.frames
        ? n
        : Math.max(start + 1, Math.min(n, Math.round(row.loop_end * ratio)));
    const su = profile.sustain;
    channels = renderSustain(
      channels,
      { start: samples(start), end: samples(end) },
      {
        sampleRate: rate,
        seconds: seconds(m.sustainSec),
        releaseSec: seconds(su.release_sec),
        attackMs: su.attack_ms,
      },
    );
  }
  return { sampleRate: rate, channels };
}
