import { describe, expect, it } from "vitest";
import {
  FALLBACK_SLUG,
  MAX_SLUG_LENGTH,
  slugify,
  slugifyText,
  uniqueSlugs,
} from "../../src/pipeline/slug.js";

describe("slugify", () => {
  it("makes the issue's example (a file at the root: stem only)", () => {
    expect(slugify("01 Vainqueur - Solanus (Extracted 2).flac")).toBe("01_vainqueur_solanus_extracted_2");
  });

  it("prefixes the last folder, not the whole path", () => {
    expect(slugify("Album/01 Intro.wav")).toBe("album_01_intro");
    expect(slugify("2019/Live at Home/Take 3.WAV")).toBe("live_at_home_take_3");
    expect(slugify("a\\b\\c.wav")).toBe("b_c");
  });

  it("transliterates accents and special letters", () => {
    expect(slugifyText("Café Élan")).toBe("cafe_elan");
    expect(slugifyText("Straße")).toBe("strasse");
    expect(slugifyText("Æther Øresund Smørrebrød")).toBe("aether_oresund_smorrebrod");
    expect(slugifyText("Œuvre Łódź")).toBe("oeuvre_lodz");
    expect(slugifyText("ﬁnal Ｍｉｘ ①")).toBe("final_mix_1");
  });

  it("turns runs of other characters into one _ and trims", () => {
    expect(slugifyText("  --Hello,   World!!--  ")).toBe("hello_world");
    expect(slugifyText("a__b..c")).toBe("a_b_c");
    expect(slugify("_x_/__y__.wav")).toBe("x_y");
  });

  it("drops only the last extension and keeps dotted stems", () => {
    expect(slugify("mix.v2.final.wav")).toBe("mix_v2_final");
    expect(slugify(".hidden")).toBe("hidden");
  });

  it("falls back when nothing transliterable remains", () => {
    expect(slugify("日本語.wav")).toBe(FALLBACK_SLUG);
    expect(slugify("音楽/日本語.wav")).toBe(FALLBACK_SLUG);
    expect(slugify("音楽/Take 1.wav")).toBe("take_1");
  });

  it("caps long names, cutting at a _ when one is near the end", () => {
    const long = slugify(`${"word ".repeat(40)}end.wav`);
    expect(long.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(long).toMatch(/^word(_word)+$/);
    const noBreaks = slugify(`${"x".repeat(200)}.wav`);
    expect(noBreaks).toBe("x".repeat(MAX_SLUG_LENGTH));
  });

  it("only ever yields lower-case ASCII letters, digits and inner underscores", () => {
    for (const p of ["ÀÉÎÕÜ/ñ ç.wav", "a/b/ c .mp3", "💿 Disc 1/♪ Track ♪.flac", "x.wav"]) {
      expect(slugify(p)).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
    }
  });
});

describe("uniqueSlugs", () => {
  it("suffixes collisions with _2, _3 in order", () => {
    expect(uniqueSlugs(["A/x.wav", "a/X.flac", "A/x.mp3", "b/x.wav"])).toEqual([
      "a_x",
      "a_x_2",
      "a_x_3",
      "b_x",
    ]);
  });

  it("never takes a slug another path has by itself", () => {
    // "a_x_2.wav" at the root slugifies to a_x_2 naturally; the duplicate a_x must skip it.
    expect(uniqueSlugs(["A/x.wav", "a/X.wav", "a_x_2.wav"])).toEqual(["a_x", "a_x_3", "a_x_2"]);
  });

  it("suffixes the fallback slug too", () => {
    expect(uniqueSlugs(["日本.wav", "中文.wav"])).toEqual(["track", "track_2"]);
  });

  it("returns distinct slugs for many collisions", () => {
    const paths = Array.from({ length: 50 }, (_, i) =>
      i % 2 ? `Dir/Song ${i % 3}.wav` : `dir/song_${i % 3}.wav`,
    );
    const slugs = uniqueSlugs(paths);
    expect(new Set(slugs).size).toBe(paths.length);
  });
});
