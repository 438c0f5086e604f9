/**
 * What a mutant must do when patina reads it (shared by test/io/fuzz.test.ts and scripts/fuzz.ts):
 * probe and decode either succeed with sane audio, or fail with a DecodeError that names the file
 * and says what is wrong in words a musician can act on. The amount of audio decoded must stay
 * proportional to the bytes the file really holds (the deterministic stand-in for "bounded time and
 * memory": hostile headers once turned a 229 KB file into hours of audio).
 */
import { DecodeError, type DecodeErrorReason } from "../../src/core/errors.js";
import { openAudio, probe } from "../../src/io/index.js";
import { AUDIO_LIMITS } from "../../src/io/limits.js";

export interface FuzzOutcome {
  readonly ok: boolean;
  readonly reason: DecodeErrorReason | null;
  readonly message: string;
  /** Frames decoded (0 on failure before any). */
  readonly frames: number;
  readonly warnings: readonly string[];
  /** Contract violations: empty when the outcome is acceptable. */
  readonly problems: string[];
}

/** Frames a byte of any container can decode to, at most, with a margin (FLAC silence, MP3 at 8 kbit/s). */
const FRAMES_PER_BYTE = 64;
/** Damaged FLAC frames become silence of their header's length: allow one largest block on top. */
const FRAMES_SLACK = 65536;

/** Text that only a developer understands has no place in an error a musician reads. */
export const DEVELOPER_TEXT =
  /RuntimeError|TypeError|RangeError|ReferenceError|SyntaxError|Error:|FLAC__|out of bounds|unreachable|Maximum call stack|\bundefined\b|\[object |\bat .*:\d+:\d+/;

const REASONS: readonly string[] = [
  "not-audio",
  "unsupported-codec",
  "truncated",
  "zero-length",
  "non-finite",
  "corrupt",
  "io",
];

/** Probe, then stream-decode the whole file, checking every contract on the way. */
export async function exercise(path: string, sizeBytes: number): Promise<FuzzOutcome> {
  const problems: string[] = [];
  let frames = 0;
  const maxFrames = FRAMES_PER_BYTE * sizeBytes + FRAMES_SLACK;
  try {
    const info = await probe(path);
    const { minChannels, maxChannels, minSampleRate, maxSampleRate } = AUDIO_LIMITS;
    if (info.channels < minChannels || info.channels > maxChannels)
      problems.push(`probe accepted ${info.channels} channels`);
    if (info.sampleRate < minSampleRate || info.sampleRate > maxSampleRate)
      problems.push(`probe accepted ${info.sampleRate} Hz`);
    const stream = await openAudio(path, { chunkFrames: "any" });
    let peak = 0;
    for await (const chunk of stream) {
      if (chunk.channels.length !== info.channels)
        problems.push(`chunk of ${chunk.channels.length} channels, header says ${info.channels}`);
      for (const ch of chunk.channels) {
        for (let i = 0; i < ch.length; i++) {
          const v = Math.abs(ch[i]);
          if (!(v <= 3.5e38)) problems.push(`non-finite sample ${ch[i]} passed`);
          if (v > peak) peak = v;
        }
      }
      frames += chunk.channels[0].length;
      if (frames > maxFrames) {
        problems.push(`decoded over ${maxFrames} frames from ${sizeBytes} bytes`);
        await stream.close();
        break;
      }
    }
    const warned = stream.warnings.some((w) => w.includes("over full scale"));
    for (const w of stream.warnings)
      if (DEVELOPER_TEXT.test(w)) problems.push(`developer text in warning "${w}"`);
    if (peak > AUDIO_LIMITS.maxFloatPeak && !warned) problems.push(`peak ${peak} passed without a warning`);
    return { ok: true, reason: null, message: "", frames, warnings: [...stream.warnings], problems };
  } catch (e) {
    if (!(e instanceof DecodeError)) {
      const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      problems.push(`untyped error ${text}`);
      return { ok: false, reason: null, message: text, frames, warnings: [], problems };
    }
    if (!REASONS.includes(e.reason)) problems.push(`unknown reason ${e.reason}`);
    if (e.path !== path || !e.message.startsWith(`${path}: `)) problems.push("error does not name the file");
    const said = e.message.slice(path.length + 2);
    if (DEVELOPER_TEXT.test(said)) problems.push(`developer text in "${said}"`);
    return { ok: false, reason: e.reason, message: said, frames, warnings: [], problems };
  }
}
