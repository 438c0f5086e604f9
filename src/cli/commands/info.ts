/**
 * `patina info FILE... [--decode] [--json]`: what the probe reads from each file's headers (like
 * soxi) and, with --decode, the levels of the fully decoded audio. A failing file is reported with
 * its error and the others still are; the exit code is 1 when any failed.
 */
import { isAbsolute, resolve } from "node:path";
import type { PlanarAudio } from "../../core/audio.js";
import { PatinaError } from "../../core/errors.js";
import { openAudio, probe } from "../../io/index.js";
import { type CommandContext, EXIT } from "../context.js";
import type { InfoFlags } from "../spec.js";

/** One file's report; the JSON output is an array of these. Levels are null for silence (-inf dB). */
export interface InfoRecord {
  path: string;
  ok: boolean;
  error: string | null;
  container: string | null;
  codec: string | null;
  sample_rate: number | null;
  channels: number | null;
  bit_depth: number | null;
  duration_sec: number | null;
  size_bytes: number | null;
  warnings: string[];
  peak_dbfs?: number | null;
  rms_dbfs?: number | null;
  dc_offset?: number | null;
  decoded_duration_sec?: number | null;
}

export interface Levels {
  /** Highest absolute sample over all channels (dBFS); -Infinity for digital silence. */
  readonly peakDbfs: number;
  /** RMS over all channels' samples (dBFS); -Infinity for digital silence. */
  readonly rmsDbfs: number;
  /** The channel mean with the largest magnitude (sign kept), so opposite offsets do not cancel. */
  readonly dcOffset: number;
  readonly durationSec: number;
}

const toDb = (amp: number): number => (amp > 0 ? 20 * Math.log10(amp) : Number.NEGATIVE_INFINITY);

/** Accumulates levels chunk by chunk, so `info --decode` never holds a whole file. */
class LevelMeter {
  private peak = 0;
  private frames = 0;
  private readonly sums: number[] = [];
  private readonly squares: number[] = [];

  add(channels: readonly Float32Array[]): void {
    channels.forEach((ch, c) => {
      let s = 0;
      let q = 0;
      let p = this.peak;
      for (let i = 0; i < ch.length; i++) {
        const v = ch[i];
        s += v;
        q += v * v;
        const a = v < 0 ? -v : v;
        if (a > p) p = a;
      }
      this.peak = p;
      this.sums[c] = (this.sums[c] ?? 0) + s;
      this.squares[c] = (this.squares[c] ?? 0) + q;
    });
    this.frames += channels[0]?.length ?? 0;
  }

  levels(sampleRate: number): Levels {
    const n = this.frames;
    let dc = 0;
    let meanSquare = 0;
    for (let c = 0; c < this.sums.length; c++) {
      const offset = n > 0 ? this.sums[c] / n : 0;
      if (Math.abs(offset) > Math.abs(dc)) dc = offset;
      meanSquare += n > 0 ? this.squares[c] / n : 0;
    }
    meanSquare = this.sums.length > 0 ? meanSquare / this.sums.length : 0;
    return {
      peakDbfs: toDb(this.peak),
      rmsDbfs: toDb(Math.sqrt(meanSquare)),
      dcOffset: dc,
      durationSec: n / sampleRate,
    };
  }
}

