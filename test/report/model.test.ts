import { describe, expect, it } from "vitest";
import { escapeHtml, formatDuration, renderHtml, scriptJson } from "../../src/report/html.js";
import {
  cardFor,
  imagePath,
  midiName,
  relUrl,
  rowExtras,
  sortCards,
  summariseBatch,
} from "../../src/report/model.js";
import { encodePage } from "../../src/report/page-data.js";
import { BATCH_RESULTS, baseRow } from "./helpers.js";

const noImages = { waveform: false, spectrogram: false };

/** A row as a manifest reader that predates the optional columns gives it (none of their fields). */
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
    expect(whole.wholeLoop).toBe(true);
    // A whole-file loop needs no loop points on the page: the element loops the file.
    expect([whole.loopStartSec, whole.loopEndSec]).toEqual([null, null]);
    // An inclusive end (last sample index) counts as whole too.
    expect(cardFor({ ...row, loop_start: 0, loop_end: 3999 }, facts, noImages).wholeLoop).toBe(true);
    const inner = cardFor({ ...row, loop_start: 500, loop_end: 2500 }, facts, noImages);
    expect(inner.wholeLoop).toBe(false);
    expect([inner.loopStartSec, inner.loopEndSec]).toEqual([0.5, 2.5]);
    // A loop without points loops the whole file.
    expect(cardFor(row, facts, noImages).wholeLoop).toBe(true);
    const oneShot = cardFor({ ...row, loop: false, type: "swell", category: "swells" }, facts, noImages);
    expect([oneShot.loop, oneShot.wholeLoop]).toEqual([false, false]);
  });

  it("fills the card fields from the row, and the optional columns when present", () => {
    const row = baseRow({
      file: "s/pads/p 1.wav",
      source: "s",
      type: "pad",
      category: "pads",
      root_midi: 45,
      key: "A minor",
      loop_seam_db: 1.234,
      centroid_hz: 1234.6,
    });
    const scored = { ...row, score: 87.4, root_confidence: null };
    const c = cardFor(scored, null, { waveform: true, spectrogram: false }, rowExtras(scored));
    expect(c).toMatchObject({
      file: "s/pads/p 1.wav",
      rootMidi: 45,
      key: "A minor",
      seamDb: 1.2,
      centroidHz: 1235,
      score: 87,
      rootConfidence: null,
      waveform: true,
      spectrogram: false,
    });
    expect(imagePath(c.file, "wave")).toBe(".report/s/pads/p 1.wave.png");
    expect(relUrl(imagePath(c.file, "wave"))).toBe(".report/s/pads/p%201.wave.png");
  });

  it("reads score and root columns from the row (null in an older manifest, non-finite as null)", () => {
    const row = baseRow({ file: "a.wav", source: "s", type: "pad", category: "pads" });
    expect(rowExtras({ ...row, score: null, root_confidence: null, root_cents: null })).toEqual({
      score: null,
      rootConfidence: null,
      rootCents: null,
    });
    expect(rowExtras({ ...row, score: 40, root_confidence: 0.8, root_cents: -12 })).toEqual({
      score: 40,
      rootConfidence: 0.8,
      rootCents: -12,
    });
    expect(rowExtras({ ...row, score: Number.NaN, root_confidence: 0.5, root_cents: 0 }).score).toBeNull();
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
    expect(sorted.map((c) => c.file)).toEqual(["a/pad2.wav", "a/pad10.wav", "a/s.wav", "a/h.wav", "b/p.wav"]);
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
      generatedAt: "now",
      textures: 1,
      sources: 1,
      data: encodePage([card], {
        id: "test",
        stamp: "s",
        images: IMAGES,
        map: null,
        near: null,
        selection: null,
      }),
      batch: summariseBatch(BATCH_RESULTS),
      warnings: ["w <1>"],
    });
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(http/);
    expect(html).toContain("<title>T &lt;x&gt;</title>");
    expect(html).toContain("not audio &lt;RIFF missing&gt;");
    expect(html).toContain("w &lt;1&gt;");
    expect(html).not.toContain("<i>s</i>");
    for (const id of [
      "f-cat",
      "f-grade",
      "f-bright",
      "f-key",
      "f-root",
      "f-src",
      "f-choice",
      "f-score",
      "f-dur",
      "f-text",
      "f-sort",
    ])
      expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<html lang="en">');
  });

  it("leaves out the batch section when there is no batch", () => {
    const html = renderHtml({
      title: "T",
      generatedAt: "now",
      textures: 0,
      sources: 0,
      data: encodePage([], {
        id: "test",
        stamp: "s",
        images: IMAGES,
        map: null,
        near: null,
        selection: null,
      }),
      batch: null,
      warnings: [],
    });
    expect(html).not.toContain('class="batch"');
  });
});
