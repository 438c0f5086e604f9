/**
 * What the page shows, as plain data: one card record per saved texture (sent to the page as
 * columns, see page-data.ts, so the browser builds only the cards on screen) and the batch summary.
 * Pure: no file system here.
 */
import type { Brightness, Grade, ManifestRow, TextureCategory } from "../core/manifest.js";
import type { PageData } from "./page-data.js";

export const CATEGORY_ORDER: readonly TextureCategory[] = ["pads", "swells", "clouds", "hiss"];
export const BRIGHTNESS_ORDER: readonly Brightness[] = ["dark", "mid", "bright", "silent"];
/** Grades best first. "C" comes with the quality score (issue 15); listed so the page knows its place. */
export const GRADE_ORDER: readonly string[] = ["A", "B", "C", "F"];

/** One texture on the page, as build code and tests see it (the page gets them as columns: page-data.ts). */
export interface CardData {
  /** Manifest file name relative to the export folder (forward slashes): also the selection key. */
  readonly file: string;
  readonly source: string;
  readonly category: TextureCategory;
  /** Texture type (pad, loop, swell, ...). */
  readonly type: string;
  readonly durationSec: number;
  readonly brightness: Brightness;
  /** Spectral centroid, Hz (null when not a number). */
  readonly centroidHz: number | null;
  /** Key, e.g. "A minor". */
  readonly key: string | null;
  /** Root note, MIDI number. */
  readonly rootMidi: number | null;
  /** How sure the pitch tracker is of the root, 0-1 (manifest column root_confidence, when present). */
  readonly rootConfidence: number | null;
  /** Root's offset from the tempered note, cents (manifest column root_cents, when present). */
  readonly rootCents: number | null;
  /** Loop seam click score, dB. */
  readonly seamDb: number | null;
  readonly grade: Grade;
  /** Why that grade. */
  readonly gradeReason: string;
  /** Quality score 0-100 (manifest column score, when present). */
  readonly score: number | null;
  /** Plays as a loop. */
  readonly loop: boolean;
  /** Inner loop points in seconds, when the sample rate is known and they are not the whole file. */
  readonly loopStartSec: number | null;
  readonly loopEndSec: number | null;
  /** The loop covers the whole file (an <audio loop> element loops it exactly). */
  readonly wholeLoop: boolean;
  /** A waveform image exists at imagePath(file, "wave") (false when the WAV could not be read). */
  readonly waveform: boolean;
  /** A spectrogram image exists at imagePath(file, "spec") (pads and clouds). */
  readonly spectrogram: boolean;
}

/** Manifest columns newer than the report's reader may know (added by other work): read when present. */
export interface RowExtras {
  readonly score: number | null;
  readonly rootConfidence: number | null;
  readonly rootCents: number | null;
}

export const NO_EXTRAS: RowExtras = { score: null, rootConfidence: null, rootCents: null };

const finiteNumber = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** The newer columns of a row (null in a manifest written before they existed). */
export function rowExtras(row: ManifestRow): RowExtras {
  return {
    score: finiteNumber(row.score),
    rootConfidence: finiteNumber(row.root_confidence),
    rootCents: finiteNumber(row.root_cents),
  };
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
  readonly generatedAt: string;
  /** Number of cards and of sources (for the header; the cards themselves are in `data`). */
  readonly textures: number;
  readonly sources: number;
  /** What the page's script reads: the cards as columns, the map, the stored choices. */
  readonly data: PageData;
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

/** Folder (inside the export folder) holding the rendered images and their cache. */
export const REPORT_ASSETS_DIR = ".report";

/** `.report/<file without extension>.<kind>.png`: where the build draws a texture's images. */
export function imagePath(file: string, kind: "wave" | "spec"): string {
  return `${REPORT_ASSETS_DIR}/${file.replace(/\.[^./]*$/, "")}.${kind}.png`;
}

/** One card from a saved manifest row, the facts read from its WAV and which images it has. */
export function cardFor(
  row: ManifestRow,
  facts: AudioFacts | null,
  images: { readonly waveform: boolean; readonly spectrogram: boolean },
  extras: RowExtras = NO_EXTRAS,
): CardData {
  const sr = facts?.sampleRate ?? null;
  const hasPoints =
    row.loop && row.loop_start !== null && row.loop_end !== null && row.loop_end > row.loop_start;
  // Texture loop ends are exclusive (src/textures/types.ts); one sample of slack accepts inclusive ends too.
  const whole =
    row.loop && (!hasPoints || (facts !== null && row.loop_start! <= 0 && row.loop_end! >= facts.frames - 1));
  const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
  const inner = hasPoints && sr !== null && !whole;
  return {
    file: row.file,
    source: row.source,
    category: row.category,
    type: row.type,
    durationSec: Number.isFinite(row.duration_sec) ? round(row.duration_sec, 2) : 0,
    brightness: row.brightness,
    centroidHz: Number.isFinite(row.centroid_hz) ? Math.round(row.centroid_hz) : null,
    key: row.key,
    rootMidi: row.root_midi !== null && Number.isFinite(row.root_midi) ? Math.round(row.root_midi) : null,
    rootConfidence: extras.rootConfidence === null ? null : round(extras.rootConfidence, 2),
    rootCents: extras.rootCents === null ? null : Math.round(extras.rootCents),
    seamDb: finiteOrNull(row.loop_seam_db) === null ? null : round(row.loop_seam_db!, 1),
    grade: row.grade,
    gradeReason: row.grade_reason,
    score: extras.score === null ? null : Math.round(Math.max(0, Math.min(100, extras.score))),
    loop: row.loop,
    loopStartSec: inner ? round(row.loop_start! / sr, 5) : null,
    loopEndSec: inner ? round(row.loop_end! / sr, 5) : null,
    wholeLoop: whole,
    waveform: images.waveform,
    spectrogram: images.spectrogram,
  };
}

/** Cards in the page's default order: source, then category (pads, swells, clouds, hiss), then name. */
export function sortCards(cards: CardData[]): CardData[] {
  const cat = (c: TextureCategory): number => CATEGORY_ORDER.indexOf(c);
  const name = (c: CardData): string => c.file.slice(c.file.lastIndexOf("/") + 1);
  // Collators, not localeCompare: 50,000 cards take about a million comparisons.
  const bySource = new Intl.Collator("en");
  const collator = new Intl.Collator("en", { numeric: true });
  return cards.sort(
    (a, b) =>
      bySource.compare(a.source, b.source) ||
      cat(a.category) - cat(b.category) ||
      collator.compare(name(a), name(b)) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
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
