import { DecodeError } from "../core/errors.js";
import type { RandomAccessFile } from "./file.js";
import { findFirstFrame, id3v2Size } from "./mp3-header.js";
import type { Container } from "./types.js";

/** What the magic bytes say: the container and where its own data starts (after any ID3v2 tag). */
export interface Sniffed {
  readonly container: Container;
  /** "RIFF", "RF64", "BW64", "AIFF", "AIFC", "fLaC" or "MPEG". */
  readonly variant: string;
  /** Byte offset of the container's first byte (FLAC "fLaC", first MP3 frame); 0 for WAV/AIFF. */
  readonly audioOffset: number;
}

/** File extensions patina treats as audio (matched case-insensitively). */
export const AUDIO_EXTENSIONS: readonly string[] = [
  ".wav",
  ".wave",
  ".aif",
  ".aiff",
  ".aifc",
  ".flac",
  ".mp3",
];

/** True when the path's extension (any case) is one patina reads. A hint only: content decides. */
export function isAudioPath(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot >= 0 && AUDIO_EXTENSIONS.includes(path.slice(dot).toLowerCase());
}

const ascii = (b: Uint8Array, p: number, n: number): string =>
  p + n <= b.length ? String.fromCharCode(...b.subarray(p, p + n)) : "";

/** Detect the container from magic bytes in `head` (the file's first bytes). Null if unknown. */
export function sniffBytes(head: Uint8Array): Omit<Sniffed, "audioOffset"> | null {
  const id = ascii(head, 0, 4);
  if ((id === "RIFF" || id === "RF64" || id === "BW64") && ascii(head, 8, 4) === "WAVE") {
    return { container: "wav", variant: id };
  }
  if (id === "FORM") {
    const t = ascii(head, 8, 4);
    if (t === "AIFF" || t === "AIFC") return { container: "aiff", variant: t };
  }
  if (id === "fLaC") return { container: "flac", variant: "fLaC" };
  return null;
}

const MP3_SCAN = 16384;

/** Detect the container of an open file from its content; DecodeError("not-audio") if it is none. */
export async function sniffFile(file: RandomAccessFile): Promise<Sniffed> {
  let head = await file.readAt(0, 4096);
  if (head.length === 0) throw new DecodeError("zero-length", "file is empty", { path: file.path });
  const direct = sniffBytes(head);
  if (direct) return { ...direct, audioOffset: 0 };
  // Skip ID3v2 tags (there may be several, and a picture can make them megabytes long).
  let offset = 0;
  for (let guard = 0; guard < 8; guard++) {
    const n = id3v2Size(head, 0);
    if (n === 0) break;
    offset += n;
    head = await file.readAt(offset, MP3_SCAN + 4096);
  }
  if (offset > 0 && ascii(head, 0, 4) === "fLaC")
    return { container: "flac", variant: "fLaC", audioOffset: offset };
  if (offset === 0) head = await file.readAt(0, MP3_SCAN + 4096);
  const p = findFirstFrame(head, 0, MP3_SCAN);
  if (p >= 0) return { container: "mp3", variant: "MPEG", audioOffset: offset + p };
  if (offset > 0 && offset >= file.size) {
    throw new DecodeError("truncated", `file ends inside its ${offset}-byte ID3v2 tag`, { path: file.path });
  }
  throw new DecodeError("not-audio", "not a WAV, AIFF, FLAC or MP3 file (unrecognised content)", {
    path: file.path,
  });
}
