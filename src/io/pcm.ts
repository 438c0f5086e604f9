/** Interleaved PCM bytes to planar float. Integers scale by 1/2^(bits-1), so full scale maps to [-1, 1). */
import { pcmIntLeToFloat } from "../dsp/sample-kernels.js";

export interface PcmFormat {
  /** "int": signed two's complement; "uint8": 8-bit unsigned (WAV); "float": IEEE 754. */
  readonly sampleType: "int" | "uint8" | "float";
  /** Bytes per sample in the container (1, 2, 3, 4 or 8). */
  readonly bytesPerSample: number;
  readonly bigEndian: boolean;
  readonly channels: number;
}

export function bytesPerFrame(f: PcmFormat): number {
  return f.bytesPerSample * f.channels;
}

/** ffprobe-like codec name, e.g. pcm_s16le, pcm_u8, pcm_f32be. */
export function pcmCodecName(f: PcmFormat): string {
  if (f.sampleType === "uint8") return "pcm_u8";
  const bits = f.bytesPerSample * 8;
  const kind = f.sampleType === "float" ? "f" : "s";
  return `pcm_${kind}${bits}${bits === 8 ? "" : f.bigEndian ? "be" : "le"}`;
}

/** Decode `frames` interleaved frames from `src` into `out[c][outOffset + i]`. */
export function convertPcm(
  src: Uint8Array,
  f: PcmFormat,
  frames: number,
  out: readonly Float32Array[],
  outOffset: number,
): void {
  const nc = f.channels;
  const bps = f.bytesPerSample;
  if (f.sampleType === "int" && !f.bigEndian && (bps === 2 || bps === 3) && out.length === nc) {
    // The common formats in WebAssembly SIMD (same values: both are exact).
    pcmIntLeToFloat(src, bps, frames, out, outOffset);
    return;
  }
  const stride = bps * nc;
  const be = f.bigEndian;
  for (let c = 0; c < nc; c++) {
    const o = out[c];
    let p = c * bps;
    if (f.sampleType === "uint8") {
      for (let i = 0; i < frames; i++, p += stride) o[outOffset + i] = (src[p] - 128) / 128;
    } else if (f.sampleType === "float") {
      const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
      if (bps === 4) for (let i = 0; i < frames; i++, p += stride) o[outOffset + i] = dv.getFloat32(p, !be);
      else for (let i = 0; i < frames; i++, p += stride) o[outOffset + i] = dv.getFloat64(p, !be);
    } else if (bps === 1) {
      for (let i = 0; i < frames; i++, p += stride) o[outOffset + i] = ((src[p] << 24) >> 24) / 128;
    } else if (bps === 2) {
      const k = 1 / 32768;
      if (be)
        for (let i = 0; i < frames; i++, p += stride)
          o[outOffset + i] = (((src[p] << 24) | (src[p + 1] << 16)) >> 16) * k;
      else
        for (let i = 0; i < frames; i++, p += stride)
          o[outOffset + i] = (((src[p + 1] << 24) | (src[p] << 16)) >> 16) * k;
    } else if (bps === 3) {
      const k = 1 / 8388608;
      if (be)
        for (let i = 0; i < frames; i++, p += stride)
          o[outOffset + i] = (((src[p] << 24) | (src[p + 1] << 16) | (src[p + 2] << 8)) >> 8) * k;
      else
        for (let i = 0; i < frames; i++, p += stride)
          o[outOffset + i] = (((src[p + 2] << 24) | (src[p + 1] << 16) | (src[p] << 8)) >> 8) * k;
    } else {
      const k = 1 / 2147483648;
      if (be)
        for (let i = 0; i < frames; i++, p += stride)
          o[outOffset + i] = ((src[p] << 24) | (src[p + 1] << 16) | (src[p + 2] << 8) | src[p + 3]) * k;
      else
        for (let i = 0; i < frames; i++, p += stride)
          o[outOffset + i] = ((src[p + 3] << 24) | (src[p + 2] << 16) | (src[p + 1] << 8) | src[p]) * k;
    }
  }
}
