/**
 * The data the report page reads, as columns: one array per field with one entry per card, and
 * repeated strings (folders, sources, keys, grade reasons) stored once and referred to by index.
 * At 50,000 cards this is about a fifth of the same cards as objects, and the page parses it in tens
 * of milliseconds. Pure: build.ts fills it, the page's script reads it, `decodeCards` turns it back
 * into cards for tests and tools.
 */
import type { FingerprintFile, SelectionFile } from "../core/export-files.js";
import type { Brightness, Grade, ManifestRow, TextureCategory } from "../core/manifest.js";
import { BRIGHTNESS_ORDER, CATEGORY_ORDER, type CardData, GRADE_ORDER } from "./model.js";
import { componentsFor, pca, project } from "./similar.js";

/** Bits of PageData.flags. */
export const FLAG = { loop: 1, wholeLoop: 2, waveform: 4, spectrogram: 8 } as const;

export interface MapData {
  /** What the map is made of: the timbre fingerprints, or (none in the folder) a few manifest columns. */
  readonly from: "fingerprints" | "features";
  /** Share of the variation the two axes show, 0-1. */
  readonly shown: number;
  /** Per card, 0-1000 across the map (-1: no fingerprint, not on the map). */
  readonly x: number[];
  readonly y: number[];
}

export interface NearData {
  /** Values per card (leading principal components). */
  readonly m: number;
  /** Multiply a stored value of component c by scale[c] to get its coordinate. */
  readonly scale: number[];
  /** Base64 of n x m signed bytes; -128 in a card's first value: no fingerprint. */
  readonly q: string;
}

export interface PageData {
  readonly v: 1;
  /** Names the export folder (a hash of its path): the page keeps its choices in the browser under it. */
  readonly id: string;
  /** Names this build: the page's two data files must carry the same. */
  readonly stamp: string;
  /** Pixel sizes of the rendered images (the page reserves their space before they load). */
  readonly images: {
    readonly waveform: { readonly width: number; readonly height: number };
    readonly spectrogram: { readonly width: number; readonly height: number };
  };
  readonly dirs: string[];
  readonly sources: string[];
  readonly types: string[];
  readonly keys: string[];
  readonly reasons: string[];
  /** Folder of the file (index into dirs). */
  readonly dir: number[];
  readonly src: number[];
  /** File name with the source's name cut out at `at` (the page shows the source once per group). */
  readonly name: string[];
  /** Where the source's name was cut out of `name`, -1 when the name does not contain it. */
  readonly at: number[];
  /** Index into CATEGORY_ORDER, BRIGHTNESS_ORDER, GRADE_ORDER. */
  readonly cat: number[];
  readonly bright: number[];
  readonly grade: number[];
  readonly type: number[];
  readonly why: number[];
  /** Duration, centiseconds. */
  readonly dur: number[];
  /** Spectral centroid, Hz, -1 unknown. */
  readonly hz: number[];
  /** Index into keys, -1 none. */
  readonly key: number[];
  /** Root note, MIDI, -1 none. */
  readonly root: number[];
  /** Loop seam score, tenths of a dB. */
  readonly seam: (number | null)[];
  /** FLAG bits. */
  readonly flags: number[];
  /** Cards with inner loop points, and those points in seconds. */
  readonly loopAt: number[];
  readonly loopStart: number[];
  readonly loopEnd: number[];
  /** Quality score 0-100 (-1 none); null when no card has one. */
  readonly score: number[] | null;
  /** Root confidence, percent (-1 none); null when no card has one. */
  readonly rootConf: number[] | null;
  /** Root offset, cents; null when no card has one. */
  readonly rootCents: (number | null)[] | null;
  readonly map: MapData | null;
  readonly near: NearData | null;
  /** selection.json as it was on disk when the page was built. */
  readonly selection: SelectionFile | null;
}

/** Folder, and file name with the source cut out, of a manifest file name. */
export function splitName(file: string, source: string): { dir: string; name: string; at: number } {
  const slash = file.lastIndexOf("/");
  const base = file.slice(slash + 1);
  const at = source === "" ? -1 : base.indexOf(source);
  return {
    dir: slash < 0 ? "" : file.slice(0, slash),
    name: at < 0 ? base : base.slice(0, at) + base.slice(at + source.length),
    at,
  };
}

/**
 * What a card is called on the page: its file name without the source (shown once above the group)
 * and without the extension, e.g. "song_pad01_mid.wav" of source "song" is "pad01_mid". Runs in the
 * page too: self-contained.
 */
export function displayName(name: string, at: number): string {
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(name);
  let s = ext ? name.slice(0, ext.index) : name;
  if (at >= 0 && at <= s.length) {
    const left = s.slice(0, at);
    let right = s.slice(at);
    if (/[-_ .]$/.test(left) && /^[-_ .]/.test(right)) right = right.slice(1);
    s = left + right;
  }
  s = s.replace(/^[-_ .]+|[-_ .]+$/g, "");
  return s === "" ? name : s;
}

