/** patina's audio I/O: the only part of patina that touches the file system. */
export { cleanStaleTemps, writeFileAtomic } from "./atomic.js";
export { DEFAULT_CHUNK_FRAMES, decodeFile, decodeRegion, openAudio } from "./decode.js";
export { safeJoin, safeName } from "./names.js";
export { probe } from "./probe.js";
export { AUDIO_EXTENSIONS, isAudioPath } from "./sniff.js";
export type { AudioChunk, AudioInfo, AudioStream, Container, DecodedAudio, DecodeOptions } from "./types.js";
export { encodeWav, type WavWriteOptions, writeWav } from "./wav-writer.js";
