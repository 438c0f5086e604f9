/**
 * The discovery cache: what the probe said about each file, keyed by relative path, size and mtime,
 * so a rerun on an unchanged archive reads no audio file. Failures are cached too (an unreadable
 * file stays unreadable until it changes). One JSON file per archive in the user's cache folder
 * (never inside the archive: patina writes nothing into what it reads), written atomically; a
 * missing, corrupt or older-version cache is simply rebuilt.
 */
import { createHash } from "node:crypto";
import { readFile, realpath } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { DecodeErrorReason } from "../core/errors.js";
import { writeTextFileAtomic } from "./textfile.js";
import type { AudioInfo, Container } from "./types.js";

/** Bump when the probe or the entry shape changes so old answers are not trusted. */
export const DISCOVER_CACHE_VERSION = 1;

/** AudioInfo without the path (the cache is keyed by the path relative to the root). */
export type CachedInfo = Omit<AudioInfo, "path">;

export type CachedProbe =
  | { readonly ok: true; readonly info: CachedInfo }
  | { readonly ok: false; readonly reason: DecodeErrorReason | "unknown"; readonly message: string };

export interface CacheEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly result: CachedProbe;
}

export interface LoadedCache {
  readonly entries: Map<string, CacheEntry>;
  /** Why an existing cache file was ignored (corrupt, unreadable), or null. */
  readonly warning: string | null;
}

/**
 * The user's cache folder for patina: `$XDG_CACHE_HOME/patina` (an absolute XDG_CACHE_HOME, as the
 * XDG spec asks), else `~/.cache/patina`.
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "patina");
  return join(env.HOME || homedir(), ".cache", "patina");
}

/**
 * `<cacheDir>/discover/<hash>.json`, keyed by the archive's real path, so the same archive reached
 * through a link or a relative path shares one cache and two archives never share one.
 */
export async function discoverCachePath(root: string, cacheDir: string): Promise<string> {
  const real = await realpath(root).catch(() => resolve(root));
  const key = createHash("sha256").update(real).digest("hex").slice(0, 32);
  return join(cacheDir, "discover", `${key}.json`);
}

const CONTAINERS: readonly string[] = ["wav", "aiff", "flac", "mp3"];
const REASONS: readonly string[] = [
  "not-audio",
  "unsupported-codec",
  "truncated",
  "zero-length",
  "non-finite",
  "corrupt",
  "io",
  "unknown",
];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function parseInfo(v: unknown): CachedInfo | null {
  if (!isObj(v)) return null;
  const { container, codec, sampleRate, channels, bitDepth, frames, durationSec, sizeBytes, warnings } = v;
  if (typeof container !== "string" || !CONTAINERS.includes(container)) return null;
  if (typeof codec !== "string" || !isNum(sampleRate) || !isNum(channels) || !isNum(durationSec)) return null;
  if (!(bitDepth === null || isNum(bitDepth)) || !(frames === null || isNum(frames))) return null;
  if (!isNum(sizeBytes) || !Array.isArray(warnings) || !warnings.every((w) => typeof w === "string")) {
    return null;
  }
  return {
    container: container as Container,
    codec,
    sampleRate,
    channels,
    bitDepth,
    frames,
    durationSec,
    sizeBytes,
    warnings: warnings as string[],
  };
}

function parseEntry(v: unknown): CacheEntry | null {
  if (!isObj(v) || !isNum(v.size) || !isNum(v.mtimeMs)) return null;
  if (v.ok === true) {
    const info = parseInfo(v.info);
    return info ? { size: v.size, mtimeMs: v.mtimeMs, result: { ok: true, info } } : null;
  }
  if (v.ok === false && typeof v.reason === "string" && REASONS.includes(v.reason)) {
    const message = typeof v.message === "string" ? v.message : "";
    const reason = v.reason as DecodeErrorReason | "unknown";
    return { size: v.size, mtimeMs: v.mtimeMs, result: { ok: false, reason, message } };
  }
  return null;
}

/** Load a cache file; never throws (a bad cache only costs a re-probe). */
export async function loadDiscoverCache(path: string): Promise<LoadedCache> {
  const entries = new Map<string, CacheEntry>();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      entries,
      warning: code === "ENOENT" ? null : `discovery cache ignored: cannot read ${path} (${code})`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { entries, warning: `discovery cache ignored: ${path} is not valid JSON` };
  }
  if (!isObj(data) || data.version !== DISCOVER_CACHE_VERSION || !isObj(data.entries)) {
    return { entries, warning: null };
  }
  for (const [rel, raw] of Object.entries(data.entries)) {
    const entry = parseEntry(raw);
    if (entry) entries.set(rel, entry);
  }
  return { entries, warning: null };
}

/** The cached answer for a file if its size and mtime still match, else undefined. */
export function lookupCache(
  entries: ReadonlyMap<string, CacheEntry>,
  relPath: string,
  size: number,
  mtimeMs: number,
): CachedProbe | undefined {
  const e = entries.get(relPath);
  return e && e.size === size && e.mtimeMs === mtimeMs ? e.result : undefined;
}

/** Write the cache atomically (temp file + rename). Throws WriteError when the folder is read-only. */
export async function saveDiscoverCache(
  path: string,
  entries: ReadonlyMap<string, CacheEntry>,
): Promise<void> {
  const out: Record<string, unknown> = {};
  for (const [rel, e] of entries) {
    out[rel] = e.result.ok
      ? { size: e.size, mtimeMs: e.mtimeMs, ok: true, info: e.result.info }
      : { size: e.size, mtimeMs: e.mtimeMs, ok: false, reason: e.result.reason, message: e.result.message };
  }
  await writeTextFileAtomic(path, JSON.stringify({ version: DISCOVER_CACHE_VERSION, entries: out }));
}
