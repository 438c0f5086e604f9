/**
 * What the page shows, as plain data: one compact card record per saved texture (embedded in the
 * page as JSON so the browser builds cards from data, not from 5,000 pre-rendered DOM nodes) and
 * the batch summary. Pure: no file system here.
 */
import type { ManifestRow, TextureCategory } from "../core/manifest.js";

export const CATEGORY_ORDER: readonly TextureCategory[] = ["pads", "swells", "clouds", "hiss"];

/** Card record as embedded in the page (short keys keep 5,000 of them small). */
export interface CardData {
  /** WAV URL relative to the page. */
  readonly f: string;
  /** File name without folders. */
  readonly n: string;
  /** Source track. */
  readonly s: string;
  /** Category. */
  readonly c: TextureCategory;
  /** Texture type (pad, loop, swell, ...). */
  readonly t: string;
  /** Duration, s. */
  readonly d: number;
  /** Brightness label. */
  readonly b: string;
  /** Spectral centroid, Hz (null when not a number). */
  readonly hz: number | null;
  /** Key, e.g. "A minor". */
  readonly k: string | null;
  /** Root note name with MIDI number, e.g. "A2 (45)". */
  readonly r: string | null;
  /** Loop seam click score, dB. */
  readonly sd: number | null;
  readonly g: string;
  /** Why that grade. */
  readonly gr: string;
  /** Plays as a loop. */
  readonly l: boolean;
  /** Loop start/end in seconds, when the sample rate is known. */
  readonly ls: number | null;
  readonly le: number | null;
  /** The loop covers the whole file (an <audio loop> element loops it exactly). */
  readonly w: boolean;
  /** Waveform image URL, null when the WAV could not be read. */
  readonly wi: string | null;
  /** Spectrogram image URL (pads and clouds). */
  readonly si: string | null;
}

/** Facts about one WAV the renderer read (also cached between runs). */
export interface AudioFacts {
  readonly sampleRate: number;
  readonly frames: number;
}

export interface BatchSummary {
  readonly timestamp: string | null;
  readonly total: number;
  readonly successful: number;
  readonly failed: number;
  readonly skipped: number;
  /** Wall time of the batch, s, when the file records it. */
  readonly wallSec: number | null;
  /** Sum of the tracks' own times, s. */
  readonly trackSec: number;
  readonly perCategory: Readonly<
    Record<"pads" | "swells" | "clouds" | "hiss_loops" | "hiss_flickers", number>
  >;
  readonly failures: readonly { readonly track: string; readonly error: string }[];
}

export interface ReportModel {
  readonly title: string;
  /** Pixel sizes of the rendered images (the page reserves their space before they load). */
  readonly images: {
    readonly waveform: { readonly width: number; readonly height: number };
    readonly spectrogram: { readonly width: number; readonly height: number };
  };
  readonly generatedAt: string;
  readonly cards: readonly CardData[];
  readonly batch: BatchSummary | null;
  /** Problems worth showing on the page (missing WAVs, unreadable files). */
  readonly warnings: readonly string[];
}

const NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** MIDI note number to a name like "A4" (MIDI 69). */
export function midiName(midi: number): string {
  const m = Math.round(midi);
  return `${NOTE_NAMES[((m % 12) + 12) % 12]}${Math.floor(m / 12) - 1}`;
}

/** Encode each path segment for use as a relative URL (names may hold '#', '?', '%', spaces). */
export function relUrl(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** One card from a saved manifest row, the facts read from its WAV and its image paths. */
export function cardFor(
  row: ManifestRow,
  facts: AudioFacts | null,
  images: { waveform: string | null; spectrogram: string | null },
): CardData {
  const name = row.file.split("/").at(-1) ?? row.file;
  const sr = facts?.sampleRate ?? null;
  const hasPoints =
    row.loop && row.loop_start !== null && row.loop_end !== null && row.loop_end > row.loop_start;
  // Texture loop ends are exclusive (src/textures/types.ts); one sample of slack accepts inclusive ends too.
  const whole =
    row.loop && (!hasPoints || (facts !== null && row.loop_start! <= 0 && row.loop_end! >= facts.frames - 1));
  const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    f: relUrl(row.file),
    n: name,
    s: row.source,
    c: row.category,
    t: row.type,
    d: Number.isFinite(row.duration_sec) ? round(row.duration_sec, 3) : 0,
    b: row.brightness,
    hz: Number.isFinite(row.centroid_hz) ? Math.round(row.centroid_hz) : null,
    k: row.key,
    r:
      row.root_midi !== null && Number.isFinite(row.root_midi)
        ? `${midiName(row.root_midi)} (${row.root_midi})`
        : null,
    sd: finiteOrNull(row.loop_seam_db) === null ? null : round(row.loop_seam_db!, 1),
    g: row.grade,
    gr: row.grade_reason,
    l: row.loop,
    ls: hasPoints && sr ? row.loop_start! / sr : null,
    le: hasPoints && sr ? row.loop_end! / sr : null,
    w: whole,
    wi: images.waveform === null ? null : relUrl(images.waveform),
    si: images.spectrogram === null ? null : relUrl(images.spectrogram),
  };
}

/** Cards in the page's default order: source, then category (pads, swells, clouds, hiss), then name. */
export function sortCards(cards: CardData[]): CardData[] {
  const cat = (c: TextureCategory): number => CATEGORY_ORDER.indexOf(c);
  return cards.sort(
    (a, b) =>
      a.s.localeCompare(b.s, "en") || cat(a.c) - cat(b.c) || a.n.localeCompare(b.n, "en", { numeric: true }),
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const numberOr = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);

/**
 * Read batch_results.json content (issue 5's format: {timestamp, total, successful, failed,
 * skipped, config_hash, results: [{rel_path, track_slug, success, skipped, elapsed_sec, stats}]})
 * leniently: a missing field counts as zero. Returns null when it is not that kind of object.
 */
export function summariseBatch(json: unknown): BatchSummary | null {
  if (!isRecord(json) || !Array.isArray(json.results)) return null;
  const results = json.results.filter(isRecord);
  const perCategory = { pads: 0, swells: 0, clouds: 0, hiss_loops: 0, hiss_flickers: 0 };
  const failures: { track: string; error: string }[] = [];
  let trackSec = 0;
  for (const r of results) {
    const stats = isRecord(r.stats) ? r.stats : {};
    for (const k of Object.keys(perCategory) as (keyof typeof perCategory)[]) {
      perCategory[k] += numberOr(stats[k], 0);
    }
    trackSec += numberOr(r.elapsed_sec, 0);
    if (r.success === false) {
      const track = String(r.rel_path ?? r.track_slug ?? r.id ?? "?");
      const error = typeof stats.error === "string" && stats.error !== "" ? stats.error : "unknown error";
      failures.push({ track, error });
    }
  }
  const wall = [json.wall_time_sec, json.wall_sec, json.elapsed_sec].find(
    (v) => typeof v === "number" && Number.isFinite(v),
  );
  return {
    timestamp: typeof json.timestamp === "string" ? json.timestamp : null,
    total: numberOr(json.total, results.length),
    successful: numberOr(json.successful, results.filter((r) => r.success === true).length),
    failed: numberOr(json.failed, failures.length),
    skipped: numberOr(json.skipped, results.filter((r) => r.skipped === true).length),
    wallSec: typeof wall === "number" ? wall : null,
    trackSec,
    perCategory,
    failures,
  };
}
