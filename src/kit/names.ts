/**
 * Sample names in a kit. `keep`: the export's file names. `short`: what a small screen can show and
 * a musician can still read, kind + source word + root note, e.g. "PdGlassC3" (a pad from
 * "glass_take2" rooted on C3), "LpDuskGm" (a loop in G minor without a sure root), "LpDuskFs3"
 * (F#3, sharps as the profile writes them), at most `maxLength` characters, ASCII. Names are unique
 * in the kit (case-insensitively: SD cards are FAT): a second "PdGlassC3" becomes "PdGlass2C3".
 */
import type { ManifestRow, TextureType } from "../core/manifest.js";
import { safeName } from "../io/names.js";
import { noteName, parseKey } from "./keys.js";
import { hasConfidentRoot } from "./score.js";

const KIND: Readonly<Record<TextureType, string>> = {
  pad: "Pd",
  loop: "Lp",
  swell: "Sw",
  reversed: "Rv",
  cloud: "Cl",
  hiss_loop: "Hs",
  hiss_flicker: "Fl",
};

/** Words of a source name: split at separators, digits and lower-to-upper changes. */
function words(source: string): string[] {
  return source
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length > 0);
}

const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

export interface NameOptions {
  readonly style: "keep" | "short";
  readonly maxLength: number | null;
  readonly sharp: string;
}

/** The names of `rows` in order, unique (case-insensitively) and within `maxLength`. */
export function sampleNames(rows: readonly ManifestRow[], o: NameOptions): string[] {
  const taken = new Set<string>();
  const max = o.maxLength ?? 120;
  return rows.map((row) => {
    const parts = o.style === "short" ? shortParts(row, o.sharp) : keepParts(row);
    for (let k = 1; ; k++) {
      const counter = k === 1 ? "" : String(k);
      const room = Math.max(1, max - parts.head.length - parts.tail.length - counter.length);
      const name = `${parts.head}${parts.body.slice(0, room)}${counter}${parts.tail}`.slice(0, max);
      if (!taken.has(name.toLowerCase())) {
        taken.add(name.toLowerCase());
        return name;
      }
    }
  });
}

/** A name in three parts: the body is shortened to fit, a counter goes between body and tail. */
interface Parts {
  head: string;
  body: string;
  tail: string;
}

function shortParts(row: ManifestRow, sharp: string): Parts {
  const w = words(row.source);
  // The first word that says something (not a track number or "track"), else the first.
  const word = w.find((x) => x.length > 1 && !/^(track|take|song|audio|untitled)$/i.test(x)) ?? w[0] ?? "";
  return {
    head: KIND[row.type],
    body: capital(word),
    tail: pitchTag(row, sharp),
  };
}

/** Root note with octave when confident ("C3"), else the key without octave ("Gm", "Eb"), else "". */
function pitchTag(row: ManifestRow, sharp: string): string {
  if (hasConfidentRoot(row) && row.root_midi !== null) return noteName(row.root_midi, sharp);
  const key = row.key === null ? null : parseKey(row.key);
  if (key === null) return "";
  return `${key.name.split(" ")[0].replace("#", sharp)}${key.mode === "minor" ? "m" : ""}`;
}

function keepParts(row: ManifestRow): Parts {
  const base = row.file.split("/").pop() ?? row.file;
  return { head: "", body: safeName(base.replace(/\.wav$/i, "")), tail: "" };
}