class Dict {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(v: string): number {
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(v);
      this.index.set(v, i);
    }
    return i;
  }
}

export interface PageExtras {
  readonly id: string;
  readonly stamp: string;
  readonly images: PageData["images"];
  readonly map: MapData | null;
  readonly near: NearData | null;
  readonly selection: SelectionFile | null;
}

/** The cards (in page order) as columns. */
export function encodePage(cards: readonly CardData[], extras: PageExtras): PageData {
  const dirs = new Dict();
  const sources = new Dict();
  const types = new Dict();
  const keys = new Dict();
  const reasons = new Dict();
  const n = cards.length;
  const col = (): number[] => new Array<number>(n);
  const d = {
    dir: col(),
    src: col(),
    name: new Array<string>(n),
    at: col(),
    cat: col(),
    bright: col(),
    grade: col(),
    type: col(),
    why: col(),
    dur: col(),
    hz: col(),
    key: col(),
    root: col(),
    seam: new Array<number | null>(n),
    flags: col(),
    score: col(),
    rootConf: col(),
    rootCents: new Array<number | null>(n),
  };
  const loopAt: number[] = [];
  const loopStart: number[] = [];
  const loopEnd: number[] = [];
  let anyScore = false;
  let anyConf = false;
  let anyCents = false;
  cards.forEach((c, i) => {
    const split = splitName(c.file, c.source);
    d.dir[i] = dirs.of(split.dir);
    d.src[i] = sources.of(c.source);
    d.name[i] = split.name;
    d.at[i] = split.at;
    d.cat[i] = CATEGORY_ORDER.indexOf(c.category);
    d.bright[i] = BRIGHTNESS_ORDER.indexOf(c.brightness);
    d.grade[i] = GRADE_ORDER.indexOf(c.grade);
    d.type[i] = types.of(c.type);
    d.why[i] = reasons.of(c.gradeReason);
    d.dur[i] = Math.round(c.durationSec * 100);
    d.hz[i] = c.centroidHz ?? -1;
    d.key[i] = c.key === null ? -1 : keys.of(c.key);
    d.root[i] = c.rootMidi ?? -1;
    d.seam[i] = c.seamDb === null ? null : Math.round(c.seamDb * 10);
    d.flags[i] =
      (c.loop ? FLAG.loop : 0) |
      (c.wholeLoop ? FLAG.wholeLoop : 0) |
      (c.waveform ? FLAG.waveform : 0) |
      (c.spectrogram ? FLAG.spectrogram : 0);
    if (c.loopStartSec !== null && c.loopEndSec !== null) {
      loopAt.push(i);
      loopStart.push(c.loopStartSec);
      loopEnd.push(c.loopEndSec);
    }
    d.score[i] = c.score ?? -1;
    d.rootConf[i] = c.rootConfidence === null ? -1 : Math.round(c.rootConfidence * 100);
    d.rootCents[i] = c.rootCents;
    anyScore ||= c.score !== null;
    anyConf ||= c.rootConfidence !== null;
    anyCents ||= c.rootCents !== null;
  });
  return {
    v: 1,
    id: extras.id,
    stamp: extras.stamp,
    images: extras.images,
    dirs: dirs.values,
    sources: sources.values,
    types: types.values,
    keys: keys.values,
    reasons: reasons.values,
    ...d,
    loopAt,
    loopStart,
    loopEnd,
    score: anyScore ? d.score : null,
    rootConf: anyConf ? d.rootConf : null,
    rootCents: anyCents ? d.rootCents : null,
    map: extras.map,
    near: extras.near,
    selection: extras.selection,
  };
}

/** The page's columns back as cards (for tests and tools reading a built page). */
export function decodeCards(p: PageData): CardData[] {
  const inner = new Map<number, [number, number]>();
  p.loopAt.forEach((i, k) => {
    inner.set(i, [p.loopStart[k], p.loopEnd[k]]);
  });
  return p.name.map((name, i) => {
    const source = p.sources[p.src[i]];
    const at = p.at[i];
    const base = at < 0 ? name : name.slice(0, at) + source + name.slice(at);
    const dir = p.dirs[p.dir[i]];
    const flags = p.flags[i];
    const conf = p.rootConf?.[i] ?? -1;
    const score = p.score?.[i] ?? -1;
    return {
      file: dir === "" ? base : `${dir}/${base}`,
      source,
      category: CATEGORY_ORDER[p.cat[i]] as TextureCategory,
      type: p.types[p.type[i]],
      durationSec: p.dur[i] / 100,
      brightness: BRIGHTNESS_ORDER[p.bright[i]] as Brightness,
      centroidHz: p.hz[i] < 0 ? null : p.hz[i],
      key: p.key[i] < 0 ? null : p.keys[p.key[i]],
      rootMidi: p.root[i] < 0 ? null : p.root[i],
      rootConfidence: conf < 0 ? null : conf / 100,
      rootCents: p.rootCents?.[i] ?? null,
      seamDb: p.seam[i] === null ? null : p.seam[i]! / 10,
      grade: GRADE_ORDER[p.grade[i]] as Grade,
      gradeReason: p.reasons[p.why[i]],
      score: score < 0 ? null : score,
      loop: (flags & FLAG.loop) !== 0,
      loopStartSec: inner.get(i)?.[0] ?? null,
      loopEndSec: inner.get(i)?.[1] ?? null,
      wholeLoop: (flags & FLAG.wholeLoop) !== 0,
      waveform: (flags & FLAG.waveform) !== 0,
      spectrogram: (flags & FLAG.spectrogram) !== 0,
    };
  });
}

