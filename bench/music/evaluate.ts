/**
 * patina's export against the truth of the pieces: root notes (manifest and `smpl`), what the pads
 * hold (drum hits, release tails, attacks), how steady loops are and whether they re-attack at the
 * loop point, near-duplicates among one source's outputs, and how the grades (and scores) fall.
 */
import { existsSync } from "node:fs";
import { findDuplicates } from "./duplicates.js";
import { type Output, param, pitchShift, sourceWindow } from "./manifest.js";
import { levelRange, locate, seamFlux } from "./measure.js";
import type { Truth } from "./pieces.js";
import { judgeRoot, type RootVerdict, type Sounding, sounding } from "./truth.js";
import { mono, readWav, type SmplInfo } from "./wav.js";

/** A loop whose 50 ms level spans more than this is not steady (issue 14). */
export const LEVEL_RANGE_LIMIT_DB = 6;
/** A loop point whose flux rises this far above the loop's interior maximum re-attacks. */
export const SEAM_SPIKE_MARGIN_DB = 6;
/**
 * A loop whose last 50 ms and first 50 ms differ by more than this (and more than any two neighbouring
 * frames inside it) steps in level at the loop point.
 */
export const SEAM_STEP_LIMIT_DB = 3;
/** A pad whose window is more than this fraction release tail (or silence) is not from the body of a note. */
export const PAD_TAIL_LIMIT = 0.25;
/** A drone made from a region more than this fraction tail is made from the tail. */
export const REGION_TAIL_LIMIT = 0.5;
/** A hiss loop whose loudest 50 ms stands this far above its median 50 ms holds a tick. */
export const HISS_SPIKE_LIMIT_DB = 6;
/** An output whose RMS is below this (dBFS) holds nothing. */
export const SILENT_DBFS = -60;
/** Near-duplicate threshold on the normalised cross-correlation. */
export const DUPLICATE_CORRELATION = 0.98;
/** An unshifted output whose middle matches its stated source window less than this did not come from it. */
export const PROVENANCE_CORRELATION = 0.9;

/** What the bench found about one output (also written to the JSON summary). */
export interface OutputResult {
  file: string;
  source: string;
  type: string;
  grade: string;
  score: number | null;
  root: number | null;
  rootConfidence: number | null;
  rootCents: number | null;
  /** The pitch the smpl chunk claims: unity note + pitch fraction (fractional MIDI). */
  smplNote: number | null;
  expected: readonly number[];
  rootKind: RootVerdict["kind"];
  rootVerdict: RootVerdict["verdict"];
  errorSemitones: number | null;
  smplVerdict: "right" | "wrong" | null;
  window: { start: number; end: number } | null;
  drumHits: number | null;
  tailFraction: number | null;
  attacks: number | null;
  onsetRateSaid: number | null;
  /** RMS of the output (dBFS). */
  rmsDb: number | null;
  levelRangeDb: number | null;
  levelFallDb: number | null;
  /** Level of the loop's first 50 ms minus its last 50 ms (dB): the step heard at the loop point. */
  seamStepDb: number | null;
  /** Largest change between neighbouring 50 ms frames inside the loop (dB). */
  interiorStepDb: number | null;
  /** Loudest 50 ms frame above the median frame (dB). */
  spikeDb: number | null;
  seamFluxDb: number | null;
  interiorFluxDb: number | null;
  maxCorrelation: number | null;
  /** Best correlation of 0.25 s of the output with its stated source window (unshifted, unfiltered outputs). */
  provenance: number | null;
  duplicateOf: string;
  /** Written to disk (saved, not listed as a duplicate of another): what a musician gets. */
  delivered: boolean;
  flaws: string[];
}

export interface Evaluation {
  results: OutputResult[];
  pairs: { a: string; b: string; correlation: number; kind: string }[];
  containedPads: { inner: string; outer: string }[];
  overlappingPads: number;
  notEvaluated: Record<string, number>;
  columns: string[];
}

const ROOT_TYPES = new Set(["pad", "loop", "reversed", "swell"]);
const LOOP_TYPES = new Set(["pad", "loop", "reversed", "hiss_loop"]);
const EVALUATED_TYPES = new Set(["pad", "loop", "reversed", "swell", "cloud", "hiss_loop"]);

/** A piece as the bench rendered it: its truth and the WAV patina read. */
export interface Source {
  readonly truth: Truth;
  readonly wav: string;
}

