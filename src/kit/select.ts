/**
 * Which textures go into a kit, and why.
 * - Chosen: the textures kept in the report (`selection.json`), starred ones first, then by score.
 * - Automatic (nothing kept): the best by score, spread over categories (each gets an equal share
 *   of the count first; shares left unused go to the others), over sources (each pick already taken
 *   from a source costs the next one from it `sourcePenalty` points) and over timbre (no pick
 *   closer than `minDistance` to another in the fingerprint space, and none whose audio correlates
 *   above `maxCorrelation` with a pick's). Rejected textures, grade F and unsaved ones never go in.
 * Both honour `--category` and `--key`. Pure apart from the injected audio reader.
 */
import type { SelectionEntry } from "../core/export-files.js";
import type { ManifestRow, TextureCategory } from "../core/manifest.js";
import { keyFit, type MusicalKey } from "./keys.js";
import { hasScoreColumn, scoreOf } from "./score.js";
import { audioCorrelation, type CorrelationAudio, TimbreSpace } from "./similarity.js";

export interface Candidate {
  /** Unique name in the kit's inputs: the manifest file name (prefixed by its folder when several). */
  readonly id: string;
  readonly row: ManifestRow;
  /** The WAV on disk. */
  readonly path: string;
  readonly fingerprint: readonly number[] | null;
  /** The musician's choice in the report, if any. */
  readonly choice: SelectionEntry | null;
}

export interface SelectOptions {
  /** How many to pick (null: every kept texture, or `defaultCount` automatically). */
  readonly count: number | null;
  readonly defaultCount: number;
  readonly categories: readonly TextureCategory[] | null;
  readonly key: MusicalKey | null;
  /** Fingerprint dimension names (for the timbre space); null when the export has none. */
  readonly dims: readonly string[] | null;
  readonly minDistance: number;
  readonly maxCorrelation: number;
  readonly sourcePenalty: number;
}

export const SELECT_DEFAULTS: Pick<SelectOptions, "minDistance" | "maxCorrelation" | "sourcePenalty"> = {
  minDistance: 0.35,
  maxCorrelation: 0.98,
  sourcePenalty: 10,
};

/** What selection needs from the files: whether one is there, and its opening for correlations. */
export interface AudioReader {
  exists(c: Candidate): Promise<boolean>;
  opening(c: Candidate): Promise<CorrelationAudio>;
}

export interface KitPick {
  readonly candidate: Candidate;
  readonly score: number;
  /** Why it is in, in a musician's words. */
  readonly reason: string;
}

export interface KitSelection {
  readonly mode: "chosen" | "auto";
  readonly picks: KitPick[];
  /** What was left out and why, one line each (counts, not every file). */
  readonly notes: string[];
}

