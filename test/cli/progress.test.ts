import { describe, expect, it } from "vitest";
import {
  createProgress,
  estimateEta,
  formatDuration,
  PlainProgress,
  SilentProgress,
  TtyProgress,
} from "../../src/cli/progress.js";

function sink(): { text: string; write(s: string): void } {
  return {
    text: "",
    write(s: string) {
      this.text += s;
    },
  };
}

describe("progress helpers", () => {
  it("formats durations and estimates ETA from the average pace", () => {
    expect(formatDuration(65)).toBe("1:05");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(Number.NaN)).toBe("--:--");
    expect(estimateEta(25, 100, 10)).toBe(30); // 0.4 s each, 75 left
    expect(estimateEta(0, 100, 10)).toBeNaN();
  });

  it("createProgress picks silent for --quiet, a bar on a TTY, plain lines otherwise", () => {
    const s = sink();
    expect(createProgress(s, { quiet: true, isTTY: true })).toBeInstanceOf(SilentProgress);
    expect(createProgress(s, { quiet: false, isTTY: true })).toBeInstanceOf(TtyProgress);
    expect(createProgress(s, { quiet: false, isTTY: false })).toBeInstanceOf(PlainProgress);
  });
});

describe("TtyProgress", () => {
  it("redraws at most every 200 ms, shows the ETA, and keeps log lines above the bar", () => {
    const s = sink();
    let t = 0;
    const p = new TtyProgress(s, { now: () => t, columns: 120 });
    p.start(100, "batch");
    const draws = () => s.text.split("\r\x1b[2K").filter((x) => x.startsWith("[")).length;
    expect(draws()).toBe(1);
    for (let i = 0; i < 50; i++) {
      t += 10; // 50 ticks over 500 ms
      p.tick(1, `track ${i}`);
    }
    // 500 ms at <= 5 redraws a second: at most 3 redraws after the first.
    expect(draws()).toBeLessThanOrEqual(4);
    expect(draws()).toBeGreaterThanOrEqual(2);
    t = 1000;
    p.log("track 7 failed: corrupt");
    expect(s.text).toContain("\r\x1b[2Ktrack 7 failed: corrupt\n");
    // Last redraw after the log: 50/100 done in 1 s -> 1 s left.
    expect(s.text.slice(s.text.lastIndexOf("\r\x1b[2K"))).toContain("batch 50/100 50% ETA 0:01");
    p.tick(50);
    p.done();
    expect(s.text).toContain("[########################] batch 100/100 100%");
    expect(s.text.endsWith("\n")).toBe(true);
  });
});

describe("PlainProgress", () => {
  it("prints plain lines without control characters, one per 10 %", () => {
    const s = sink();
    let t = 0;
    const p = new PlainProgress(s, { now: () => t });
    p.start(100, "discover");
    for (let i = 0; i < 100; i++) {
      t += 1;
      p.tick();
    }
    p.log("skipped: a.wav");
    p.done();
    expect(s.text).not.toContain("\x1b");
    expect(s.text).not.toContain("\r");
    const lines = s.text.trimEnd().split("\n");
    expect(lines[0]).toBe("discover: 100 to do");
    expect(lines.filter((l) => l.startsWith("discover ")).length).toBe(9); // 10 %..90 %
    expect(lines.at(-2)).toBe("skipped: a.wav");
    expect(lines.at(-1)).toBe("discover: 100 done in 0:00");
  });
});
