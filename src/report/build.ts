/**
 * buildReport: manifest.csv (+ fingerprints.json, selection.json, batch_results.json) -> the images
 * under `<export_dir>/.report/` (images.ts) and a self-contained `<export_dir>/index.html` whose
 * cards, map and stored choices travel as columns (page-data.ts). The build only reads
 * selection.json (the page and `patina report --serve` write it), so rebuilding never loses a choice.
 */
import { createHash } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { PatinaError, UsageError } from "../core/errors.js";
import type { FingerprintFile, SelectionFile } from "../core/export-files.js";
import type { ManifestRow } from "../core/manifest.js";
import { statFile } from "../io/entries.js";
import { readExportFingerprints, readExportRows, readSelection } from "../io/export-folder.js";
import { ensureDir, isDirectory } from "../io/fs.js";
import { writeFileAtomic } from "../io/index.js";
import { readTextFile } from "../io/textfile.js";
import { CARDS_SCRIPT, pageScripts, renderHtml, SIMILAR_SCRIPT } from "./html.js";
import { IMAGE_DEFAULTS, type ImageOptions, renderImages } from "./images.js";
import {
  type BatchSummary,
  type CardData,
  cardFor,
  REPORT_ASSETS_DIR,
  type ReportModel,
  rowExtras,
  sortCards,
  summariseBatch,
} from "./model.js";
import { encodePage, featureVectors, fingerprintVectors, similarity } from "./page-data.js";

export { ImagePrimer, type PrimedImages } from "./images.js";
export { REPORT_ASSETS_DIR } from "./model.js";

export interface BuildReportOptions extends ImageOptions {
  /** Page title; default "patina report: <export folder name>". */
  readonly title: string | null;
  /** batch_results.json to summarise; default: the nearest one in the export folder or up to three above. */
  readonly batchResultsPath: string | null;
}

export const BUILD_REPORT_DEFAULTS: BuildReportOptions = {
  title: null,
  batchResultsPath: null,
  force: false,
  ...IMAGE_DEFAULTS,
  onProgress: null,
  primed: null,
};

export interface BuildReportResult {
  /** Absolute path of the written index.html. */
  readonly htmlPath: string;
  /** Cards on the page (saved manifest rows). */
  readonly textures: number;
  readonly sources: number;
  /** WAVs whose images were (re)rendered this run. */
  readonly rendered: number;
  /** WAVs whose images were already up to date. */
  readonly reused: number;
  /** Images deleted because no texture uses them any more. */
  readonly pruned: number;
  /** The batch_results.json summarised, if one was found. */
  readonly batchResultsPath: string | null;
  /** Where the map comes from: fingerprints.json, manifest columns (no fingerprints), or none. */
  readonly map: "fingerprints" | "features" | null;
  /** Kept and rejected textures in the selection.json the page was built with (null: none). */
  readonly selection: { readonly kept: number; readonly rejected: number } | null;
  /** Problems shown on the page too (missing or unreadable WAVs). */
  readonly warnings: readonly string[];
}

async function findBatchResults(dir: string, explicit: string | null): Promise<string | null> {
  if (explicit !== null) return resolve(explicit);
  let d = dir;
  // Batch writes `<out>/batch_results.json` and exports to `<out>/export/tr8s[/<profile>]`.
  for (let up = 0; up <= 3; up++) {
    const p = join(d, "batch_results.json");
    if ((await statFile(p)) !== null) return p;
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return null;
}

async function loadBatch(path: string | null, warnings: string[]): Promise<BatchSummary | null> {
  if (path === null) return null;
  try {
    const summary = summariseBatch(JSON.parse(await readTextFile(path)));
    if (summary === null) warnings.push(`${path}: not a batch_results.json (no "results" array), ignored`);
    return summary;
  } catch (e) {
    // readTextFile wraps the file system's error (its message already names the path): show the original.
    const reason = e instanceof PatinaError && e.cause instanceof Error ? e.cause : (e as Error);
    warnings.push(`${path}: cannot read batch results (${reason.message}), ignored`);
    return null;
  }
}

async function loadFingerprints(dir: string, warnings: string[]): Promise<FingerprintFile | null> {
  try {
    return await readExportFingerprints(dir);
  } catch (e) {
    warnings.push(`fingerprints: ${(e as Error).message}; the map uses manifest columns instead`);
    return null;
  }
}

async function loadSelection(dir: string, warnings: string[]): Promise<SelectionFile | null> {
  try {
    return await readSelection(dir);
  } catch (e) {
    warnings.push(`${(e as Error).message}; the page starts without it and will not overwrite it`);
    return null;
  }
}

/** Build `<exportDir>/index.html` and the images it shows. */
export async function buildReport(
  exportDir: string,
  options: Partial<BuildReportOptions> = {},
): Promise<BuildReportResult> {
  const o: BuildReportOptions = { ...BUILD_REPORT_DEFAULTS, ...options };
  const dir = resolve(exportDir);
  if (!(await isDirectory(dir))) throw new UsageError("export folder not found", { path: dir });
  const rows = (await readExportRows(dir)).filter((r) => r.saved);
  const drawn = await renderImages(dir, rows, o);
  const warnings = [...drawn.warnings];
  const rowOf = new Map<CardData, ManifestRow>();
  const cards = sortCards(
    rows.map((r) => {
      const images = drawn.images.get(r.file) ?? { waveform: false, spectrogram: false };
      const card = cardFor(r, drawn.facts.get(r.file) ?? null, images, rowExtras(r));
      rowOf.set(card, r);
      return card;
    }),
  );
  const fingerprints = await loadFingerprints(dir, warnings);
  const vectors =
    fingerprintVectors(
      cards.map((c) => c.file),
      fingerprints,
    ) ?? featureVectors(cards.map((c) => rowOf.get(c)!));
  const similar = similarity(vectors);
  const selection = await loadSelection(dir, warnings);
  const batchResultsPath = await findBatchResults(dir, o.batchResultsPath);
  const batch = await loadBatch(batchResultsPath, warnings);
  const sources = new Set(cards.map((c) => c.source)).size;
  const model: ReportModel = {
    title: o.title ?? `patina report: ${basename(dir)}`,
    generatedAt: new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, " UTC"),
    textures: cards.length,
    sources,
    data: encodePage(cards, {
      id: createHash("sha256").update(dir).digest("hex").slice(0, 16),
      stamp: `${Date.now().toString(36)}-${process.pid.toString(36)}`,
      images: { waveform: o.waveform, spectrogram: o.spectrogram },
      map: similar?.map ?? null,
      near: similar?.near ?? null,
      selection,
    }),
    batch,
    warnings,
  };
  const htmlPath = join(dir, "index.html");
  // Data first, page last: a page on disk always finds its data.
  const scripts = pageScripts(model);
  await ensureDir(join(dir, REPORT_ASSETS_DIR));
  await writeFileAtomic(join(dir, CARDS_SCRIPT), scripts.cards);
  await writeFileAtomic(join(dir, SIMILAR_SCRIPT), scripts.similar);
  await writeFileAtomic(htmlPath, renderHtml(model));
  const marks = selection === null ? null : Object.values(selection.textures);
  return {
    htmlPath,
    textures: cards.length,
    sources,
    rendered: drawn.rendered,
    reused: drawn.reused,
    pruned: drawn.pruned,
    batchResultsPath: batch === null ? null : batchResultsPath,
    map: similar === null ? null : similar.map.from,
    selection:
      marks === null
        ? null
        : {
            kept: marks.filter((m) => m.state === "keep").length,
            rejected: marks.filter((m) => m.state === "reject").length,
          },
    warnings,
  };
}
