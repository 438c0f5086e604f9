import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/index.js";
import { ParameterError } from "../../src/core/errors.js";
import type { CatalogRow } from "../../src/pipeline/catalog.js";
import {
  DEFAULT_SELECTION_RULES,
  formatExplain,
  formatSelectSummary,
  formatTopLine,
  patternMatcher,
  select,
} from "../../src/pipeline/select.js";

let n = 0;
const row = (rel_path: string, duration_sec = 120, sample_rate = 44100, channels = 2): CatalogRow => ({
  id: `audio_${String(n++).padStart(4, "0")}`,
  rel_path,
  duration_sec,
  sample_rate,
  channels,
  file_size_mb: 1,
});

const selectedPaths = (rows: CatalogRow[], rules = {}): string[] =>
  select(rows, rules).selected.map((r) => r.rel_path);

describe("path pattern matching (whole words, case-insensitive)", () => {
  const test = patternMatcher("test");
  it.each([
    ["test takes/a.wav", true],
    ["a_test.wav", true],
    ["TEST.wav", true],
    ["x/Test/y.wav", true],
    ["mix-test-2.wav", true],
    ["Greatest Hits/a.wav", false],
    ["testing/a.wav", false],
    ["contest.wav", false],
    ["test1.wav", false],
    ["testé.wav", false],
  ])("test vs %s -> %s", (path, expected) => {
    expect(test(path)).toBe(expected);
  });

  // `_old` begins with a non-letter: the underscore itself is part of what must match, and only the
  // end after "old" needs a word edge.
  const old = patternMatcher("_old");
  it.each([
    ["mix_old.wav", true],
    ["x_old/a.wav", true],
    ["_old/a.wav", true],
    ["song__OLD.wav", true],
    ["mix_older.wav", false],
    ["bold.wav", false],
    ["Old/a.wav", false],
    ["old_mix.wav", false],
    ["mix old.wav", false],
  ])("_old vs %s -> %s", (path, expected) => {
    expect(old(path)).toBe(expected);
  });

  it("treats regex characters in patterns literally", () => {
    expect(patternMatcher("a.b")("x/a.b/y.wav")).toBe(true);
    expect(patternMatcher("a.b")("x/axb/y.wav")).toBe(false);
    expect(() => patternMatcher("")).toThrow(ParameterError);
  });
});