export function measureLevels(audio: PlanarAudio): Levels {
  const meter = new LevelMeter();
  meter.add(audio.channels);
  return meter.levels(audio.sampleRate);
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

function errorMessage(e: unknown, path: string): string {
  if (e instanceof PatinaError) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return `${path}: ${message}`;
}

async function inspect(path: string, decode: boolean): Promise<InfoRecord> {
  const record: InfoRecord = {
    path,
    ok: false,
    error: null,
    container: null,
    codec: null,
    sample_rate: null,
    channels: null,
    bit_depth: null,
    duration_sec: null,
    size_bytes: null,
    warnings: [],
  };
  if (decode) {
    record.peak_dbfs = null;
    record.rms_dbfs = null;
    record.dc_offset = null;
    record.decoded_duration_sec = null;
  }
  try {
    const info = await probe(path);
    record.container = info.container;
    record.codec = info.codec;
    record.sample_rate = info.sampleRate;
    record.channels = info.channels;
    record.bit_depth = info.bitDepth;
    record.duration_sec = round(info.durationSec, 6);
    record.size_bytes = info.sizeBytes;
    record.warnings = [...info.warnings];
    if (decode) {
      const stream = await openAudio(path);
      const meter = new LevelMeter();
      for await (const chunk of stream) meter.add(chunk.channels);
      const levels = meter.levels(stream.sampleRate);
      const audio = { warnings: stream.warnings };
      record.peak_dbfs = finiteOrNull(round(levels.peakDbfs, 3));
      record.rms_dbfs = finiteOrNull(round(levels.rmsDbfs, 3));
      record.dc_offset = levels.dcOffset;
      record.decoded_duration_sec = round(levels.durationSec, 6);
      record.warnings = [...new Set([...record.warnings, ...audio.warnings])];
    }
    record.ok = true;
  } catch (e) {
    record.error = errorMessage(e, path);
  }
  return record;
}

/** "00:01:05.25" */
function clock(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec - 3600 * h - 60 * m;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${s.toFixed(2).padStart(5, "0")}`;
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)}M`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)}k`;
  return `${bytes}`;
}

const dbText = (db: number | null | undefined): string =>
  db === null || db === undefined ? "-inf" : db.toFixed(2);

export function formatRecord(r: InfoRecord): string[] {
  const rows: [string, string][] = [
    ["Input File", `'${r.path}'`],
    ["Container", r.container ?? "?"],
    ["Codec", r.codec ?? "?"],
    ["Channels", String(r.channels)],
    ["Sample Rate", String(r.sample_rate)],
    ["Bit Depth", r.bit_depth === null ? "n/a (lossy)" : String(r.bit_depth)],
    [
      "Duration",
      r.duration_sec === null || r.sample_rate === null
        ? "?"
        : `${clock(r.duration_sec)} = ${Math.round(r.duration_sec * r.sample_rate)} samples`,
    ],
    ["File Size", r.size_bytes === null ? "?" : sizeText(r.size_bytes)],
  ];
  if (r.decoded_duration_sec !== undefined) {
    rows.push(
      ["Peak", `${dbText(r.peak_dbfs)} dBFS`],
      ["RMS", `${dbText(r.rms_dbfs)} dBFS`],
      ["DC Offset", (r.dc_offset ?? 0).toExponential(2)],
      ["Decoded", r.decoded_duration_sec === null ? "?" : `${r.decoded_duration_sec.toFixed(3)} s`],
    );
  }
  for (const w of r.warnings) rows.push(["Warning", w]);
  return rows.map(([k, v]) => `${k.padEnd(15)}: ${v}`);
}

export default async function info(ctx: CommandContext<InfoFlags>): Promise<number> {
  const files = (ctx.args[0] as string[] | undefined) ?? [];
  const decode = Boolean(ctx.flags.decode);
  const records: InfoRecord[] = [];
  for (const file of files) {
    // Keep the path as typed (errors and output name it that way) unless another cwd was given.
    const target = isAbsolute(file) || ctx.io.cwd === process.cwd() ? file : resolve(ctx.io.cwd, file);
    const record = { ...(await inspect(target, decode)), path: file };
    records.push(record);
    if (!ctx.flags.json) {
      if (record.ok) {
        if (records.length > 1) ctx.out("");
        for (const line of formatRecord(record)) ctx.out(line);
      } else {
        ctx.error(record.error ?? "failed");
      }
    }
  }
  if (ctx.flags.json) ctx.out(JSON.stringify(records, null, 2));
  const failed = records.filter((r) => !r.ok).length;
  if (failed > 0 && !ctx.flags.json) ctx.info(`${failed} of ${records.length} file(s) could not be read`);
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
