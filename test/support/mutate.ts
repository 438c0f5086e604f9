/**
 * A seeded mutator for the four containers patina reads (WAV, AIFF/AIFF-C, FLAC, MP3), for the fuzz
 * test (test/io/fuzz.test.ts) and `npm run fuzz` (scripts/fuzz.ts). Mutants start from the real
 * fixtures in test/fixtures/audio and are damaged the ways files really are, and the ways a hostile
 * file would be: header fields set to extreme values (channels, rates, lengths, chunk sizes), bit
 * flips, random bytes over a range, cuts, spliced and deleted ranges. The same seed gives the same
 * mutants, so any failure can be made again from its seed and index.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/dsp/rng.js";

export type SeedContainer = "wav" | "aiff" | "flac" | "mp3";

export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/audio/", import.meta.url));

/** The fixtures mutants start from, per container (one of every layout the decoders handle). */
export const SEED_FILES: Readonly<Record<SeedContainer, readonly string[]>> = {
  wav: [
    "wav_s16.wav",
    "wav_f32.wav",
    "wav_f64.wav",
    "wav_u8.wav",
    "wav_extensible_s24.wav",
    "wav_rf64_s16.wav",
    "wav_6ch_s16.wav",
    "wav_odd_chunk.WAV",
  ],
  aiff: ["aiff_s16.aiff", "aiff_s24.aif", "aifc_fl32.aifc", "aifc_fl64.aifc", "aifc_sowt.aifc"],
  flac: ["flac_44_16.Flac", "flac_48_24.flac", "seek_noise_8k.flac"],
  mp3: ["mp3_cbr_stereo.mp3", "mp3_vbr_mono.mp3", "mp3_id3_picture.mp3", "mp3_long_mpeg2.mp3"],
};

export interface Mutant {
  /** File name for the mutant: `<index>_<seed file>` with the seed's extension. */
  readonly name: string;
  readonly container: SeedContainer;
  readonly seedFile: string;
  readonly bytes: Uint8Array;
  /** What was done, e.g. ["field COMM.channels = 65535", "cut at 1200"]. */
  readonly steps: readonly string[];
}

/** A header field: where it is and how wide (bytes), and its byte order. */
interface Field {
  readonly name: string;
  readonly at: number;
  readonly size: 1 | 2 | 4;
  readonly bigEndian: boolean;
}

const cache = new Map<string, Uint8Array>();
function seedBytes(name: string): Uint8Array {
  let b = cache.get(name);
  if (!b) {
    b = new Uint8Array(readFileSync(join(FIXTURE_DIR, name)));
    cache.set(name, b);
  }
  return b;
}

function indexOfAscii(b: Uint8Array, text: string, from = 0): number {
  const codes = [...text].map((c) => c.charCodeAt(0));
  outer: for (let i = from; i + codes.length <= b.length; i++) {
    for (let k = 0; k < codes.length; k++) if (b[i + k] !== codes[k]) continue outer;
    return i;
  }
  return -1;
}

