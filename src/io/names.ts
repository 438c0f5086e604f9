import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { ParameterError } from "../core/errors.js";

/** Letters NFKD does not decompose into ASCII. */
const SPECIAL: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ø: "o",
  Ø: "O",
  đ: "d",
  Đ: "D",
  ł: "l",
  Ł: "L",
  þ: "th",
  Þ: "TH",
  ð: "d",
  Ð: "D",
  ı: "i",
};

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file-name stem safe on every OS and on sampler SD cards: ASCII letters, digits, `_` and `-` only
 * (accents transliterated: "Café Noël" -> "Cafe_Noel"), no separators, never empty, `.` or `..`,
 * never a Windows device name, at most `maxLength` characters.
 */
export function safeName(text: string, maxLength = 100): string {
  let s = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  s = s.replace(/[\u0080-\u{10ffff}]/gu, (c) => SPECIAL[c] ?? "_");
  s = s
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[_-]+|_+$/g, "");
  if (s.length > maxLength) s = s.slice(0, maxLength).replace(/_+$/, "");
  if (s === "") s = "untitled";
  if (RESERVED.test(s)) s = `${s}_`;
  return s;
}

/**
 * Join `name` (a file name, or a relative path of safe segments separated by "/") onto `dir`, refusing
 * anything that would land outside `dir`: absolute paths, "..", backslashes, NUL.
 */
export function safeJoin(dir: string, name: string): string {
  if (name === "" || name.includes("\0") || name.includes("\\") || isAbsolute(name)) {
    throw new ParameterError(`unsafe output name: ${JSON.stringify(name)}`);
  }
  const parts = name.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new ParameterError(`unsafe output name (empty, "." or ".." segment): ${JSON.stringify(name)}`);
  }
  const full = join(dir, ...parts);
  const rel = relative(resolve(dir), resolve(full));
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
    throw new ParameterError(`output name escapes ${dir}: ${JSON.stringify(name)}`);
  }
  return full;
}
