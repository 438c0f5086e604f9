/**
 * Track slugs for batch folders (`work/<slug>/`, `export/.../by_source/<slug>/`): lower-case ASCII
 * letters, digits and `_`, safe on every OS and on sampler SD cards.
 *
 * A slug is made from the path's last folder and the file stem, joined by `_`
 * (`Album/01 Intro.wav` -> `album_01_intro`), so same-named files in different folders
 * (`a/take 1.wav`, `b/take 1.wav`) stay apart; a file at the root has no folder and uses the stem
 * alone (`01 Vainqueur - Solanus (Extracted 2).flac` -> `01_vainqueur_solanus_extracted_2`).
 */

/** Letters NFKD does not decompose into ASCII. */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: "ss",
  ẞ: "ss",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  ø: "o",
  Ø: "o",
  đ: "d",
  Đ: "d",
  ð: "d",
  Ð: "d",
  þ: "th",
  Þ: "th",
  ł: "l",
  Ł: "l",
  ı: "i",
  ħ: "h",
  Ħ: "h",
};

/** Longest slug; long names are cut (at a `_` when one is near) to stay well under file-name limits. */
export const MAX_SLUG_LENGTH = 80;

/** Used when nothing transliterable is left (e.g. a name written only in CJK characters). */
export const FALLBACK_SLUG = "track";

/**
 * Slugify free text: transliterate (NFKD, accents dropped, ß -> ss, æ -> ae, ø -> o, ...), lower-case,
 * runs of anything but ASCII letters and digits -> `_`, trimmed of `_`. May return "".
 */
export function slugifyText(text: string): string {
  let s = "";
  for (const ch of text) s += SPECIAL[ch] ?? ch;
  s = s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s.length > MAX_SLUG_LENGTH) {
    s = s.slice(0, MAX_SLUG_LENGTH);
    const cut = s.lastIndexOf("_");
    if (cut >= MAX_SLUG_LENGTH - 20) s = s.slice(0, cut);
    s = s.replace(/_+$/, "");
  }
  return s;
}

/** The file stem (name without its last extension) and the last folder of a relative path. */
function splitPath(relPath: string): { folder: string; stem: string } {
  const parts = relPath.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  const name = parts.pop() ?? "";
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return { folder: parts.pop() ?? "", stem };
}

/** The slug of one track path (not yet made unique; see {@link uniqueSlugs}). */
export function slugify(relPath: string): string {
  const { folder, stem } = splitPath(relPath);
  const s = slugifyText(folder === "" ? stem : `${folder}_${stem}`);
  return s === "" ? FALLBACK_SLUG : s;
}

/**
 * Slugs for many paths, in order, made unique: the first path with a given slug keeps it, later
 * ones get `_2`, `_3`, ... (skipping any slug another path has by itself, so adding a file never
 * renames a file whose slug was unique).
 */
export function uniqueSlugs(relPaths: readonly string[]): string[] {
  const bases = relPaths.map(slugify);
  const taken = new Set(bases);
  const used = new Set<string>();
  return bases.map((base) => {
    if (!used.has(base)) {
      used.add(base);
      return base;
    }
    let n = 2;
    while (taken.has(`${base}_${n}`) || used.has(`${base}_${n}`)) n++;
    const s = `${base}_${n}`;
    used.add(s);
    return s;
  });
}