/** The header fields worth attacking in a file of this container (found in its bytes). */
function fieldsOf(container: SeedContainer, b: Uint8Array): Field[] {
  const out: Field[] = [];
  const add = (name: string, at: number, size: 1 | 2 | 4, bigEndian: boolean): void => {
    if (at >= 0 && at + size <= b.length) out.push({ name, at, size, bigEndian });
  };
  if (container === "wav") {
    add("RIFF.size", 4, 4, false);
    const fmt = indexOfAscii(b, "fmt ");
    if (fmt >= 0) {
      add("fmt.size", fmt + 4, 4, false);
      add("fmt.tag", fmt + 8, 2, false);
      add("fmt.channels", fmt + 10, 2, false);
      add("fmt.rate", fmt + 12, 4, false);
      add("fmt.byteRate", fmt + 16, 4, false);
      add("fmt.blockAlign", fmt + 20, 2, false);
      add("fmt.bits", fmt + 22, 2, false);
      add("fmt.subformat", fmt + 32, 2, false);
    }
    const data = indexOfAscii(b, "data");
    if (data >= 0) add("data.size", data + 4, 4, false);
    const ds64 = indexOfAscii(b, "ds64");
    if (ds64 >= 0) {
      add("ds64.dataLow", ds64 + 16, 4, false);
      add("ds64.dataHigh", ds64 + 20, 4, false);
    }
  } else if (container === "aiff") {
    add("FORM.size", 4, 4, true);
    const comm = indexOfAscii(b, "COMM");
    if (comm >= 0) {
      add("COMM.size", comm + 4, 4, true);
      add("COMM.channels", comm + 8, 2, true);
      add("COMM.frames", comm + 10, 4, true);
      add("COMM.bits", comm + 14, 2, true);
      add("COMM.rateExponent", comm + 16, 2, true);
      add("COMM.rateMantissa", comm + 18, 4, true);
      add("COMM.compression", comm + 26, 4, true);
    }
    const ssnd = indexOfAscii(b, "SSND");
    if (ssnd >= 0) {
      add("SSND.size", ssnd + 4, 4, true);
      add("SSND.offset", ssnd + 8, 4, true);
    }
  } else if (container === "flac") {
    const s = 8; // STREAMINFO body after "fLaC" and the block header
    add("META.header", 4, 4, true);
    add("STREAMINFO.minBlock", s, 2, true);
    add("STREAMINFO.maxBlock", s + 2, 2, true);
    add("STREAMINFO.maxFrame", s + 7, 4, true);
    add("STREAMINFO.rateChannelsBits", s + 10, 4, true);
    add("STREAMINFO.totalSamples", s + 14, 4, true);
    add("STREAMINFO.bitsTotalHigh", s + 13, 1, true);
    // A few frame headers (sync 0xFFF8/0xFFF9): block size, rate, channels, number.
    let found = 0;
    for (let i = 42; i + 6 < b.length && found < 6; i++) {
      if (b[i] === 0xff && (b[i + 1] & 0xfe) === 0xf8) {
        add(`frame@${i}.codes`, i + 2, 2, true);
        add(`frame@${i}.number`, i + 4, 1, true);
        found++;
        i += 64;
      }
    }
  } else {
    if (indexOfAscii(b, "ID3") === 0) add("ID3.size", 6, 4, true);
    let found = 0;
    for (let i = 0; i + 4 < b.length && found < 4; i++) {
      if (b[i] === 0xff && (b[i + 1] & 0xe0) === 0xe0) {
        add(`frame@${i}.header`, i, 4, true);
        found++;
        i += 100;
      }
    }
    for (const tag of ["Xing", "Info", "VBRI"]) {
      const x = indexOfAscii(b, tag);
      if (x >= 0) {
        add(`${tag}.flags`, x + 4, 4, true);
        add(`${tag}.frames`, x + 8, 4, true);
        add(`${tag}.bytes`, x + 12, 4, true);
      }
    }
    const lame = indexOfAscii(b, "LAME");
    if (lame >= 0) add("LAME.delayPadding", lame + 21, 4, true);
  }
  return out;
}

