import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "audio");

export const fixture = (name: string): string => join(FIXTURES, name);

/** A reference decode made by ffmpeg: interleaved float32 little-endian, split into planar channels. */
export function readReference(name: string, channels: number): Float32Array[] {
  const b = readFileSync(fixture(`${name}.f32`));
  const all = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const n = all.length / channels;
  const out = Array.from({ length: channels }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[c][i] = all[i * channels + c];
  return out;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export interface ProbeRecord {
  codec: string;
  sample_rate: number;
  channels: number;
  duration_sec: number;
  ffmpeg_decoded_frames: number;
}

export function ffprobeRecords(): Record<string, ProbeRecord> {
  return JSON.parse(readFileSync(fixture("probe.json"), "utf8")) as Record<string, ProbeRecord>;
}
