/**
 * Flat figures of one music-bench run (the JSON summary's `figures` and the bench's printed
 * "name: value" lines), so that two runs compare key by key.
 */
import type { Evaluation, OutputResult } from "./evaluate.js";
import { LEVEL_RANGE_LIMIT_DB } from "./evaluate.js";

export const GROUPS = { pad: ["pad"], loop: ["loop", "reversed"], swell: ["swell"] } as const;
export type Group = keyof typeof GROUPS;

const inGroup = (r: OutputResult, g: Group): boolean => (GROUPS[g] as readonly string[]).includes(r.type);
const count = <T>(xs: readonly T[], f: (x: T) => boolean): number =>
  xs.reduce((n, x) => n + (f(x) ? 1 : 0), 0);

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const r1 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 10) / 10 : Number.NaN);
/** Largest finite value (NaN when there is none). */
const maxOf = (xs: readonly (number | null)[]): number => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 ? Math.max(...v) : Number.NaN;
};
const pct = (a: number, b: number): number => (b > 0 ? r1((100 * a) / b) : Number.NaN);

export function figures(ev: Evaluation, pieces: readonly string[]): Record<string, number> {
  const rs = ev.results;
  const f: Record<string, number> = {};
  f.outputs_evaluated = rs.length;
  f.outputs_listed_as_duplicates = count(rs, (r) => r.duplicateOf !== "");
  f.outputs_not_saved = count(rs, (r) => !r.delivered && r.duplicateOf === "");
  // Root notes where one note sounded, in the files delivered.
  const delivered = rs.filter((r) => r.delivered);
  let right = 0;
  let wrong = 0;
  for (const g of Object.keys(GROUPS) as Group[]) {
    const single = delivered.filter((r) => inGroup(r, g) && r.rootKind === "single");
    for (const v of ["right", "octave", "other", "missing"] as const)
      f[`root_${g}_${v}`] = count(single, (r) => r.rootVerdict === v);
    right += f[`root_${g}_right`];
    wrong += f[`root_${g}_octave`] + f[`root_${g}_other`];
  }
  f.root_written_wrong_pct = pct(wrong, right + wrong);
  const chords = delivered.filter((r) => r.rootKind === "chord");
  for (const v of ["bass", "chord_tone", "chord_pc_other_octave", "not_in_chord", "missing"] as const)
    f[`root_chord_${v}`] = count(chords, (r) => r.rootVerdict === v);
  const confident = (v: string): number[] =>
    delivered
      .filter(
        (r) =>
          r.rootVerdict === v || (v === "wrong" && (r.rootVerdict === "octave" || r.rootVerdict === "other")),
      )
      .map((r) => r.rootConfidence)
      .filter((x): x is number => x !== null);
  if (delivered.some((r) => r.rootConfidence !== null)) {
    f.root_confidence_median_right = r1(100 * median(confident("right"))) / 100;
    f.root_confidence_median_wrong = r1(100 * median(confident("wrong"))) / 100;
  }
  const cents = delivered
    .filter((r) => r.rootVerdict === "right" && r.rootCents !== null)
    .map((r) => Math.abs(r.rootCents ?? 0));
  if (cents.length > 0) f.root_cents_abs_median_right = r1(median(cents));
  f.smpl_note_without_root = count(delivered, (r) => r.smplNote !== null && r.root === null);
  f.smpl_note_differs_from_root = count(
    delivered,
    (r) => r.smplNote !== null && r.root !== null && Math.round(r.smplNote) !== Math.round(r.root),
  );
  f.smpl_single_right = count(delivered, (r) => r.smplVerdict === "right");
  f.smpl_single_wrong = count(delivered, (r) => r.smplVerdict === "wrong");
  // Pads.
  const pads = rs.filter((r) => r.type === "pad" && r.duplicateOf === "");
  f.pads = pads.length;
  f.pads_with_drum_hit = count(pads, (r) => (r.drumHits ?? 0) > 0);
  f.pads_drum_hit_but_onset_rate_0 = count(pads, (r) => (r.drumHits ?? 0) > 0 && r.onsetRateSaid === 0);
  f.pads_in_release_tail = count(pads, (r) => r.flaws.includes("release tail"));
  f.pads_with_note_attack = count(pads, (r) => (r.attacks ?? 0) > 0);
  const ranges = pads.map((r) => r.levelRangeDb).filter((x): x is number => x !== null);
  f.pads_level_range_over_6db = count(ranges, (x) => x > LEVEL_RANGE_LIMIT_DB);
  f.pads_level_range_median_db = r1(median(ranges));
  f.pads_level_range_max_db = r1(maxOf(ranges));
  f.pads_reattack_at_loop_point = count(pads, (r) => r.flaws.includes("re-attacks at loop point"));
  f.pads_seam_flux_excess_max_db = r1(maxOf(pads.map(seamExcess)));
  f.pads_seam_step_max_db = r1(
    maxOf(pads.map((r) => (r.seamStepDb === null ? null : Math.abs(r.seamStepDb)))),
  );
  f.pads_inside_another_pad = ev.containedPads.length;
  f.pad_pairs_overlapping = ev.overlappingPads;
  // Drone loops (and reversed loops).
  const loops = rs.filter((r) => inGroup(r, "loop") && r.duplicateOf === "");
  f.loops = loops.length;
  f.loops_level_range_over_6db = count(loops, (r) => (r.levelRangeDb ?? 0) > LEVEL_RANGE_LIMIT_DB);
  f.loops_reattack_at_loop_point = count(loops, (r) => r.flaws.includes("re-attacks at loop point"));
  f.loops_region_in_release_tail = count(loops, (r) => r.flaws.includes("release tail"));
  f.loops_region_with_drum_hit = count(loops, (r) => (r.drumHits ?? 0) > 0);
  // Whole pieces left without pads or drone loops, and outputs not found in their stated window.
  f.pieces_without_pads = count(pieces, (s) => !rs.some((r) => r.source === s && r.type === "pad"));
  f.pieces_without_loops = count(pieces, (s) => !rs.some((r) => r.source === s && r.type === "loop"));
  f.provenance_checked = count(rs, (r) => r.provenance !== null);
  f.provenance_failed = count(rs, (r) => r.flaws.includes("not from its source window"));
  const hiss = rs.filter((r) => r.type === "hiss_loop" && r.delivered);
  f.hiss_loops = hiss.length;
  f.hiss_loops_with_tick = count(hiss, (r) => r.flaws.includes("tick in hiss"));
  f.hiss_spike_max_db = r1(maxOf(hiss.map((r) => r.spikeDb)));
  // Near-duplicates.
  f.duplicate_pairs = ev.pairs.length;
  f.duplicate_pairs_tonal_variants = count(ev.pairs, (p) => p.kind.includes("tonal variants"));
  f.duplicate_pairs_pad_pad = count(ev.pairs, (p) => p.kind.startsWith("pad/pad"));
  // Grades and scores.
  const graded = rs.filter((r) => r.duplicateOf === "");
  for (const g of ["A", "B", "F"]) f[`grade_${g}`] = count(graded, (r) => r.grade === g);
  f.grade_A_pct = pct(f.grade_A, graded.length);
  const flawed = graded.filter((r) => r.flaws.length > 0);
  const clean = graded.filter((r) => r.flaws.length === 0);
  f.flawed = flawed.length;
  f.flawed_grade_A = count(flawed, (r) => r.grade === "A");
  f.clean = clean.length;
  f.clean_grade_A = count(clean, (r) => r.grade === "A");
  const scored = graded.filter((r) => r.score !== null);
  f.scored = scored.length;
  if (scored.length > 0) {
    const scores = scored.map((r) => r.score ?? 0).sort((a, b) => a - b);
    const q = (p: number): number => r1(scores[Math.min(scores.length - 1, Math.floor(p * scores.length))]);
    f.score_min = r1(scores[0]);
    f.score_q1 = q(0.25);
    f.score_median = r1(median(scores));
    f.score_q3 = q(0.75);
    f.score_max = r1(scores[scores.length - 1]);
    const mean = (xs: OutputResult[]): number => r1(xs.reduce((s, r) => s + (r.score ?? 0), 0) / xs.length);
    f.score_mean_flawed = mean(scored.filter((r) => r.flaws.length > 0));
    f.score_mean_clean = mean(scored.filter((r) => r.flaws.length === 0));
  }
  return f;
}

/** Loop-point flux above the interior maximum (dB), NaN when not measured. */
export function seamExcess(r: OutputResult): number {
  return r.seamFluxDb !== null && r.interiorFluxDb !== null ? r.seamFluxDb - r.interiorFluxDb : Number.NaN;
}
