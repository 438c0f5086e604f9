import { describe, expect, it } from "vitest";
import type { FingerprintFile } from "../../src/core/export-files.js";
import { cardFor } from "../../src/report/model.js";
import {
  decodeCards,
  displayName,
  encodePage,
  featureVectors,
  fingerprintVectors,
  similarity,
  splitName,
} from "../../src/report/page-data.js";
import { baseRow } from "./helpers.js";

const IMAGES = { waveform: { width: 480, height: 64 }, spectrogram: { width: 240, height: 48 } };

describe("page data", () => {
  it("cuts the source out of the file name once and shows what is left", () => {
    expect(splitName("by_source/song/pads/song_pad01_mid.wav", "song")).toEqual({
      dir: "by_source/song/pads",
      name: "_pad01_mid.wav",
      at: 0,
    });
    expect(displayName("_pad01_mid.wav", 0)).toBe("pad01_mid");
    const cloud = splitName("clouds/cloud_song_01_bright.wav", "song");
    expect(displayName(cloud.name, cloud.at)).toBe("cloud_01_bright");
    const hiss = splitName("hiss_loop_song_01.wav", "song");
    expect(hiss.dir).toBe("");
    expect(displayName(hiss.name, hiss.at)).toBe("hiss_loop_01");
    const other = splitName("x/other_pad01_bright.wav", "Other Track #2");
    expect(other).toEqual({ dir: "x", name: "other_pad01_bright.wav", at: -1 });
    expect(displayName(other.name, other.at)).toBe("other_pad01_bright");
    // Nothing left but the source: keep the file name.
    expect(displayName(".wav", 0)).toBe(".wav");
  });

  it("encodes cards as columns and decodes them back unchanged", () => {
    const cards = [
      cardFor(
        baseRow({
          file: "by_source/song/pads/song_pad01_mid.wav",
          source: "song",
          type: "pad",
          category: "pads",
          root_midi: 57,
          key: "A minor",
          loop: true,
          loop_start: 500,
          loop_end: 2500,
          loop_seam_db: -1.25,
        }),
        { sampleRate: 1000, frames: 4000 },
        { waveform: true, spectrogram: true },
        { score: 91, rootConfidence: 0.87, rootCents: -14 },
      ),
      cardFor(
        baseRow({
          file: "by_source/song/hiss/hiss_flicker_song_01.wav",
          source: "song",
          type: "hiss_flicker",
          category: "hiss",
          grade: "F",
          grade_reason: "extreme crest factor",
          brightness: "bright",
        }),
        null,
        { waveform: false, spectrogram: false },
      ),
    ];
    const page = encodePage(cards, {
      id: "test",
      stamp: "s",
      images: IMAGES,
      map: null,
      near: null,
      selection: null,
    });
    expect(page.dirs).toEqual(["by_source/song/pads", "by_source/song/hiss"]);
    expect(page.sources).toEqual(["song"]);
    expect(page.score).toEqual([91, -1]);
    expect(decodeCards(page)).toEqual(cards);
    // Columns nobody has are left out entirely.
    const plain = encodePage([cards[1]], {
      id: "test",
      stamp: "s",
      images: IMAGES,
      map: null,
      near: null,
      selection: null,
    });
    expect([plain.score, plain.rootConf, plain.rootCents]).toEqual([null, null, null]);
  });
});

describe("similarity", () => {
  // Two clusters along dimensions 0 and 1 (the same measure in two units: 1 = 2 x 0), a spread within
  // each cluster along dimension 2, dimension 3 constant. Standardised, the first axis (variance 2)
  // separates the clusters and the second (variance 1) is the spread; nothing else varies.
  const files = ["a", "b", "c", "d", "e", "f"].map((f) => `${f}.wav`);
  const vectors: Record<string, number[]> = {
    "a.wav": [0, 0, 0, 5],
    "b.wav": [0.1, 0.2, 1, 5],
    "c.wav": [0.2, 0.4, 2, 5],
    "d.wav": [10, 20, 0, 5],
    "e.wav": [10.1, 20.2, 1, 5],
    "f.wav": [10.2, 20.4, 2, 5],
  };
  const fp: FingerprintFile = { version: 1, dims: ["x", "x2", "y", "c"], textures: vectors };

  it("maps the cards to 0-1000 with the clusters apart, and keeps none for a card without a fingerprint", () => {
    const v = fingerprintVectors([...files, "none.wav"], fp)!;
    expect(v.from).toBe("fingerprints");
    const s = similarity(v)!;
    expect(s.map.x.slice(0, 6).every((x) => x >= 0 && x <= 1000)).toBe(true);
    expect([s.map.x[6], s.map.y[6]]).toEqual([-1, -1]);
    expect(Math.min(...s.map.x.slice(0, 6))).toBe(0);
    expect(Math.max(...s.map.x.slice(0, 6))).toBe(1000);
    // The first axis separates the clusters: a, b, c on one side, d, e, f on the other.
    const side = s.map.x.slice(0, 6).map((x) => x > 500);
    expect(side.slice(0, 3).every((t) => t === side[0])).toBe(true);
    expect(side.slice(3).every((t) => t !== side[0])).toBe(true);
    // Two standardised dimensions vary: the map shows all of it.
    expect(s.map.shown).toBeCloseTo(1, 3);
  });

  it("stores neighbour vectors whose distances match the standardised fingerprints to the quantisation step", () => {
    const s = similarity(fingerprintVectors(files, fp)!)!;
    const bytes = Buffer.from(s.near.q, "base64");
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const m = s.near.m;
    expect(m).toBe(2);
    const at = (i: number): number[] => Array.from({ length: m }, (_, c) => q[i * m + c] * s.near.scale[c]);
    // Standardised coordinates, computed here independently.
    const z = (d: number): number[] => {
      const col = files.map((f) => vectors[f][d]);
      const mean = col.reduce((a, b) => a + b) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      return col.map((x) => (x - mean) / sd);
    };
    const zs = [z(0), z(1), z(2)];
    const dist = (a: number[], b: number[]): number => Math.hypot(...a.map((x, k) => x - b[k]));
    // Each stored value is within half a step of the truth, so a distance is within one step per component.
    const step = Math.hypot(...s.near.scale);
    for (const [i, j] of [
      [0, 1],
      [0, 5],
      [2, 3],
    ]) {
      const want = Math.hypot(...zs.map((col) => col[i] - col[j]));
      expect(Math.abs(dist(at(i), at(j)) - want)).toBeLessThanOrEqual(step);
      expect(step / want).toBeLessThan(0.03);
    }
  });

  it("uses manifest columns when there are no fingerprints, and gives no map for fewer than 3 cards", () => {
    expect(fingerprintVectors(files, null)).toBeNull();
    const rows = [100, 1000, 5000].map((hz, i) => ({
      centroid_hz: hz,
      rms_db: -20 + i,
      crest_factor: 3,
      duration_sec: 2 + i,
    }));
    const v = featureVectors(rows);
    expect(v.from).toBe("features");
    expect(similarity(v)!.map.from).toBe("features");
    expect(similarity(featureVectors(rows.slice(0, 2)))).toBeNull();
    expect(
      featureVectors([{ centroid_hz: Number.NaN, rms_db: 0, crest_factor: 0, duration_sec: 1 }]).values[0],
    ).toBeNaN();
  });
});
