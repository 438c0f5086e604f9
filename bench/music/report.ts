/** The music bench's printed report: a compact table, the worst examples, and a run-to-run comparison. */
import type { Evaluation, OutputResult } from "./evaluate.js";
import {
  DUPLICATE_CORRELATION,
  HISS_SPIKE_LIMIT_DB,
  LEVEL_RANGE_LIMIT_DB,
  PROVENANCE_CORRELATION,
  SEAM_SPIKE_MARGIN_DB,
  SEAM_STEP_LIMIT_DB,
} from "./evaluate.js";
import type { Skip } from "./manifest.js";
import type { Truth } from "./pieces.js";
import { GROUPS, type Group, seamExcess } from "./summary.js";
import { noteName } from "./truth.js";

const log = (s = ""): void => console.log(s);
const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const lpad = (s: string | number, n: number): string => String(s).padStart(n);
const base = (file: string): string => file.split("/").pop() ?? file;
const signed = (d: number): string => (d > 0 ? `+${d}` : `${d}`);

function tally(xs: readonly (number | null)[]): string {
  const m = new Map<number, number>();
  for (const x of xs) if (x !== null) m.set(x, (m.get(x) ?? 0) + 1);
  return (
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${signed(k)} x${n}`)
      .join(", ") || "none"
  );
}

const GROUP_LABEL: Record<Group, string> = { pad: "pads", loop: "drone loops + reversed", swell: "swells" };

export function printReport(
  ev: Evaluation,
  f: Record<string, number>,
  truths: ReadonlyMap<string, Truth>,
  skips: readonly Skip[],
): void {
  const rs = ev.results;
  log(
    `music bench: ${f.pieces} pieces, ${f.audio_sec} s of audio; render ${f.render_wall_s} s, make --all ${f.make_wall_s} s`,
  );
  const optional = ["score", "root_confidence", "root_cents", "duplicate_of"];
  const present = optional.map((c) => `${c} ${ev.columns.includes(c) ? "yes" : "no"}`).join(", ");
  log(`${rs.length} outputs evaluated; ${ev.columns.length} manifest columns (${present})`);
  log();
  log("Root notes where one note sounded (pitch shift of the variant included)");
  log(`  ${pad("", 24)}${["right", "octave", "other", "missing"].map((h) => lpad(h, 8)).join("")}`);
  for (const g of Object.keys(GROUPS) as Group[]) {
    const cells = ["right", "octave", "other", "missing"].map((v) => lpad(f[`root_${g}_${v}`], 8));
    log(`  ${pad(GROUP_LABEL[g], 24)}${cells.join("")}`);
  }
  log(`  wrong where one was written: ${f.root_written_wrong_pct} % (delivered files)`);
  const delivered = rs.filter((r) => r.delivered);
  if (f.root_confidence_median_right !== undefined)
    log(
      `  root_confidence median: right ${f.root_confidence_median_right}, wrong ${f.root_confidence_median_wrong}`,
    );
  if (f.root_cents_abs_median_right !== undefined)
    log(`  |root_cents| median where right: ${f.root_cents_abs_median_right}`);
  log(
    `  octave errors (semitones): ${tally(delivered.filter((r) => r.rootVerdict === "octave").map((r) => r.errorSemitones))}`,
  );
  log(
    `  other errors (semitones): ${tally(delivered.filter((r) => r.rootVerdict === "other").map((r) => r.errorSemitones))}`,
  );
  log(
    `Chords, what was written: lowest note ${f.root_chord_bass}, other chord note ${f.root_chord_chord_tone}, ` +
      `chord note in another octave ${f.root_chord_chord_pc_other_octave}, not in the chord ${f.root_chord_not_in_chord}, none ${f.root_chord_missing}`,
  );
  log(
    `smpl chunk: note without a manifest root ${f.smpl_note_without_root}, differs from the manifest root ${f.smpl_note_differs_from_root}; ` +
      `single notes right ${f.smpl_single_right}, wrong ${f.smpl_single_wrong}`,
  );
  log();
  log(
    `Pads (${f.pads}; pieces with none: ${f.pieces_without_pads}): drum hit ${f.pads_with_drum_hit} ` +
      `(manifest onset rate 0: ${f.pads_drum_hit_but_onset_rate_0}), release tail ${f.pads_in_release_tail}, ` +
      `note attack inside ${f.pads_with_note_attack}`,
  );
  log(
    `  50 ms level range > ${LEVEL_RANGE_LIMIT_DB} dB: ${f.pads_level_range_over_6db} ` +
      `(median ${f.pads_level_range_median_db} dB, max ${f.pads_level_range_max_db} dB); re-attack at the loop point ` +
      `(flux > interior max + ${SEAM_SPIKE_MARGIN_DB} dB, or a level step > ${SEAM_STEP_LIMIT_DB} dB and > any inside): ` +
      `${f.pads_reattack_at_loop_point} (max flux excess ${f.pads_seam_flux_excess_max_db} dB, max step ${f.pads_seam_step_max_db} dB)`,
  );
  log(
    `  inside another pad's window: ${f.pads_inside_another_pad}; pairs of overlapping windows: ${f.pad_pairs_overlapping}`,
  );
  log(
    `Drone loops + reversed (${f.loops}; pieces with none: ${f.pieces_without_loops}): level range > ${LEVEL_RANGE_LIMIT_DB} dB ` +
      `${f.loops_level_range_over_6db}, re-attack at loop point ${f.loops_reattack_at_loop_point}, ` +
      `region mostly release tail ${f.loops_region_in_release_tail}, region holds drum hits ${f.loops_region_with_drum_hit}`,
  );
  log(
    `Hiss loops (${f.hiss_loops}): loudest 50 ms > ${HISS_SPIKE_LIMIT_DB} dB above the median ${f.hiss_loops_with_tick} ` +
      `(max ${f.hiss_spike_max_db} dB)`,
  );
  log(
    `Provenance (unshifted outputs found in their stated source window, corr >= ${PROVENANCE_CORRELATION}): ` +
      `${f.provenance_checked - f.provenance_failed} of ${f.provenance_checked}`,
  );
  const noPads = [...truths.keys()].filter((n) => !rs.some((r) => r.source === n && r.type === "pad"));
  for (const n of noPads) {
    const why = skips.filter((k) => k.source === n && k.phase === "pads").map((k) => k.reason);
    log(`  no pads from ${n}: ${why.join("; ") || "(no reason given)"}`);
  }
  log(
    `Near-duplicates (correlation > ${DUPLICATE_CORRELATION} within 5 ms, same length): ${f.duplicate_pairs} pairs ` +
      `(tonal variants of one loop ${f.duplicate_pairs_tonal_variants}, pad/pad ${f.duplicate_pairs_pad_pad}); listed as duplicates ${f.outputs_listed_as_duplicates}`,
  );
  log(
    `Grades: A ${f.grade_A} (${f.grade_A_pct} %), B ${f.grade_B}, F ${f.grade_F}; ` +
      `with a measured flaw ${f.flawed} (graded A: ${f.flawed_grade_A}), clean ${f.clean} (graded A: ${f.clean_grade_A})`,
  );
  if (f.scored > 0)
    log(
      `Scores (${f.scored}): min ${f.score_min}, quartiles ${f.score_q1} / ${f.score_median} / ${f.score_q3}, max ${f.score_max}; ` +
        `mean of flawed ${f.score_mean_flawed}, of clean ${f.score_mean_clean}`,
    );
  else log("Scores: no score column");
  const skipped = Object.entries(ev.notEvaluated);
  if (skipped.length > 0) log(`Not evaluated: ${skipped.map(([k, n]) => `${k}: ${n}`).join("; ")}`);
  log();
  printPieces(rs, truths);
  printExamples(ev);
}

