/**
 * The bench's own small WAV reader and 16-bit writer, independent of patina's io/ (the measurement
 * should not trust the code it measures): PCM 16/24/32-bit and 32-bit float, WAVE_FORMAT_EXTENSIBLE
 * included, and the `smpl` chunk's MIDI unity note, pitch fraction and loop count.
 */
import { readFileSync, writeFileSync } from "node:fs";

export interface SmplInfo {
  readonly unityNote: number;
  /** Fine tune above the unity note, in cents (the chunk's pitch fraction, 2^32 = one semitone). */
  readonly cents: number;
  readonly loops: number;
}

export interface Wav {
  readonly sampleRate: number;
  readonly channels: Float32Array[];
  readonly smpl: SmplInfo | null;
}

export function readWav(path: string): Wav {
  const buf = readFileSync(path);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const id = (at: number): string => buf.toString("latin1", at, at + 4);
  if (id(0) !== "RIFF" || id(8) !== "WAVE") throw new Error(`${path}: not a RIFF/WAVE file`);
  let format = 0;
  let nch = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: { at: number; len: number } | null = null;
  let smpl: SmplInfo | null = null;
  for (let at = 12; at + 8 <= buf.length; ) {
    const len = v.getUint32(at + 4, true);
    const body = at + 8;
    if (id(at) === "fmt ") {
      format = v.getUint16(body, true);
      nch = v.getUint16(body + 2, true);
      sampleRate = v.getUint32(body + 4, true);
      bits = v.getUint16(body + 14, true);
      if (format === 0xfffe) format = v.getUint16(body + 24, true); // sub-format GUID's first two bytes
    } else if (id(at) === "data") {
      data = { at: body, len: Math.min(len, buf.length - body) };
    } else if (id(at) === "smpl" && len >= 36) {
      smpl = {
        unityNote: v.getUint32(body + 12, true),
        cents: (v.getUint32(body + 16, true) / 2 ** 32) * 100,
        loops: v.getUint32(body + 28, true),
      };
    }
    at = body + len + (len & 1);
  }
  if (!data || nch === 0) throw new Error(`${path}: no fmt or data chunk`);
  const bytes = bits / 8;
  const frames = Math.floor(data.len / (bytes * nch));
  const channels = Array.from({ length: nch }, () => new Float32Array(frames));
  // One aligned copy of the data, then typed views: per-sample DataView calls are slow on 1,000 files.
  const raw = new Uint8Array(frames * nch * bytes);
  raw.set(buf.subarray(data.at, data.at + raw.length));
  const total = frames * nch;
  if (format === 3 && bits === 32) deinterleave(new Float32Array(raw.buffer), channels, 1);
  else if (bits === 16) deinterleave(new Int16Array(raw.buffer), channels, 1 / 32768);
  else if (bits === 32) deinterleave(new Int32Array(raw.buffer), channels, 1 / 2147483648);
  else if (bits === 24) {
    const ints = new Int32Array(total);
    for (let i = 0, p = 0; i < total; i++, p += 3)
      ints[i] = ((raw[p] | (raw[p + 1] << 8) | (raw[p + 2] << 16)) << 8) >> 8;
    deinterleave(ints, channels, 1 / 8388608);
  } else throw new Error(`${path}: unsupported sample format ${format}/${bits}`);
  return { sampleRate, channels, smpl };
}

function deinterleave(src: ArrayLike<number>, channels: Float32Array[], scale: number): void {
  const nch = channels.length;
  for (let c = 0; c < nch; c++) {
    const ch = channels[c];
    for (let i = 0, p = c; i < ch.length; i++, p += nch) ch[i] = src[p] * scale;
  }
}

/** Mono mixdown (mean of the channels). */
export function mono(w: Wav): Float32Array {
  if (w.channels.length === 1) return w.channels[0];
  const n = w.channels[0].length;
  const out = new Float32Array(n);
  for (const ch of w.channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  for (let i = 0; i < n; i++) out[i] /= w.channels.length;
  return out;
}

/** Write interleaved 16-bit PCM (rounded, clipped to full scale). */
export function writeWav16(path: string, sampleRate: number, channels: readonly Float32Array[]): void {
  const nch = channels.length;
  const frames = channels[0].length;
  const dataLen = frames * nch * 2;
  const buf = Buffer.alloc(44 + dataLen);
  buf.write("RIFF", 0, "latin1");
  buf.writeUInt32LE(36 + dataLen, 4);
  buf.write("WAVEfmt ", 8, "latin1");
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(nch, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * nch * 2, 28);
  buf.writeUInt16LE(nch * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36, "latin1");
  buf.writeUInt32LE(dataLen, 40);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const s = Math.round(channels[c][i] * 32768);
      buf.writeInt16LE(Math.max(-32768, Math.min(32767, s)), 44 + (i * nch + c) * 2);
    }
  }
  writeFileSync(path, buf);
}
