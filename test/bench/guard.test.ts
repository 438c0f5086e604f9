import { describe, expect, it } from "vitest";
import { compare, figureKind, formatTable, summarise, summariseRounds } from "../../bench/guard.js";

const one = (v: number) => summarise([v]);

describe("benchmark guard", () => {
  it("judges figures by name: speeds and times scale with the host, memory does not, counts are not judged", () => {
    expect(figureKind("resample_48k_to_44k1_x_realtime")).toEqual({ better: "higher", hostScaled: true });
    expect(figureKind("analysis_x_realtime_cpu")).toEqual({ better: "higher", hostScaled: true });
    expect(figureKind("discover_cold_files_per_s")).toEqual({ better: "higher", hostScaled: true });
    expect(figureKind("t4_jobs2_tracks_per_min")).toEqual({ better: "higher", hostScaled: true });
    expect(figureKind("make_loop_2s_ms")).toEqual({ better: "lower", hostScaled: true });
    expect(figureKind("make_5min_flac_wall_s")).toEqual({ better: "lower", hostScaled: true });
    expect(figureKind("t4_jobs1_wall_sec")).toEqual({ better: "lower", hostScaled: true });
    expect(figureKind("analysis_60min_peak_rss_mb")).toEqual({ better: "lower", hostScaled: false });
    expect(figureKind("t4_speedup_2_vs_1")).toEqual({ better: "higher", hostScaled: false });
    for (const count of [
      "discover_files",
      "clouds_1min_files",
      "analysis_60min_frames",
      "analysis_onsets_found",
      "t4_rounds",
      "clouds_1min_fetched_sec_per_run",
      "analysis_windows_2s_every_0_5s",
    ]) {
      expect(figureKind(count), count).toBeNull();
    }
  });

  it("summarises rounds by median and relative range", () => {
    const s = summariseRounds([{ a: 10, b: 1 }, { a: 12 }, { a: 8, b: 3 }]);
    expect(s.a).toEqual({ median: 10, spread: 0.4, rounds: [10, 12, 8] });
    expect(s.b.median).toBe(2);
  });

  it("calls a time 20 % longer slower on the same host, but not when the host is 25 % slower", () => {
    const base = { make_loop_2s_ms: one(100) };
    const now = { make_loop_2s_ms: one(120) };
    const [same] = compare(base, now, 1);
    expect(same.verdict).toBe("slower");
    expect(same.loss).toBeCloseTo(0.2, 12);
    const [slowHost] = compare(base, now, 1.25);
    expect(slowHost.verdict).toBe("ok");
    expect(slowHost.loss).toBeCloseTo(120 / 125 - 1, 12);
  });

  it("scales speeds the other way: 70x after 100x is slower, unless the host is 1.5x slower", () => {
    const base = { hpss_x_realtime: one(100) };
    const now = { hpss_x_realtime: one(70) };
    expect(compare(base, now, 1)[0].verdict).toBe("slower");
    expect(compare(base, now, 1)[0].loss).toBeCloseTo(100 / 70 - 1, 12);
    expect(compare(base, now, 1.5)[0].verdict).toBe("ok");
    expect(compare(base, { hpss_x_realtime: one(150) }, 1)[0].verdict).toBe("faster");
  });

  it("widens the threshold to twice the measured spread, and never scales memory with the host", () => {
    const noisy = { stft_x_realtime: summarise([80, 100, 100]) };
    const rows = compare(noisy, { stft_x_realtime: one(75) }, 1);
    expect(rows[0].threshold).toBeCloseTo(0.4, 12);
    expect(rows[0].verdict).toBe("ok");
    expect(compare(noisy, { stft_x_realtime: one(70) }, 1)[0].verdict).toBe("slower");
    const mem = compare({ x_peak_rss_mb: one(100) }, { x_peak_rss_mb: one(130) }, 2);
    expect(mem[0]).toMatchObject({ host: 1, verdict: "slower" });
  });

  it("shows counts and new figures without judging them, slower ones first in the table", () => {
    const rows = compare(
      { discover_files: one(100), make_loop_2s_ms: one(10), stft_x_realtime: one(100) },
      {
        discover_files: one(90),
        make_loop_2s_ms: one(20),
        stft_x_realtime: one(100),
        hpss_x_realtime: one(5),
      },
      1,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.verdict]))).toEqual({
      discover_files: "info",
      make_loop_2s_ms: "slower",
      stft_x_realtime: "ok",
      hpss_x_realtime: "new",
    });
    const lines = formatTable(rows).split("\n");
    expect(lines[0]).toMatch(/^figure\s+baseline\s+now\s+host\s+loss\s+threshold\s+verdict$/);
    expect(lines[1]).toMatch(/^make_loop_2s_ms\s+10\s+20\s+\+100 %\s+15 %\s+SLOWER$/);
  });
});