function printPieces(rs: readonly OutputResult[], truths: ReadonlyMap<string, Truth>): void {
  log(`${pad("piece", 24)}${pad("notes", 22)}pads drum tail range  roots ok/written   dup   A/B/F`);
  for (const [name, t] of truths) {
    const mine = rs.filter((r) => r.source === name);
    const pads = mine.filter((r) => r.type === "pad");
    const notes = t.held.map((h) => h.midi.map(noteName).join("+")).join(" ");
    const written = mine.filter((r) => r.rootKind === "single" && r.root !== null);
    const ranges = pads.map((r) => r.levelRangeDb).filter((x): x is number => x !== null);
    const maxRange = ranges.length > 0 ? Math.max(...ranges) : Number.NaN;
    const grades = ["A", "B", "F"].map((g) => mine.filter((r) => r.grade === g).length).join("/");
    const kinds = `${t.drums.length > 0 ? "drums " : ""}${t.dcOffset ? "dc" : ""}`;
    log(
      `${pad(name, 24)}${pad(notes.length > 21 ? `${notes.slice(0, 20)}~` : notes, 22)}` +
        `${lpad(pads.length, 4)}${lpad(pads.filter((r) => (r.drumHits ?? 0) > 0).length, 5)}` +
        `${lpad(pads.filter((r) => r.flaws.includes("release tail")).length, 5)}${lpad(Number.isFinite(maxRange) ? maxRange.toFixed(1) : "-", 6)}` +
        `${lpad(written.length ? `${written.filter((r) => r.rootVerdict === "right").length}/${written.length}` : "-", 13)}` +
        `${lpad(mine.filter((r) => r.flaws.includes("near-duplicate")).length, 9)}${lpad(grades, 9)}  ${kinds}`,
    );
  }
  log();
}

