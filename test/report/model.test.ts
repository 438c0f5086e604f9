import { describe, expect, it } from "vitest";
import { escapeHtml, formatDuration, renderHtml, scriptJson } from "../../src/report/html.js";
import { cardFor, midiName, relUrl, sortCards, summariseBatch } from "../../src/report/model.js";
import { BATCH_RESULTS, baseRow } from "./helpers.js";

const noImages = { waveform: null, spectrogram: null };
const IMAGES = { waveform: { width: 480, height: 64 }, spectrogram: { width: 240, height: 48 } };

describe("report model", () => {
  it("names MIDI notes", () => {
    expect(midiName(69)).toBe("A4");
    expect(midiName(60)).toBe("C4");
    expect(midiName(57)).toBe("A3");
    expect(midiName(0)).toBe("C-1");
  });

  it("encodes each path segment of a URL but keeps the slashes", () => {
    expect(relUrl("Other Track #2/pads/a?b%.wav")).toBe("Other%20Track%20%232/pads/a%3Fb%25.wav");
  });

  it("tells whole-file loops from inner loop points, in seconds", () => {
    const row = baseRow({ file: "s/pads/p.wav", source: "s", type: "pad", category: "pads", loop: true });
    const facts = { sampleRate: 1000, frames: 4000 };
    const whole = cardFor({ ...row, loop_start: 0, loop_end: 4000 }, facts, noImages);
    expect(whole.w).toBe(true);
    expect([whole.ls, whole.le]).toEqual([0, 4]);
    // An inclusive end (last sample index) counts as whole too.
    expect(cardFor({ ...row, loop_start: 0, loop_end: 3999 }, facts, noImages).w).toBe(true);
    const inner = cardFor({ ...row, loop_start: 500, loop_end: 2500 }, facts, noImages);
    expect(inner.w).toBe(false);
    expect([inner.ls, inner.le]).toEqual([0.5, 2.5]);
    // A loop without points loops the whole file.
    expect(cardFor(row, facts, noImages).w).toBe(true);
    const oneShot = cardFor({ ...row, loop: false, type: "swell", category: "swells" }, facts, noImages);
    expect([oneShot.l, oneShot.w]).toEqual([false, false]);
  });

  it("fills the card fields from the row", () => {
    const c = cardFor(
      baseRow({
        file: "s/pads/p 1.wav",
        source: "s",
        type: "pad",
        category: "pads",
        root_midi: 45,
        key: "A minor",
        loop_seam_db: 1.234,
        centroid_hz: 1234.6,
      }),
      null,
      { waveform: ".report/s/pads/p 1.wave.png", spectrogram: null },
    );
    expect(c).toMatchObject({
      n: "p 1.wav",
      f: "s/pads/p%201.wav",
      r: "A2 (45)",
      k: "A minor",
      sd: 1.2,
      hz: 1235,
    });
    expect(c.wi).toBe(".report/s/pads/p%201.wave.png");
  });

  it("sorts by source, then category order, then name (numeric)", () => {
    const mk = (source: string, category: "pads" | "hiss" | "swells", file: string) =>
      cardFor(baseRow({ file, source, type: "pad", category }), null, noImages);
    const sorted = sortCards([
      mk("b", "pads", "b/p.wav"),
      mk("a", "hiss", "a/h.wav"),
      mk("a", "pads", "a/pad10.wav"),
      mk("a", "swells", "a/s.wav"),
      mk("a", "pads", "a/pad2.wav"),
    ]);
    expect(sorted.map((c) => c.f)).toEqual(["a/pad2.wav", "a/pad10.wav", "a/s.wav", "a/h.wav", "b/p.wav"]);
  });

  it("summarises batch_results.json", () => {
    const s = summariseBatch(BATCH_RESULTS)!;
    expect(s).toMatchObject({ total: 3, successful: 1, failed: 1, skipped: 1, wallSec: null });
    expect(s.perCategory).toEqual({ pads: 3, swells: 1, clouds: 1, hiss_loops: 1, hiss_flickers: 0 });
    expect(s.trackSec).toBeCloseTo(4.6, 9);
    expect(s.failures).toEqual([{ track: "songs/broken.wav", error: "not audio <RIFF missing>" }]);
    expect(summariseBatch({ ...BATCH_RESULTS, wall_time_sec: 12.5 })!.wallSec).toBe(12.5);
    expect(summariseBatch([1, 2])).toBeNull();
    expect(summariseBatch({ total: 3 })).toBeNull();
  });
});

describe("report html", () => {
  it("escapes text and keeps embedded JSON inside its script element", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const json = scriptJson({ n: "</script><script>alert(1)</script>\u2028" });
    expect(json).not.toContain("</script");
    expect(JSON.parse(json)).toEqual({ n: "</script><script>alert(1)</script>\u2028" });
  });

  it("formats durations", () => {
    expect(formatDuration(5.55)).toBe("5.5 s");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(3720)).toBe("1 h 2 min");
  });

  it("renders a self-contained page: no network URL, batch summary escaped, labelled controls", () => {
    const card = cardFor(
      baseRow({ file: "s/pads/<b>.wav", source: "<i>s</i>", type: "pad", category: "pads" }),
      null,
      noImages,
    );
    const html = renderHtml({
      title: "T <x>",
      images: IMAGES,
      generatedAt: "now",
      cards: [card],
      batch: summariseBatch(BATCH_RESULTS),
      warnings: ["w <1>"],
    });
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(http/);
    expect(html).toContain("<title>T &lt;x&gt;</title>");
    expect(html).toContain("not audio &lt;RIFF missing&gt;");
    expect(html).toContain("w &lt;1&gt;");
    expect(html).not.toContain("<i>s</i>");
    for (const id of ["f-cat", "f-grade", "f-bright", "f-text", "f-sort"])
      expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<html lang="en">');
  });

  it("leaves out the batch section when there is no batch", () => {
    const html = renderHtml({
      title: "T",
      images: IMAGES,
      generatedAt: "now",
      cards: [],
      batch: null,
      warnings: [],
    });
    expect(html).not.toContain('class="batch"');
  });
});