const ordinal = (n: number): string =>
  `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

const byScore = (a: { score: number; c: Candidate }, b: { score: number; c: Candidate }): number =>
  b.score - a.score || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0);

/** Textures passing `--category` and `--key`, counting what each filter left out. */
function filtered(cands: readonly Candidate[], o: SelectOptions, notes: string[]): readonly Candidate[] {
  let out = cands;
  if (o.categories !== null) {
    const want = new Set(o.categories);
    const before = out.length;
    out = out.filter((c) => want.has(c.row.category));
    if (before > out.length) notes.push(`${before - out.length} not in --category ${o.categories.join(",")}`);
  }
  if (o.key !== null) {
    const key = o.key;
    const before = out.length;
    out = out.filter((c) => keyFit(c.row, key).fits);
    if (before > out.length) notes.push(`${before - out.length} whose key or root does not fit ${key.name}`);
  }
  return out;
}

/** "score 72", or "score 85 (grade A)" while the manifest has no score column. */
function scoreText(c: Candidate): string {
  const s = scoreOf(c.row);
  return hasScoreColumn(c.row) ? `score ${s}` : `score ${s} (grade ${c.row.grade})`;
}

function keyNote(c: Candidate, key: MusicalKey | null): string {
  return key === null ? "" : `; ${keyFit(c.row, key).reason}`;
}

/** Pick the kit's textures (see the module comment). */
export async function selectTextures(
  candidates: readonly Candidate[],
  options: SelectOptions,
  audio: AudioReader,
): Promise<KitSelection> {
  const kept = candidates.filter((c) => c.choice?.state === "keep");
  if (kept.length > 0) return chosen(kept, options, audio);
  return automatic(candidates, options, audio);
}

async function chosen(
  kept: readonly Candidate[],
  o: SelectOptions,
  audio: AudioReader,
): Promise<KitSelection> {
  const notes: string[] = [];
  const usable: Candidate[] = [];
  let missing = 0;
  for (const c of filtered(kept, o, notes)) {
    if (c.row.saved && (await audio.exists(c))) usable.push(c);
    else missing++;
  }
  if (missing > 0) notes.push(`${missing} kept texture(s) whose file is missing`);
  const ranked = usable
    .map((c) => ({ c, score: scoreOf(c.row), star: c.choice?.star === true }))
    .sort((a, b) => Number(b.star) - Number(a.star) || byScore(a, b));
  const n = o.count === null ? ranked.length : Math.min(o.count, ranked.length);
  if (ranked.length > n)
    notes.push(`${ranked.length - n} kept texture(s) over --count ${n} left out (lowest scores)`);
  const picks = ranked.slice(0, n).map(({ c, score, star }) => ({
    candidate: c,
    score,
    reason: `${star ? "starred" : "kept"} in the report; ${scoreText(c)}${keyNote(c, o.key)}`,
  }));
  return { mode: "chosen", picks, notes };
}

/** Max-heap of candidates by (stored score, then id ascending). */
class Heap {
  private readonly items: { score: number; c: Candidate }[] = [];
  get size(): number {
    return this.items.length;
  }
  private above(i: number, j: number): boolean {
    return byScore(this.items[i], this.items[j]) < 0;
  }
  push(item: { score: number; c: Candidate }): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  peek(): { score: number; c: Candidate } | undefined {
    return this.items[0];
  }
  pop(): { score: number; c: Candidate } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.above(l, m)) m = l;
        if (r < a.length && this.above(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

async function automatic(
  all: readonly Candidate[],
  o: SelectOptions,
  audio: AudioReader,
): Promise<KitSelection> {
  const notes: string[] = [];
  const rejected = all.filter((c) => c.choice?.state === "reject").length;
  if (rejected > 0) notes.push(`${rejected} rejected in the report`);
  const usable = all.filter((c) => c.row.saved && c.row.grade !== "F" && c.choice?.state !== "reject");
  const unusable = all.length - rejected - usable.length;
  if (unusable > 0) notes.push(`${unusable} graded F or not saved`);
  const pool = filtered(usable, o, notes);
  const n = Math.min(o.count ?? o.defaultCount, pool.length);

  const space =
    o.dims === null
      ? null
      : new TimbreSpace(
          o.dims,
          pool.flatMap((c) => (c.fingerprint ? [c.fingerprint] : [])),
        );
  const z = new Map<Candidate, Float64Array>();
  const zOf = (c: Candidate): Float64Array | null => {
    if (space === null || c.fingerprint === null) return null;
    let v = z.get(c);
    if (v === undefined) {
      v = space.standardise(c.fingerprint);
      z.set(c, v);
    }
    return v;
  };

  const categories = [...new Set(pool.map((c) => c.row.category))].sort();
  const share = categories.length > 0 ? Math.ceil(n / categories.length) : 0;
  const perCategory = new Map<string, number>();
  const perSource = new Map<string, number>();
  const picks: KitPick[] = [];
  const pickedZ: { c: Candidate; z: Float64Array | null }[] = [];
  const openings = new Map<Candidate, CorrelationAudio>();
  const opening = async (c: Candidate): Promise<CorrelationAudio> => {
    let a = openings.get(c);
    if (a === undefined) {
      a = await audio.opening(c);
      openings.set(c, a);
    }
    return a;
  };
  let near = 0;
  let correlated = 0;
  let missing = 0;

  /** Why `c` cannot join the picks (null: it can), and its nearest pick's distance. */
  const conflict = async (c: Candidate): Promise<{ why: string | null; nearest: number }> => {
    const zc = zOf(c);
    let nearest = Number.POSITIVE_INFINITY;
    const suspects: Candidate[] = [];
    for (const p of pickedZ) {
      const d = zc !== null && p.z !== null && space !== null ? space.distance(zc, p.z) : Number.NaN;
      if (d < nearest) nearest = d;
      if (d < o.minDistance) return { why: "near", nearest: d };
      // Audio is compared only where a copy is plausible: the same source, or close in timbre.
      if (p.c.row.source === c.row.source || d < 2 * o.minDistance) suspects.push(p.c);
    }
    if (suspects.length > 0) {
      // The candidate's opening is not kept: only the picks' are compared again and again.
      const a = await audio.opening(c);
      for (const s of suspects) {
        if (audioCorrelation(a, await opening(s)) > o.maxCorrelation) return { why: "corr", nearest };
      }
    }
    return { why: null, nearest };
  };

  const run = async (heap: Heap, quota: number, deferred: Candidate[] | null): Promise<void> => {
    while (picks.length < n && heap.size > 0) {
      const top = heap.pop();
      if (top === undefined) break;
      const c = top.c;
      const base = scoreOf(c.row);
      const fromSource = perSource.get(c.row.source) ?? 0;
      const adjusted = base - o.sourcePenalty * fromSource;
      const next = heap.peek();
      if (adjusted < top.score && next !== undefined && byScore({ score: adjusted, c }, next) > 0) {
        heap.push({ score: adjusted, c }); // its source got another pick since: look again later
        continue;
      }
      const inCategory = perCategory.get(c.row.category) ?? 0;
      if (inCategory >= quota) {
        deferred?.push(c);
        continue;
      }
      const { why, nearest } = await conflict(c);
      if (why === "near") near++;
      if (why === "corr") correlated++;
      if (why !== null) continue;
      if (!(await audio.exists(c))) {
        missing++;
        continue;
      }
      perCategory.set(c.row.category, inCategory + 1);
      perSource.set(c.row.source, fromSource + 1);
      pickedZ.push({ c, z: zOf(c) });
      const parts = [
        `${scoreText(c)}${fromSource > 0 ? ` (${adjusted} after ${fromSource} from this source)` : ""}`,
        `${ordinal(inCategory + 1)} of ${c.row.category}${quota < Number.POSITIVE_INFINITY ? ` (share ${quota})` : " (past its share: others ran out)"}`,
      ];
      if (Number.isFinite(nearest)) parts.push(`nearest pick ${nearest.toFixed(2)} away`);
      picks.push({ candidate: c, score: base, reason: parts.join("; ") + keyNote(c, o.key) });
    }
  };

  const first = new Heap();
  for (const c of pool) first.push({ score: scoreOf(c.row), c });
  const deferred: Candidate[] = [];
  await run(first, share, deferred);
  if (picks.length < n) {
    // Shares some categories could not fill go to the others, best first.
    const second = new Heap();
    const taken = new Set(picks.map((p) => p.candidate));
    for (const c of deferred) if (!taken.has(c)) second.push({ score: scoreOf(c.row), c });
    while (first.size > 0) {
      const item = first.pop();
      if (item && !taken.has(item.c)) second.push({ score: scoreOf(item.c.row), c: item.c });
    }
    await run(second, Number.POSITIVE_INFINITY, null);
  }
  if (near > 0) notes.push(`${near} too close in timbre to a pick (fingerprint distance < ${o.minDistance})`);
  if (correlated > 0)
    notes.push(`${correlated} whose audio correlates above ${o.maxCorrelation} with a pick's`);
  if (missing > 0) notes.push(`${missing} whose file is missing`);
  if (space === null)
    notes.push("no fingerprints.json: timbre spread by audio correlation only (make again to add them)");
  return { mode: "auto", picks, notes };
}