/** The pieces of `similarity`'s input: one vector per card (NaN-filled when it has none). */
export interface CardVectors {
  readonly from: MapData["from"];
  readonly dims: number;
  /** Row-major cards x dims. */
  readonly values: Float64Array;
}

/** Vectors from the fingerprints, one row per card (file order of `files`); null when under 3 have one. */
export function fingerprintVectors(files: readonly string[], fp: FingerprintFile | null): CardVectors | null {
  if (fp === null || fp.dims.length === 0) return null;
  const dims = fp.dims.length;
  const values = new Float64Array(files.length * dims).fill(Number.NaN);
  let found = 0;
  files.forEach((f, i) => {
    const v = fp.textures[f];
    if (v === undefined || v.length !== dims || !v.every(Number.isFinite)) return;
    values.set(v, i * dims);
    found++;
  });
  return found >= 3 ? { from: "fingerprints", dims, values } : null;
}

/**
 * Stand-in vectors when the folder has no fingerprints (made by an older patina): brightness
 * (log centroid), loudness, crest factor and log duration from the manifest, so the map still
 * sorts dark from bright and quiet from loud.
 */
export function featureVectors(
  rows: readonly Pick<ManifestRow, "centroid_hz" | "rms_db" | "crest_factor" | "duration_sec">[],
): CardVectors {
  const dims = 4;
  const values = new Float64Array(rows.length * dims).fill(Number.NaN);
  rows.forEach((r, i) => {
    const v = [Math.log2(r.centroid_hz + 1), r.rms_db, r.crest_factor, Math.log2(r.duration_sec + 0.01)];
    if (v.every(Number.isFinite)) values.set(v, i * dims);
  });
  return { from: "features", dims, values };
}

/** Share of the variance kept for the neighbour search (and at most that many components). */
const NEAR_SHARE = 0.95;
const NEAR_MAX = 16;
const MAP_SPAN = 1000;

/**
 * The map (first two principal components, scaled to 0-1000 each) and the neighbour vectors (the
 * fewest leading components holding 95% of the variance, at most 16, as signed bytes) of the cards
 * that have a vector. Null when fewer than 3 cards have one.
 */
export function similarity(v: CardVectors): { map: MapData; near: NearData } | null {
  const n = v.values.length / v.dims;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(v.values[i * v.dims])) rows.push(i);
  if (rows.length < 3) return null;
  const packed = new Float64Array(rows.length * v.dims);
  rows.forEach((r, k) => {
    packed.set(v.values.subarray(r * v.dims, (r + 1) * v.dims), k * v.dims);
  });
  const p = pca(packed, rows.length, v.dims, { standardize: true });
  const kept = componentsFor(p.variances, NEAR_SHARE, 2, NEAR_MAX);
  const scores = project(p, packed, rows.length, kept);
  let total = 0;
  for (const x of p.variances) total += x;
  const x = new Array<number>(n).fill(-1);
  const y = new Array<number>(n).fill(-1);
  const axis = (c: number, out: number[]): void => {
    if (c >= kept) {
      for (const r of rows) out[r] = MAP_SPAN / 2;
      return;
    }
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < rows.length; k++) {
      lo = Math.min(lo, scores[k * kept + c]);
      hi = Math.max(hi, scores[k * kept + c]);
    }
    const span = hi - lo > 0 ? hi - lo : 1;
    rows.forEach((r, k) => {
      out[r] = Math.round(((scores[k * kept + c] - lo) / span) * MAP_SPAN);
    });
  };
  axis(0, x);
  axis(1, y);
  const scale: number[] = [];
  for (let c = 0; c < kept; c++) {
    let big = 0;
    for (let k = 0; k < rows.length; k++) big = Math.max(big, Math.abs(scores[k * kept + c]));
    scale.push(big > 0 ? big / 127 : 1);
  }
  const q = new Int8Array(n * kept).fill(-128);
  rows.forEach((r, k) => {
    for (let c = 0; c < kept; c++) q[r * kept + c] = Math.round(scores[k * kept + c] / scale[c]);
  });
  const shown = total > 0 ? (p.variances[0] + (p.variances[1] ?? 0)) / total : 0;
  return {
    map: { from: v.from, shown: Math.round(shown * 1000) / 1000, x, y },
    near: { m: kept, scale, q: Buffer.from(q.buffer).toString("base64") },
  };
}