/** The first result of each source, in order: examples from as many pieces as possible. */
function onePerSource(rs: readonly OutputResult[]): OutputResult[] {
  const seen = new Set<string>();
  return rs.filter((r) => !seen.has(r.source) && seen.add(r.source));
}

function printExamples(ev: Evaluation): void {
  const rs = ev.results;
  const wrong = rs.filter((r) => r.rootVerdict === "octave" || r.rootVerdict === "other");
  const byError = [...wrong].sort(
    (a, b) => Math.abs(b.errorSemitones ?? 0) - Math.abs(a.errorSemitones ?? 0),
  );
  if (byError.length > 0) log("Examples, wrong roots:");
  for (const r of onePerSource(byError).slice(0, 6)) {
    log(
      `  ${base(r.file)}: ${r.expected.map(noteName).join("/")} sounded, wrote ${noteName(r.root ?? 0)} ` +
        `(${signed(r.errorSemitones ?? 0)}); grade ${r.grade}`,
    );
  }
  const badPads = rs
    .filter((r) => r.type === "pad" && r.flaws.length > 0)
    .sort((a, b) => (b.levelRangeDb ?? 0) - (a.levelRangeDb ?? 0));
  if (badPads.length > 0) log("Examples, pads:");
  for (const r of onePerSource(badPads).slice(0, 8)) {
    const w = r.window ? `${r.window.start.toFixed(2)}-${r.window.end.toFixed(2)} s` : "?";
    const ex = seamExcess(r);
    log(
      `  ${base(r.file)} [${w}]: ${r.flaws.join(", ")}; drum hits ${r.drumHits}, tail ${Math.round(100 * (r.tailFraction ?? 0))} %, ` +
        `range ${r.levelRangeDb} dB, loop-point flux ${r.seamFluxDb} vs ${r.interiorFluxDb} dB${Number.isFinite(ex) ? "" : " (n/a)"}; grade ${r.grade}`,
    );
  }
  const pairs = [...ev.pairs].sort((a, b) => b.correlation - a.correlation);
  if (pairs.length > 0) log("Examples, near-duplicates:");
  const pairSeen = new Set<string>();
  const distinctPairs = pairs.filter((p) => !pairSeen.has(p.kind) && pairSeen.add(p.kind));
  for (const p of distinctPairs.slice(0, 5))
    log(`  ${base(p.a)} ~ ${base(p.b)}: ${p.correlation} (${p.kind})`);
  for (const c of ev.containedPads.slice(0, 3)) log(`  ${base(c.inner)} lies inside ${base(c.outer)}`);
  log();
}

/** Each figure of this run beside the same figure of an earlier one. */
export function printComparison(old: Record<string, number>, now: Record<string, number>): void {
  log("Compared with the earlier run (before -> now):");
  for (const k of new Set([...Object.keys(old), ...Object.keys(now)])) {
    const a = old[k];
    const b = now[k];
    if (a === b) continue;
    log(`  ${pad(k, 36)}${lpad(a ?? "-", 10)} -> ${b ?? "-"}`);
  }
  log();
}
