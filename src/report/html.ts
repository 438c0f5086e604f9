/** The report page as one self-contained HTML string (inline style, script and data). Pure. */
import { CLIENT_JS, STYLE_CSS } from "./client.js";
import type { BatchSummary, ReportModel } from "./model.js";

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

function selectHtml(id: string, label: string, options: readonly [string, string][]): string {
  return `<label for="${id}">${escapeHtml(label)}<select id="${id}">${options
    .map(([v, t]) => `<option value="${escapeHtml(v)}">${escapeHtml(t)}</option>`)
    .join("")}</select></label>`;
}

/** The complete page for `model`. */
export function renderHtml(model: ReportModel): string {
  const sources = new Set(model.cards.map((c) => c.s)).size;
  const warnings =
    model.warnings.length === 0
      ? ""
      : `<details class="batch"><summary class="bad">${model.warnings.length} warning${
          model.warnings.length === 1 ? "" : "s"
        }</summary><ul>${model.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul></details>`;
  const filters = [
    selectHtml("f-cat", "Category", [
      ["", "All"],
      ["pads", "Pads"],
      ["swells", "Swells"],
      ["clouds", "Clouds"],
      ["hiss", "Hiss"],
    ]),
    selectHtml("f-grade", "Grade", [
      ["", "All"],
      ["A", "A"],
      ["B", "B"],
      ["C", "C"],
      ["F", "F"],
    ]),
    selectHtml("f-bright", "Brightness", [
      ["", "All"],
      ["bright", "Bright"],
      ["mid", "Mid"],
      ["dark", "Dark"],
      ["silent", "Silent"],
    ]),
    `<label for="f-text">Search names<input id="f-text" type="search" autocomplete="off" placeholder="e.g. pad01, warm"></label>`,
    selectHtml("f-sort", "Sort by", [
      ["source", "Source"],
      ["grade", "Grade"],
      ["brightness", "Brightness"],
    ]),
    `<button type="button" id="stop" aria-keyshortcuts="Space">Stop (Space)</button>`,
    `<div><p id="count" role="status" aria-live="polite"></p><p id="now" aria-live="polite"></p></div>`,
  ].join("");
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
<p class="sub">${model.cards.length} texture${model.cards.length === 1 ? "" : "s"} from ${sources} source${
    sources === 1 ? "" : "s"
  } · generated ${escapeHtml(model.generatedAt)} · Space or Esc stops playback</p>
${model.batch ? batchHtml(model.batch) : ""}${warnings}
</header>
<form id="filters" role="search" aria-label="Filter and sort textures">${filters}</form>
<main id="cards" tabindex="-1" aria-label="Textures"></main>
<audio id="player" preload="none"></audio>
<footer>Made by patina. Loops play looped at their loop points, one-shots once; one texture at a time.</footer>
<script type="application/json" id="patina-data">${scriptJson({ images: model.images, cards: model.cards })}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