describe("select", () => {
  it("rejects by duration, inclusive bounds", () => {
    const rows = [row("a.wav", 29.99), row("b.wav", 30), row("c.wav", 3600), row("d.wav", 3600.01)];
    const res = select(rows);
    expect(res.selected.map((r) => r.rel_path)).toEqual(["b.wav", "c.wav"]);
    expect(res.rejectionsByRule).toEqual({ min_duration_sec: 1, max_duration_sec: 1 });
    expect(res.rejected.map((r) => r.reasons)).toEqual([
      ["too short (29.99 s < 30 s)"],
      ["too long (3600.01 s > 3600 s)"],
    ]);
  });

  it("rejects on every default skip pattern, and not on Greatest Hits", () => {
    const rows = [
      row("scratch/a.wav"),
      row("test takes/a.wav"),
      row("a_test.wav"),
      row("Demo/a.wav"),
      row("draft 3.wav"),
      row("song_old.wav"),
      row("REJECTED/a.wav"),
      row("unused-bits/a.wav"),
      row("Greatest Hits/a.wav"),
      row("Scratchy Demons/a.wav"),
    ];
    const res = select(rows);
    expect(res.selected.map((r) => r.rel_path)).toEqual(["Greatest Hits/a.wav", "Scratchy Demons/a.wav"]);
    expect(res.rejectionsByRule).toEqual({
      "skip_path_patterns:scratch": 1,
      "skip_path_patterns:test": 2,
      "skip_path_patterns:demo": 1,
      "skip_path_patterns:draft": 1,
      "skip_path_patterns:_old": 1,
      "skip_path_patterns:rejected": 1,
      "skip_path_patterns:unused": 1,
    });
  });

  it("counts a file under every rule it fails and explains each reason", () => {
    const res = select([row("demo/test.wav", 5)]);
    expect(res.rejected[0].rules).toEqual([
      "min_duration_sec",
      "skip_path_patterns:test",
      "skip_path_patterns:demo",
    ]);
    expect(formatExplain(res.rejected)).toEqual([
      'demo/test.wav: too short (5.00 s < 30 s); path matches skip pattern "test"; path matches skip pattern "demo"',
    ]);
    expect(res.summary.rejected).toBe(1);
  });

  it("adds 10 per preferred pattern matched (once per pattern)", () => {
    const res = select([
      row("misc/a.wav"),
      row("Bounces/a.wav"),
      row("masters/finished/a.wav"),
      row("bounces/bounces.wav"),
      row("mybounces/a.wav"),
    ]);
    const score = Object.fromEntries(res.selected.map((r) => [r.rel_path, r.selection_score]));
    expect(score).toEqual({
      "misc/a.wav": 0,
      "Bounces/a.wav": 10,
      "masters/finished/a.wav": 20,
      "bounces/bounces.wav": 10,
      "mybounces/a.wav": 0,
    });
  });

  it("adds 5 for the preferred channels and 5 for the preferred sample rate", () => {
    const rows = [row("m.wav", 60, 48000, 1), row("s.wav", 60, 44100, 2), row("six.wav", 60, 48000, 6)];
    const score = (rules: object) =>
      Object.fromEntries(select(rows, rules).selected.map((r) => [r.rel_path, r.selection_score]));
    expect(score({})).toEqual({ "m.wav": 0, "s.wav": 0, "six.wav": 0 });
    expect(score({ preferred_channels: "mono" })).toEqual({ "m.wav": 5, "s.wav": 0, "six.wav": 0 });
    expect(score({ preferred_channels: "stereo" })).toEqual({ "m.wav": 0, "s.wav": 5, "six.wav": 0 });
    expect(score({ preferred_sample_rate: 48000 })).toEqual({ "m.wav": 5, "s.wav": 0, "six.wav": 5 });
    expect(score({ preferred_channels: "mono", preferred_sample_rate: 48000 })).toEqual({
      "m.wav": 10,
      "s.wav": 0,
      "six.wav": 5,
    });
    expect(score({ preferred_channels: "mono", preferred_channels_score: 7 })["m.wav"]).toBe(7);
  });

  it("sorts by score (highest first) then path", () => {
    const rows = [
      row("z/a.wav"),
      row("songs/b.wav"),
      row("a/c.wav"),
      row("masters/songs/a.wav"),
      row("b/songs.wav"),
    ];
    expect(selectedPaths(rows)).toEqual([
      "masters/songs/a.wav",
      "b/songs.wav",
      "songs/b.wav",
      "a/c.wav",
      "z/a.wav",
    ]);
  });

  it("breaks score ties by path, case-insensitively", () => {
    expect(selectedPaths([row("b.wav"), row("C.wav"), row("a.wav"), row("B.wav")])).toEqual([
      "a.wav",
      "B.wav",
      "b.wav",
      "C.wav",
    ]);
  });

  it("takes overrides and custom pattern lists", () => {
    const rows = [row("a.wav", 10), row("b.wav", 100), row("live/c.wav", 100)];
    expect(selectedPaths(rows, { min_duration_sec: 5, max_duration_sec: 50 })).toEqual(["a.wav"]);
    expect(selectedPaths(rows, { min_duration_sec: 5, skip_path_patterns: ["live"] })).toEqual([
      "a.wav",
      "b.wav",
    ]);
    expect(selectedPaths(rows, { min_duration_sec: 5, skip_path_patterns: [] })).toHaveLength(3);
  });

  it("rejects invalid rules with the bad value", () => {
    expect(() => select([], { min_duration_sec: -1 })).toThrow(/min_duration_sec must be >= 0, got: -1/);
    expect(() => select([], { min_duration_sec: 50, max_duration_sec: 40 })).toThrow(/got: 40/);
    expect(() => select([], { preferred_sample_rate: 0 })).toThrow(ParameterError);
  });

  it("summarises: counts, hours, average, top 5, rejections per rule", () => {
    const rows = [
      row("bounces/one.wav", 1800, 48000),
      row("songs/two.wav", 1800),
      row("a.wav", 600),
      row("b.wav", 300),
      row("c.wav", 300),
      row("d.wav", 600),
      row("short.wav", 10),
      row("demo/x.wav", 100),
    ];
    const res = select(rows);
    expect(res.summary.input).toBe(8);
    expect(res.summary.selected).toBe(6);
    expect(res.summary.rejected).toBe(2);
    expect(res.summary.totalHours).toBeCloseTo(5400 / 3600, 12);
    expect(res.summary.averageDurationSec).toBeCloseTo(900, 12);
    expect(res.summary.top.map((r) => r.rel_path)).toEqual([
      "bounces/one.wav",
      "songs/two.wav",
      "a.wav",
      "b.wav",
      "c.wav",
    ]);
    expect(formatTopLine(res.summary.top[0])).toBe("[10] bounces/one.wav (1800.0 s, 48000 Hz)");
    expect(formatSelectSummary(res)).toEqual([
      "Input: 8 files",
      "Selected: 6",
      "Rejected: 2",
      "Total duration: 1.50 hours",
      "Average duration: 900.0 s",
      "Top 5 by score:",
      "  [10] bounces/one.wav (1800.0 s, 48000 Hz)",
      "  [10] songs/two.wav (1800.0 s, 44100 Hz)",
      "  [0] a.wav (600.0 s, 44100 Hz)",
      "  [0] b.wav (300.0 s, 44100 Hz)",
      "  [0] c.wav (300.0 s, 44100 Hz)",
      "Rejected by rule:",
      "  shorter than min_duration_sec (30 s): 1",
      '  skip pattern "demo": 1',
    ]);
  });

  it("explains 0 selected", () => {
    const res = select([row("a.wav", 5), row("b.wav", 6)]);
    expect(res.summary.selected).toBe(0);
    expect(res.summary.averageDurationSec).toBe(0);
    const lines = formatSelectSummary(res);
    expect(lines).toContain("  shorter than min_duration_sec (30 s): 2");
    expect(lines.some((l) => l.startsWith("Top"))).toBe(false);
  });

  it("takes the config's selection section as it is, with the same defaults", () => {
    expect({ ...DEFAULT_CONFIG.selection }).toEqual(DEFAULT_SELECTION_RULES);
    expect(select([row("songs/a.wav")], DEFAULT_CONFIG.selection).selected[0].selection_score).toBe(10);
  });

  it("uses the issue's defaults", () => {
    expect(DEFAULT_SELECTION_RULES).toEqual({
      min_duration_sec: 30,
      max_duration_sec: 3600,
      preferred_path_patterns: ["bounces", "masters", "tracks", "songs", "finished", "complete"],
      skip_path_patterns: ["scratch", "test", "demo", "draft", "_old", "rejected", "unused"],
      preferred_channels: null,
      preferred_sample_rate: null,
      preferred_path_score: 10,
      preferred_channels_score: 5,
      preferred_sample_rate_score: 5,
    });
  });
});
