import { frameCount, type PlanarAudio } from "../core/audio.js";
import { ParameterError } from "../core/errors.js";
import { Rng } from "../dsp/rng.js";
import { pack24Into, sampleStats } from "../dsp/sample-kernels.js";
import { writeFileAtomic } from "./atomic.js";

export interface WavWriteOptions {
  /** 16 and 24: integer PCM; 32: IEEE float. */
  bitDepth: 16 | 24 | 32;
  /** TPDF dither (+-1 LSB triangular) for 16-bit output, seeded for reproducible files. Off when omitted. */
  dither?: { seed: number };
  /**
   * Loop for a `smpl` chunk, in frames, half-open [start, end) like every range in patina; the chunk
   * stores the inclusive last frame (end - 1), as the RIFF spec defines it.
   */
  loop?: { start: number; end: number };
  /**
   * Root note (MIDI, 0-127, A4 = 69) for the `smpl` chunk: write it only when the pitch is known
   * with confidence. See `smplPitch` for how a root and its cents are stored, and for what a loop
   * without a root gets.
   */
  rootMidi?: number;
  /** The root's deviation from `rootMidi` in cents, in [-50, 50] (needs `rootMidi`). */
  rootCents?: number;
}

/** The `smpl` chunk's dwMIDIUnityNote when no root is known: its documented default (middle C). */
export const SMPL_NO_ROOT_UNITY_NOTE = 60;

/**
 * The `smpl` chunk's unity note and pitch fraction for a root. The chunk says the sample plays at
 * its recorded pitch on dwMIDIUnityNote plus dwMIDIPitchFraction (a fraction of a semitone UP,
 * 0x80000000 = 50 cents), so a flat root is stored as the note below plus the complement, as
 * samplers read it: A4 - 20 cents is G#4 (68) + 80 cents.
 *
 * A chunk without a root (a loop inside a longer file: `make` writes no chunk for a rootless loop
 * that spans its whole file) cannot leave the unity-note field out: it gets SMPL_NO_ROOT_UNITY_NOTE
 * with no fraction, the chunk's documented default. It is not a pitch patina claims: the manifest's
 * empty root_midi (with root_confidence) is the record; kits map such sounds without key tracking.
 */