export function evaluate(
  outputs: readonly Output[],
  sources: ReadonlyMap<string, Source>,
  columns: string[],
): Evaluation {
  const notEvaluated: Record<string, number> = {};
  const skip = (why: string): void => {
    notEvaluated[why] = (notEvaluated[why] ?? 0) + 1;
  };
  const results: OutputResult[] = [];
  const monos = new Map<string, { x: Float32Array; sampleRate: number }>();
  const pairs: Evaluation["pairs"] = [];
  const containedPads: Evaluation["containedPads"] = [];
  let overlappingPads = 0;

  const bySource = new Map<string, Output[]>();
  for (const o of outputs) bySource.set(o.source, [...(bySource.get(o.source) ?? []), o]);
  for (const [source, outs] of bySource) {
    const src = sources.get(source);
    if (!src) {
      for (const _ of outs) skip(`outputs of a source with no truth (e.g. "${source}")`);
      continue;
    }
    monos.clear();
    const sourceMono = mono(readWav(src.wav));
    for (const o of outs) {
      if (!EVALUATED_TYPES.has(o.type)) {
        skip(`type ${o.type || "(none)"}: no truth to check against`);
        continue;
      }
      const r = evaluateOne(o, src.truth, skip, monos, sourceMono);
      results.push(r);
    }
    // Near-duplicates among the written outputs of this source.
    const written = outs.filter((o) => monos.has(o.file));
    const found = findDuplicates(
      written.map((o) => ({ name: o.file, type: o.type, ...monos.get(o.file)! })),
      DUPLICATE_CORRELATION,
    );
    for (const p of found) {
      pairs.push(p);
      for (const r of results) {
        if (r.source === source && (r.file === p.a || r.file === p.b))
          r.maxCorrelation = Math.max(r.maxCorrelation ?? 0, p.correlation);
      }
    }
    // Pads of one source whose windows overlap, or lie inside one another.
    const pads = results.filter((r) => r.source === source && r.type === "pad" && r.window);
    for (let i = 0; i < pads.length; i++) {
      for (let j = 0; j < pads.length; j++) {
        if (i === j) continue;
        const a = pads[i].window!;
        const b = pads[j].window!;
        if (i < j && Math.min(a.end, b.end) - Math.max(a.start, b.start) > 0.01) overlappingPads++;
        const aLen = a.end - a.start;
        const bLen = b.end - b.start;
        if ((aLen < bLen || (aLen === bLen && i < j)) && a.start >= b.start - 0.01 && a.end <= b.end + 0.01)
          containedPads.push({ inner: pads[i].file, outer: pads[j].file });
      }
    }
  }
  for (const r of results) markFlaws(r, pairs, containedPads);
  return { results, pairs, containedPads, overlappingPads, notEvaluated, columns };
}

function evaluateOne(
  o: Output,
  truth: Truth,
  skip: (why: string) => void,
  monos: Map<string, { x: Float32Array; sampleRate: number }>,
  sourceMono: Float32Array,
): OutputResult {
  const w = sourceWindow(o);
  const s: Sounding | null = w ? sounding(truth, w) : null;
  const shift = pitchShift(o);
  let verdict: RootVerdict = { kind: null, verdict: null, errorSemitones: null, expected: [] };
  if (ROOT_TYPES.has(o.type)) {
    if (s) verdict = judgeRoot(s, o.rootMidi, shift);
    else skip(`${o.type}: no source window in params (root, drums, tail not checked)`);
  } else if (o.rootMidi !== null) skip(`${o.type}: root written but not checked (grains shifted at random)`);
  let provenance: number | null = null;
  let rmsDb: number | null = null;
  let smpl: SmplInfo | null = null;
  let level: ReturnType<typeof levelRange> | null = null;
  let flux: { seamDb: number; interiorDb: number } | null = null;
  if (o.saved && !o.duplicateOf && existsSync(o.path)) {
    const wav = readWav(o.path);
    smpl = wav.smpl;
    const x = mono(wav);
    monos.set(o.file, { x, sampleRate: wav.sampleRate });
    let e = 0;
    for (let i = 0; i < x.length; i++) e += x[i] * x[i];
    rmsDb = round(10 * Math.log10(e / Math.max(1, x.length) + 1e-20), 1);
    if (LOOP_TYPES.has(o.type)) {
      level = levelRange(x, wav.sampleRate);
      flux = seamFlux(x, wav.sampleRate);
    }
    if (w && unprocessed(o)) {
      const p = provenanceOf(x, o.type === "reversed", sourceMono, w, wav.sampleRate);
      provenance = Number.isFinite(p) ? round(p, 3) : null;
    }
  } else if (o.saved && !o.duplicateOf) skip("saved in the manifest but the file is missing");
  let smplVerdict: OutputResult["smplVerdict"] = null;
  if (smpl && verdict.kind === "single") {
    // The chunk's pitch is the unity note plus the fraction (a flat root is the note below + the rest).
    smplVerdict = verdict.expected.includes(Math.round(smpl.unityNote + smpl.cents / 100))
      ? "right"
      : "wrong";
  }
  return {
    file: o.file,
    source: o.source,
    type: o.type,
    grade: o.grade,
    score: o.score,
    root: o.rootMidi,
    rootConfidence: o.rootConfidence,
    rootCents: o.rootCents,
    smplNote: smpl ? smpl.unityNote + smpl.cents / 100 : null,
    expected: verdict.expected,
    rootKind: verdict.kind,
    rootVerdict: verdict.verdict,
    errorSemitones: verdict.errorSemitones,
    smplVerdict,
    window: w,
    drumHits: s ? s.drumHits : null,
    tailFraction: s ? round(s.tailFraction, 3) : null,
    attacks: s ? s.attacks : null,
    onsetRateSaid: param(o, "window_onset_rate"),
    rmsDb,
    levelRangeDb: level ? round(level.rangeDb, 1) : null,
    levelFallDb: level ? round(level.fallDb, 1) : null,
    seamStepDb: level ? round(level.stepDb, 1) : null,
    interiorStepDb: level ? round(level.interiorStepDb, 1) : null,
    spikeDb: level ? round(level.spikeDb, 1) : null,
    seamFluxDb: flux ? round(flux.seamDb, 1) : null,
    interiorFluxDb: flux ? round(flux.interiorDb, 1) : null,
    maxCorrelation: null,
    provenance,
    duplicateOf: o.duplicateOf,
    delivered: o.saved && !o.duplicateOf,
    flaws: [],
  };
}