const EXTREMES = [0, 1, 2, 3, 7, 8, 255, 256, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

function writeField(b: Uint8Array, f: Field, value: number): void {
  const v = value >>> 0;
  for (let k = 0; k < f.size; k++) {
    const shift = 8 * (f.bigEndian ? f.size - 1 - k : k);
    b[f.at + k] = Math.floor(v / 2 ** shift) & 0xff;
  }
}

function readField(b: Uint8Array, f: Field): number {
  let v = 0;
  for (let k = 0; k < f.size; k++) {
    const shift = 8 * (f.bigEndian ? f.size - 1 - k : k);
    v += b[f.at + k] * 2 ** shift;
  }
  return v;
}

type Step = (b: Uint8Array, rng: Rng, container: SeedContainer) => { bytes: Uint8Array; what: string };

/** Where damage lands: mostly the first 4 KB (headers), sometimes anywhere. */
const position = (b: Uint8Array, rng: Rng): number =>
  rng.next() < 0.6 ? rng.int(0, Math.max(0, Math.min(b.length, 4096) - 1)) : rng.int(0, b.length - 1);

const STEPS: readonly Step[] = [
  // A header field set to an extreme or a random value, or scaled.
  (b, rng, container) => {
    const fields = fieldsOf(container, b);
    if (fields.length === 0) return { bytes: b, what: "no field" };
    const f = fields[rng.int(0, fields.length - 1)];
    const old = readField(b, f);
    const r = rng.next();
    const value =
      r < 0.5
        ? EXTREMES[rng.int(0, EXTREMES.length - 1)]
        : r < 0.75
          ? rng.nextUint32()
          : Math.floor(old * [0, 0.5, 2, 16, 1000][rng.int(0, 4)]);
    const out = b.slice();
    writeField(out, f, value);
    return { bytes: out, what: `field ${f.name} = ${value >>> 0}` };
  },
  // Bit flips.
  (b, rng) => {
    const out = b.slice();
    const n = rng.int(1, 8);
    for (let i = 0; i < n; i++) out[position(b, rng)] ^= 1 << rng.int(0, 7);
    return { bytes: out, what: `${n} bit flip(s)` };
  },
  // Random bytes over a range.
  (b, rng) => {
    const out = b.slice();
    const at = position(b, rng);
    const n = Math.min(out.length - at, rng.int(1, 64));
    for (let i = 0; i < n; i++) out[at + i] = rng.int(0, 255);
    return { bytes: out, what: `${n} random byte(s) at ${at}` };
  },
  // Cut short (a crashed recorder, a failed copy).
  (b, rng) => {
    const at = rng.next() < 0.5 ? rng.int(0, Math.min(b.length, 512)) : rng.int(0, b.length);
    return { bytes: b.slice(0, at), what: `cut at ${at}` };
  },
  // A range copied elsewhere (a repeated header, spliced files).
  (b, rng) => {
    const from = position(b, rng);
    const n = Math.min(b.length - from, rng.int(1, 2048));
    const to = rng.int(0, b.length);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, to), 0);
    out.set(b.subarray(from, from + n), to);
    out.set(b.subarray(to), to + n);
    return { bytes: out, what: `${n} byte(s) from ${from} inserted at ${to}` };
  },
  // A range deleted.
  (b, rng) => {
    const at = position(b, rng);
    const n = Math.min(b.length - at, rng.int(1, 512));
    const out = new Uint8Array(b.length - n);
    out.set(b.subarray(0, at), 0);
    out.set(b.subarray(at + n), at);
    return { bytes: out, what: `${n} byte(s) deleted at ${at}` };
  },
];

const CONTAINERS: readonly SeedContainer[] = ["wav", "aiff", "flac", "mp3"];

/**
 * Mutant number `index` of the run seeded `seed`: the four containers in turn, a seed file of that
 * container, then one to three damaging steps (header fields most often).
 */
export function mutant(seed: number, index: number): Mutant {
  const rng = new Rng((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  const container = CONTAINERS[index % CONTAINERS.length];
  const files = SEED_FILES[container];
  const seedFile = files[rng.int(0, files.length - 1)];
  let bytes = seedBytes(seedFile);
  const steps: string[] = [];
  const n = rng.next() < 0.6 ? 1 : rng.int(2, 3);
  for (let i = 0; i < n; i++) {
    // Half of the steps attack a header field: that is where allocations are sized.
    const step = rng.next() < 0.5 ? STEPS[0] : STEPS[rng.int(1, STEPS.length - 1)];
    const r = step(bytes, rng, container);
    bytes = r.bytes;
    steps.push(r.what);
  }
  const dot = seedFile.lastIndexOf(".");
  return {
    name: `${String(index).padStart(5, "0")}_${seedFile.slice(0, dot)}${seedFile.slice(dot)}`,
    container,
    seedFile,
    bytes,
    steps,
  };
}