export function smplPitch(rootMidi?: number, rootCents = 0): { unityNote: number; fraction: number } {
  if (rootMidi === undefined) return { unityNote: SMPL_NO_ROOT_UNITY_NOTE, fraction: 0 };
  const semis = rootCents / 100;
  const below = semis < 0 && rootMidi > 0 ? 1 : 0;
  const fraction = below ? 1 + semis : Math.max(0, semis);
  // 2^32 * fraction, kept below 2^32 (a fraction just under 1 must not wrap to 0).
  return { unityNote: rootMidi - below, fraction: Math.min(0xffffffff, Math.round(fraction * 2 ** 32)) };
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;

class ByteWriter {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  id(s: string): void {
    for (let i = 0; i < 4; i++) this.bytes[this.pos + i] = s.charCodeAt(i);
    this.pos += 4;
  }
  u16(v: number): void {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
}

function validate(audio: PlanarAudio, o: WavWriteOptions, n: number): void {
  const nc = audio.channels.length;
  if (nc < 1 || nc > 2) throw new ParameterError(`WAV output must be mono or stereo, got ${nc} channels`);
  if (![16, 24, 32].includes(o.bitDepth))
    throw new ParameterError(`bitDepth must be 16, 24 or 32, got: ${o.bitDepth}`);
  if (!Number.isInteger(audio.sampleRate) || audio.sampleRate < 1)
    throw new ParameterError(`sampleRate must be a positive integer, got: ${audio.sampleRate}`);
  for (const ch of audio.channels) {
    if (ch.length !== n) throw new ParameterError(`channels differ in length: ${ch.length} vs ${n}`);
    const bad = n > 0 ? sampleStats(ch).firstNonFinite : -1;
    if (bad >= 0) throw new ParameterError(`sample ${bad} is ${ch[bad]}: cannot write NaN/Inf`);
  }
  if (o.loop) {
    const { start, end } = o.loop;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > n) {
      throw new ParameterError(
        `loop must satisfy 0 <= start < end <= ${n} (frames), got: [${start}, ${end})`,
      );
    }
  }
  if (o.rootMidi !== undefined && !(Number.isInteger(o.rootMidi) && o.rootMidi >= 0 && o.rootMidi <= 127)) {
    throw new ParameterError(`rootMidi must be an integer in [0, 127], got: ${o.rootMidi}`);
  }
  if (o.rootCents !== undefined) {
    if (!(o.rootCents >= -50 && o.rootCents <= 50)) {
      throw new ParameterError(`rootCents must be in [-50, 50], got: ${o.rootCents}`);
    }
    if (o.rootMidi === undefined)
      throw new ParameterError("rootCents needs rootMidi (cents from which note?)");
  }
}

/**
 * Encode planar audio as a RIFF WAVE file: 16-bit (optionally TPDF-dithered) or 24-bit PCM, or 32-bit float,
 * with an optional `smpl` chunk (loop points, root note and fine tune). Integer samples are x * 2^(bits-1)
 * rounded and clipped, so a file read back with patina's decoder gives the same integers.
 */
export function encodeWav(audio: PlanarAudio, options: WavWriteOptions): Uint8Array {
  const n = frameCount(audio);
  validate(audio, options, n);
  const nc = audio.channels.length;
  const bits = options.bitDepth;
  const bps = bits / 8;
  const isFloat = bits === 32;
  const dataBytes = n * nc * bps;
  const pad = dataBytes & 1;
  const hasSmpl = options.loop !== undefined || options.rootMidi !== undefined;
  const smplBytes = hasSmpl ? 8 + 36 + (options.loop ? 24 : 0) : 0;
  const factBytes = isFloat ? 12 : 0;
  // Non-PCM formats (float) carry the 2-byte cbSize extension in fmt; sox warns without it.
  const fmtBytes = isFloat ? 18 : 16;
  const total = 12 + 8 + fmtBytes + factBytes + smplBytes + 8 + dataBytes + pad;
  if (total - 8 > 0xffffffff)
    throw new ParameterError(`WAV would be ${total} bytes, over the 4 GiB RIFF limit`);
  const w = new ByteWriter(total);
  w.id("RIFF");
  w.u32(total - 8);
  w.id("WAVE");
  w.id("fmt ");
  w.u32(fmtBytes);
  w.u16(isFloat ? FORMAT_FLOAT : FORMAT_PCM);
  w.u16(nc);
  w.u32(audio.sampleRate);
  w.u32(audio.sampleRate * nc * bps);
  w.u16(nc * bps);
  w.u16(bits);
  if (isFloat) {
    w.u16(0); // cbSize
    w.id("fact");
    w.u32(4);
    w.u32(n);
  }
  if (hasSmpl) {
    w.id("smpl");
    w.u32(smplBytes - 8);
    w.u32(0); // manufacturer
    w.u32(0); // product
    w.u32(Math.round(1e9 / audio.sampleRate)); // sample period, ns
    const pitch = smplPitch(options.rootMidi, options.rootCents);
    w.u32(pitch.unityNote);
    w.u32(pitch.fraction);
    w.u32(0); // SMPTE format
    w.u32(0); // SMPTE offset
    w.u32(options.loop ? 1 : 0);
    w.u32(0); // sampler data
    if (options.loop) {
      w.u32(0); // cue point id
      w.u32(0); // forward loop
      w.u32(options.loop.start);
      w.u32(options.loop.end - 1); // inclusive
      w.u32(0); // fraction
      w.u32(0); // play count: infinite
    }
  }
  w.id("data");
  w.u32(dataBytes);
  const v = w.view;
  let p = w.pos;
  const chans = audio.channels;
  if (isFloat) {
    for (let i = 0; i < n; i++) for (let c = 0; c < nc; c++, p += 4) v.setFloat32(p, chans[c][i], true);
  } else {
    const rng = options.dither && bits === 16 ? new Rng(options.dither.seed) : null;
    if (bits === 24) pack24Into(chans, w.bytes, p);
    else pack16(chans, w.bytes, p, rng);
  }
  return w.bytes;
}

/** Interleaved 16-bit integers x * 2^15 (+ TPDF dither of +-1 LSB when `rng`), rounded and clipped. */
function pack16(chans: readonly Float32Array[], b: Uint8Array, at: number, rng: Rng | null): void {
  const nc = chans.length;
  const n = chans[0].length;
  let p = at;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nc; c++, p += 2) {
      let v = chans[c][i] * 32768;
      if (rng) v += rng.next() - rng.next();
      v = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      const q = Math.floor(v + 0.5) | 0;
      b[p] = q;
      b[p + 1] = q >> 8;
    }
  }
}

/** Encode and write a WAV atomically (temporary sibling, fsync, rename). */
export async function writeWav(path: string, audio: PlanarAudio, options: WavWriteOptions): Promise<void> {
  await writeFileAtomic(path, encodeWav(audio, options));
}
