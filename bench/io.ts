/**
 * Audio I/O throughput on 5 minutes of 44.1 kHz stereo (48 kHz for the resampler input): decoding WAV
 * 16/24-bit, WAV float, FLAC and MP3 (these two only when Debian's `flac`/`lame` exist to make the files),
 * resampling 48 -> 44.1 kHz, writing 24-bit WAV. Figures are x real time on one core, except the region
 * figures: milliseconds for 20 reads of 3 s spread over the file (FLAC with and without a seektable,
 * VBR and CBR MP3).
 *
 * Run alone: `node --import tsx bench/io.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Resampler } from "../src/dsp/resample.js";
import { Rng } from "../src/dsp/rng.js";
import { decodeFile, decodeRegion, encodeWav, openAudio, writeWav } from "../src/io/index.js";

const SECONDS = 300;

function signal(rate: number, seed: number): Float32Array[] {
  const n = SECONDS * rate;
  const rng = new Rng(seed);
  return [0, 1].map((c) => {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++)
      x[i] = 0.3 * Math.sin((2 * Math.PI * (220 + 110 * c) * i) / rate) + 0.05 * (rng.next() - 0.5);
    return x;
  });
}

const hasTool = (name: string): boolean => {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/**
 * 20 region reads of 3 s spread evenly over the file (what the make pipeline does after analysis):
 * total milliseconds.
 */
async function regionReadsMs(path: string, opts: { sampleRate?: number } = {}): Promise<number> {
  const rate = opts.sampleRate ?? 44100;
  const len = 3 * rate;
  const total = SECONDS * rate;
  const t = performance.now();
  for (let i = 0; i < 20; i++) {
    const start = Math.floor(((total - len) * i) / 19);
    await decodeRegion(path, start, start + len, opts);
  }
  return Math.round(performance.now() - t);
}

/** Decode by streaming (what the analysis pass does); x real time. */
async function streamSpeed(path: string, opts: { sampleRate?: number } = {}): Promise<number> {
  const t = performance.now();
  let frames = 0;
  const s = await openAudio(path, opts);
  for await (const c of s) frames += c.channels[0].length;
  const sec = (performance.now() - t) / 1000;
  return Math.round(frames / s.sampleRate / sec);
}

export async function benchIo(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "patina-bench-io-"));
  const out: Record<string, number> = {};
  try {
    const audio = { sampleRate: 44100, channels: signal(44100, 1) };
    const w16 = join(dir, "s16.wav");
    const w24 = join(dir, "s24.wav");
    const w32 = join(dir, "f32.wav");
    let t = performance.now();
    await writeWav(w24, audio, { bitDepth: 24 });
    out.write_wav24_x_realtime = Math.round(SECONDS / ((performance.now() - t) / 1000));
    t = performance.now();
    encodeWav(audio, { bitDepth: 16, dither: { seed: 1 } });
    out.encode_wav16_dither_x_realtime = Math.round(SECONDS / ((performance.now() - t) / 1000));
    await writeWav(w16, audio, { bitDepth: 16 });
    await writeWav(w32, audio, { bitDepth: 32 });
    out.decode_wav16_x_realtime = await streamSpeed(w16);
    out.decode_wav24_x_realtime = await streamSpeed(w24);
    out.decode_wavf32_x_realtime = await streamSpeed(w32);
    t = performance.now();
    await decodeFile(w16);
    out.decode_file_wav16_x_realtime = Math.round(SECONDS / ((performance.now() - t) / 1000));

    if (hasTool("flac")) {
      const fl = join(dir, "a.flac");
      execFileSync("flac", ["-s", "-f", "-o", fl, w16]);
      out.decode_flac16_x_realtime = await streamSpeed(fl);
      out.flac_20_regions_3s_ms = await regionReadsMs(fl);
      const flNoSeek = join(dir, "noseek.flac");
      execFileSync("flac", ["-s", "-f", "--no-seektable", "-o", flNoSeek, w16]);
      out.flac_no_seektable_20_regions_3s_ms = await regionReadsMs(flNoSeek);
    }
    if (hasTool("lame")) {
      const mp = join(dir, "a.mp3");
      execFileSync("lame", ["--quiet", "-V", "2", w16, mp]);
      out.decode_mp3_x_realtime = await streamSpeed(mp);
      out.mp3_vbr_20_regions_3s_ms = await regionReadsMs(mp);
      const cbr = join(dir, "cbr.mp3");
      execFileSync("lame", ["--quiet", "-b", "192", w16, cbr]);
      out.mp3_cbr_20_regions_3s_ms = await regionReadsMs(cbr);
    }

    // Resampler alone: 5 min stereo 48 kHz -> 44.1 kHz, in 65536-frame blocks like the decoder feeds it.
    const src = signal(48000, 2);
    t = performance.now();
    for (const ch of src) {
      const rs = new Resampler(48000, 44100);
      for (let p = 0; p < ch.length; p += 65536) rs.process(ch.subarray(p, p + 65536));
      rs.flush();
    }
    out.resample_48k_to_44k1_stereo_x_realtime = Math.round(SECONDS / ((performance.now() - t) / 1000));
    const w48 = join(dir, "s24_48k.wav");
    await writeWav(w48, { sampleRate: 48000, channels: src }, { bitDepth: 24 });
    out.decode_wav24_48k_resampled_44k1_x_realtime = await streamSpeed(w48, { sampleRate: 44100 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchIo();
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${v}`);
}