/** Outputs that hold the source's own samples: no pitch shift, no stretch, no tonal filter. */
function unprocessed(o: Output): boolean {
  if (pitchShift(o) !== 0 || (param(o, "stretch_factor") ?? 1) !== 1) return false;
  if (o.params.variant !== undefined || /_loop_(warm|airy|dark)\.wav$/.test(o.file)) return false;
  return o.type === "pad" || o.type === "loop" || o.type === "reversed" || o.type === "swell";
}

/**
 * How well the output is found in its stated window (+-0.1 s): the better of two 0.25 s stretches at
 * a third and two thirds of it (reversed for a reversed loop), since a loop's crossfade, which holds
 * no source samples, may sit anywhere once the pipeline rotates the loop (`seam_rotation`).
 */
function provenanceOf(
  x: Float32Array,
  reversed: boolean,
  source: Float32Array,
  w: { start: number; end: number },
  sampleRate: number,
): number {
  const half = Math.round(0.125 * sampleRate);
  const a = Math.max(0, Math.floor((w.start - 0.1) * sampleRate));
  const b = Math.min(source.length, Math.ceil((w.end + 0.1) * sampleRate));
  let best = Number.NaN;
  for (const at of [1 / 3, 2 / 3]) {
    const mid = Math.floor(x.length * at);
    if (mid < half || mid + half > x.length) continue;
    const needle = x.slice(mid - half, mid + half);
    if (reversed) needle.reverse();
    const c = locate(needle, source.subarray(a, b));
    if (Number.isFinite(c)) best = Number.isFinite(best) ? Math.max(best, c) : c;
  }
  return best;
}

/** The measured faults of one output, named (a texture with none is "clean"). */
function markFlaws(
  r: OutputResult,
  pairs: Evaluation["pairs"],
  contained: Evaluation["containedPads"],
): void {
  const f = r.flaws;
  // A pad's window is the loop itself; a drone's is the region its loop was taken from (somewhere
  // inside), so for drones only a region mostly in the tail counts, and hits or attacks do not.
  const pad = r.type === "pad";
  if (pad && (r.drumHits ?? 0) > 0) f.push("drum hit");
  if ((r.tailFraction ?? 0) > (pad ? PAD_TAIL_LIMIT : REGION_TAIL_LIMIT)) f.push("release tail");
  if (pad && (r.attacks ?? 0) > 0) f.push("note attack");
  // A hiss loop moves with its tremolo by design: only a tick above the rest counts there.
  if (r.type === "hiss_loop") {
    if ((r.spikeDb ?? 0) > HISS_SPIKE_LIMIT_DB) f.push("tick in hiss");
  } else if ((r.levelRangeDb ?? 0) > LEVEL_RANGE_LIMIT_DB) f.push("unsteady level");
  const fluxSpike =
    r.seamFluxDb !== null &&
    r.interiorFluxDb !== null &&
    r.seamFluxDb > r.interiorFluxDb + SEAM_SPIKE_MARGIN_DB;
  // A level step counts when it is audible and stands out from the loop's own movement.
  const step = Math.abs(r.seamStepDb ?? 0);
  const levelStep = step > SEAM_STEP_LIMIT_DB && step > (r.interiorStepDb ?? 0);
  if (fluxSpike || levelStep) f.push("re-attacks at loop point");
  if (r.rmsDb !== null && r.rmsDb < SILENT_DBFS) f.push("silent");
  if (r.rootVerdict === "octave" || r.rootVerdict === "other") f.push("wrong root");
  if (r.rootVerdict === "not_in_chord") f.push("root not in chord");
  if (r.smplNote !== null && r.root === null) f.push("smpl note without a root");
  if (r.provenance !== null && r.provenance < PROVENANCE_CORRELATION) f.push("not from its source window");
  // The second of a near-duplicate pair (in manifest order) is the one that should not exist.
  if (pairs.some((p) => p.b === r.file)) f.push("near-duplicate");
  if (contained.some((c) => c.inner === r.file)) f.push("inside another pad");
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
