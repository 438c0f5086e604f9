/**
 * The report page: one HTML string with its style and script inline, and its data in two files
 * beside it in the assets folder (`pageScripts`). Pure.
 */
import { CLIENT_JS, STYLE_CSS } from "./client.js";
import {
  type BatchSummary,
  BRIGHTNESS_ORDER,
  CATEGORY_ORDER,
  GRADE_ORDER,
  REPORT_ASSETS_DIR,
  type ReportModel,
} from "./model.js";
import type { PageData } from "./page-data.js";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

/** JSON safe inside a <script> element: no "</script>", no "<!--", no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Seconds as "1 h 2 min", "3 min 4 s" or "5.6 s". */
export function formatDuration(sec: number): string {
  if (sec >= 3600) return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min`;
  if (sec >= 60) return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
  return `${sec.toFixed(1)} s`;
}

function batchHtml(b: BatchSummary): string {
  const stat = (n: number, label: string, cls = ""): string =>
    `<li${cls ? ` class="${cls}"` : ""}><b>${n}</b> ${escapeHtml(label)}</li>`;
  const c = b.perCategory;
  const time =
    b.wallSec !== null
      ? `<li>wall time <b>${formatDuration(b.wallSec)}</b></li>`
      : `<li>track time (sum) <b>${formatDuration(b.trackSec)}</b></li>`;
  const failures =
    b.failures.length === 0
      ? ""
      : `<details open><summary class="bad">${b.failures.length} failed track${b.failures.length === 1 ? "" : "s"}</summary><ul>${b.failures
          .map((f) => `<li><code>${escapeHtml(f.track)}</code>: ${escapeHtml(f.error)}</li>`)
          .join("")}</ul></details>`;
  return `<section class="batch" aria-labelledby="batch-h"><h2 id="batch-h">Batch${
    b.timestamp ? ` <span class="muted">${escapeHtml(b.timestamp)}</span>` : ""
  }</h2><ul class="stats">${stat(b.total, "tracks")}${stat(b.successful, "processed")}${stat(
    b.failed,
    "failed",
    b.failed > 0 ? "bad" : "",
  )}${stat(b.skipped, "skipped (already done)")}${time}</ul><ul class="stats">${stat(c.pads, "pads")}${stat(
    c.swells,
    "swells",
  )}${stat(c.clouds, "clouds")}${stat(c.hiss_loops, "hiss loops")}${stat(c.hiss_flickers, "hiss flickers")}</ul>${failures}</section>`;
}

function selectHtml(id: string, label: string, options: readonly (readonly [string, string])[]): string {
  return `<label for="${id}">${escapeHtml(label)}<select id="${id}">${options
    .map(([v, t]) => `<option value="${escapeHtml(v)}">${escapeHtml(t)}</option>`)
    .join("")}</select></label>`;
}

const NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

function filtersHtml(d: PageData): string {
  const byName = (a: readonly [string, string], b: readonly [string, string]): number =>
    a[1].localeCompare(b[1]);
  const keys = d.keys.map((k, i): [string, string] => [String(i), k]).sort(byName);
  const sources = d.sources.map((k, i): [string, string] => [String(i), k]).sort(byName);
  const scored = d.score !== null;
  return [
    selectHtml("f-cat", "Category", [
      ["", "All"],
      ...CATEGORY_ORDER.map((c): [string, string] => [c, c[0].toUpperCase() + c.slice(1)]),
    ]),
    selectHtml("f-grade", "Grade", [["", "All"], ...GRADE_ORDER.map((g): [string, string] => [g, g])]),
    selectHtml("f-bright", "Brightness", [
      ["", "All"],
      ...BRIGHTNESS_ORDER.map((b): [string, string] => [b, b[0].toUpperCase() + b.slice(1)]),
    ]),
    selectHtml("f-key", "Key", [["", "Any"], ...keys, ["-1", "No key"]]),
    selectHtml("f-root", "Root note", [
      ["", "Any"],
      ...NOTE_NAMES.map((n, i): [string, string] => [String(i), n]),
      ["-1", "No root"],
    ]),
    selectHtml("f-src", "Source", [["", "All"], ...sources]),
    selectHtml("f-choice", "Choice", [
      ["", "All"],
      ["keep", "Kept"],
      ["star", "Starred"],
      ["reject", "Rejected"],
      ["none", "Unmarked"],
      ["notreject", "Not rejected"],
    ]),
    `<label for="f-score">Min. score<input id="f-score" type="number" min="0" max="100" step="5" inputmode="numeric"${
      scored
        ? ' placeholder="0-100"'
        : ' disabled placeholder="none" title="This manifest has no score column"'
    }></label>`,
    selectHtml("f-dur", "Duration", [
      ["", "Any"],
      ["short", "Under 2 s"],
      ["mid", "2-8 s"],
      ["long", "8 s and over"],
    ]),
    `<label for="f-text">Search names<input id="f-text" type="search" autocomplete="off" placeholder="e.g. pad01, warm"></label>`,
    selectHtml("f-sort", "Sort by", [
      ["source", "Source"],
      ["score", scored ? "Score" : "Score (or grade)"],
      ["grade", "Grade"],
      ["brightness", "Brightness"],
      ["root", "Root note"],
      ["key", "Key"],
      ["duration", "Duration"],
    ]),
    `<button type="button" id="stop" aria-keyshortcuts="Escape">Stop (Esc)</button>`,
    `<div id="status"><p id="count" role="status" aria-live="polite"></p><p id="now" aria-live="polite"></p><p id="chosen" role="status" aria-live="polite"></p><button type="button" id="export" title="Save your choices as a file (put it in the export folder for patina kit)">Download selection.json</button></div>`,
  ].join("");
}

const KEYS_HTML = `<details class="keys"><summary>Keys</summary><dl>
<dt><kbd>\u2190</kbd> <kbd>\u2192</kbd> <kbd>\u2191</kbd> <kbd>\u2193</kbd></dt><dd>move between cards</dd>
<dt><kbd>Space</kbd></dt><dd>play or stop the current card</dd>
<dt><kbd>k</kbd> / <kbd>x</kbd></dt><dd>keep / reject (again: unmark)</dd>
<dt><kbd>s</kbd></dt><dd>star (keeps it too)</dd>
<dt><kbd>c</kbd></dt><dd>cue: while one texture plays, switch to this one at its next loop end</dd>
<dt><kbd>Esc</kbd></dt><dd>stop</dd>
<dt><kbd>/</kbd></dt><dd>search names</dd>
</dl></details>`;

function mapNote(d: PageData): string {
  if (d.map === null) return "No map: fewer than three textures have a fingerprint.";
  const how =
    d.map.from === "fingerprints"
      ? `Textures that sound alike sit close together (the two main directions of their timbre fingerprints, ${Math.round(d.map.shown * 100)}% of the variation).`
      : `This export has no fingerprints.json (made by an older patina), so the map uses brightness, loudness, crest factor and length from the manifest (${Math.round(d.map.shown * 100)}% of their variation).`;
  return `${how} Hover a dot to hear it, click it to go to its card.`;
}

function sideHtml(d: PageData): string {
  const counts = CATEGORY_ORDER.map(
    (_, c) => d.cat.filter((x, i) => x === c && (d.map?.x[i] ?? -1) >= 0).length,
  );
  const legend = CATEGORY_ORDER.map(
    (c, k) => `<li><i style="background:var(--${c})"></i>${c} (${counts[k]})</li>`,
  ).join("");
  const near =
    d.near === null
      ? ""
      : `<h2 id="near-h">Similar to <span id="near-of"></span></h2><ol id="near" aria-labelledby="near-h"></ol>`;
  return `<aside id="side" aria-label="Similar sounds"><h2>Map</h2><p class="muted" id="map-note">${escapeHtml(
    mapNote(d),
  )}</p>${
    d.map === null
      ? ""
      : `<div id="map-box"><canvas id="map" role="img" aria-label="Map of the textures by timbre; hover plays, click selects"></canvas><div id="map-tip" hidden></div></div><ul class="legend">${legend}</ul>`
  }${near}</aside>`;
}

/** The page's data files, relative to the page (inside the report's assets folder). */
export const CARDS_SCRIPT = `${REPORT_ASSETS_DIR}/cards.js`;
export const SIMILAR_SCRIPT = `${REPORT_ASSETS_DIR}/similar.js`;

/**
 * The two data files beside the page: the cards (loaded before the page's script) and the map and
 * neighbour vectors (loaded after the first screen is drawn). Each holds its JSON as one string
 * literal: a browser scans a 4 MB string far faster than it parses a 4 MB inline script element or
 * an object literal, and JSON.parse reads it back. `stamp` ties the two to one build.
 */
export function pageScripts(model: ReportModel): { cards: string; similar: string } {
  const { map, near, ...cards } = model.data;
  const literal = (v: unknown): string => JSON.stringify(JSON.stringify(v));
  return {
    cards: `window.patinaCards = ${literal(cards)};\n`,
    similar: `window.patinaSimilar = ${literal({ stamp: model.data.stamp, map, near })};\n`,
  };
}

/** The complete page for `model` (its data in the files `pageScripts` gives). */
export function renderHtml(model: ReportModel): string {
  const d = model.data;
  const warnings =
    model.warnings.length === 0
      ? ""
      : `<details class="batch"><summary class="bad">${model.warnings.length} warning${
          model.warnings.length === 1 ? "" : "s"
        }</summary><ul>${model.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul></details>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="patina">
<title>${escapeHtml(model.title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE_CSS}</style>
</head>
<body>
<a class="skip" href="#cards">Skip to textures</a>
<header>
<h1>${escapeHtml(model.title)}</h1>
<p class="sub">${model.textures} texture${model.textures === 1 ? "" : "s"} from ${model.sources} source${
    model.sources === 1 ? "" : "s"
  } · generated ${escapeHtml(model.generatedAt)} · keep <kbd>k</kbd>, reject <kbd>x</kbd>, star <kbd>s</kbd>, play <kbd>Space</kbd>, cue <kbd>c</kbd></p>
${KEYS_HTML}
${model.batch ? batchHtml(model.batch) : ""}${warnings}
</header>
<form id="filters" role="search" aria-label="Filter and sort textures">${filtersHtml(d)}</form>
<div id="layout">
<main id="cards" tabindex="-1" aria-label="Textures"><div id="list" role="feed"></div><p class="empty" id="empty" hidden>No texture matches these filters.</p></main>
${sideHtml(d)}
</div>
<audio id="player" preload="none"></audio>
<audio id="player-b" preload="none"></audio>
<footer>Made by patina. Loops play looped at their loop points, one-shots once; one texture at a time. Choices are kept in this browser${" "}and, with <code>patina report --serve</code>, in <code>selection.json</code> beside the manifest.</footer>
<script src="${CARDS_SCRIPT}"></script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
