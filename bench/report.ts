/**
 * The report at archive size: a synthetic `batch` export of 5,000 and 50,000 textures (59 per track,
 * as a real batch gives; one small WAV and its two images hard-linked under every name, so nothing
 * is decoded or drawn), with fingerprints.json and the optional score/root columns. Figures per
 * size (`r5000_...`, `r50000_...`):
 * - build_ms: buildReport with the images already drawn (what `patina report` costs after a batch);
 *   rebuild_ms: the same again (cache hit);
 * - page_bytes: index.html (and its data files, if any);
 * - first_screen_ms: navigation start to the first frame with cards on screen (in-page clock);
 * - loaded_ms: navigation start to everything done (load event, all cards ready, the map drawn);
 * - scroll_20_steps_ms: scrolling to the end in 20 jumps, each waiting for its frame to be drawn;
 *   scroll_step_max_ms: the slowest jump (the page draws the cards a jump lands on at once and
 *   their images when it rests, so this is the cost of cards, not of image loads);
 * - pages_20_ms / page_step_max_ms: 20 steps of nine tenths of a screen from the top (Page Down,
 *   a quick wheel), images loading as they come; a smooth page stays near a frame or two per step.
 * Medians of BENCH_REPORT_ROUNDS (default 3) page loads. Target (issue 16): at 50,000 the first
 * screen within 1 s and smooth scrolling.
 *
 * Run alone: `node --import tsx bench/report.ts` (BENCH_REPORT_SIZES, a comma list, overrides 5000,50000).
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { MANIFEST_COLUMNS, type ManifestRow } from "../src/core/manifest.js";
import { toCsv } from "../src/io/csv.js";
import { encodeWav } from "../src/io/index.js";
import { buildReport, type PrimedImages } from "../src/report/build.js";
import { spectrogramPng } from "../src/report/render/spectrogram.js";
import { waveformPng } from "../src/report/render/waveform.js";
import { launchChromium } from "../test/support/browser.js";
import { median } from "./stats.js";

const SR = 22050;
const PER_TRACK = { pads: 16, swells: 10, clouds: 6, hissLoops: 4, flickers: 23 };
const FP_DIMS = 40;
const SCROLL_STEPS = 20;
const EXTRA_COLUMNS = ["score", "root_confidence", "root_cents"] as const;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A 0.5 s tone with a few partials: the one WAV every row points at. */
function sampleWav(): Uint8Array {
  const n = Math.round(0.5 * SR);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++)
    x[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / SR) + 0.1 * Math.sin((2 * Math.PI * 660 * i) / SR);
  return encodeWav({ sampleRate: SR, channels: [x] }, { bitDepth: 16 });
}

/** A row and the values of the optional columns (written whether or not ManifestRow knows them). */
interface Planned {
  readonly row: ManifestRow;
  readonly extra: Readonly<Record<(typeof EXTRA_COLUMNS)[number], number>>;
}

/** The rows of one track, named as `make` names them. */
function trackRows(slug: string, t: number, rand: () => number): Planned[] {
  const out: Planned[] = [];
  const tags = ["dark", "mid", "bright"] as const;
  const keys = ["A minor", "C major", "E minor", "D major", "F# minor", null];
  const add = (file: string, over: Partial<ManifestRow>): void => {
    const cat = over.category ?? "pads";
    const centroid = 200 + rand() * 6000;
    const root = rand() < 0.7 ? 36 + Math.floor(rand() * 36) : null;
    out.push({
      row: {
        file,
        source: slug,
        type: "pad",
        category: cat,
        duration_sec: Math.round((0.25 + rand() * 12) * 1000) / 1000,
        rms_db: -30 + rand() * 20,
        peak_dbfs: -1,
        crest_factor: 3 + rand() * 6,
        centroid_hz: Math.round(centroid),
        brightness: tags[Math.min(2, Math.floor(centroid / 2100))],
        root_hz: root === null ? null : 440 * 2 ** ((root - 69) / 12),
        root_midi: root,
        key: keys[(t + out.length) % keys.length],
        loop: cat === "pads" || over.type === "hiss_loop",
        loop_start: 0,
        loop_end: Math.round(0.5 * SR),
        loop_seam_db: Math.round((rand() * 6 - 2) * 10) / 10,
        loop_dip_db: -0.5,
        grade: rand() < 0.6 ? "A" : rand() < 0.7 ? "B" : "F",
        grade_reason: rand() < 0.5 ? "clean" : "slightly dull",
        saved: true,
        seed: 7,
        params: {},
        ...over,
        // Newer manifests carry more columns (score, ...): they are written from `extra`.
      } as ManifestRow,
      extra: {
        score: Math.round(rand() * 100),
        root_confidence: Math.round(rand() * 100) / 100,
        root_cents: Math.round(rand() * 100 - 50),
      },
    });
  };
  const i2 = (i: number): string => String(i + 1).padStart(2, "0");
  for (let i = 0; i < PER_TRACK.pads; i++)
    add(`pads/${slug}_pad${i2(i)}_${tags[i % 3]}.wav`, { category: "pads", type: i % 4 ? "pad" : "loop" });
  for (let i = 0; i < PER_TRACK.swells; i++)
    add(`swells/${slug}_stretch1.5x_swell${i2(i)}.wav`, { category: "swells", type: "swell", loop: false });
  for (let i = 0; i < PER_TRACK.clouds; i++)
    add(`clouds/cloud_${slug}_${i2(i)}_${tags[i % 3]}.wav`, {
      category: "clouds",
      type: "cloud",
      loop: false,
    });
  for (let i = 0; i < PER_TRACK.hissLoops; i++)
    add(`hiss/hiss_loop_${slug}_${i2(i)}.wav`, { category: "hiss", type: "hiss_loop" });
  for (let i = 0; i < PER_TRACK.flickers; i++)
    add(`hiss/hiss_flicker_${slug}_${i2(i)}.wav`, { category: "hiss", type: "hiss_flicker", loop: false });
  return out;
}

function csvCell(v: unknown): unknown {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return v;
}

/** A batch export of `n` textures: `by_source/<slug>/manifest.csv` etc. Returns the primed images. */
export function makeExport(dir: string, n: number): Map<string, PrimedImages> {
  const wav = join(dir, ".bench.wav");
  writeFileSync(wav, sampleWav());
  const audio = new Float32Array(Math.round(0.5 * SR)).map((_, i) => Math.sin((2 * Math.PI * 220 * i) / SR));
  const wavePng = join(dir, ".bench.wave.png");
  const specPng = join(dir, ".bench.spec.png");
  writeFileSync(wavePng, waveformPng(audio, { width: 480, height: 64 }));
  writeFileSync(specPng, spectrogramPng(audio, SR, { width: 240, height: 48 }));
  const st = statSync(wav);
  const primed = new Map<string, PrimedImages>();
  const rand = lcg(n);
  const perTrack = Object.values(PER_TRACK).reduce((a, b) => a + b, 0);
  const centres = Array.from({ length: 8 }, () => Array.from({ length: FP_DIMS }, () => rand() * 4 - 2));
  const made = new Set<string>();
  const link = (from: string, to: string): void => {
    const d = dirname(to);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    linkSync(from, to);
  };
  let count = 0;
  for (let t = 0; count < n; t++) {
    const slug = `${String(t + 1).padStart(4, "0")}_session_take_${["ambient", "tape", "live"][t % 3]}`;
    const folder = `by_source/${slug}`;
    const rows = trackRows(slug, t, rand).slice(0, n - count);
    count += rows.length;
    const fingerprints: Record<string, number[]> = {};
    for (const { row } of rows) {
      const rel = `${folder}/${row.file}`;
      link(wav, join(dir, rel));
      const stem = rel.replace(/\.wav$/, "");
      link(wavePng, join(dir, ".report", `${stem}.wave.png`));
      if (row.category === "pads" || row.category === "clouds")
        link(specPng, join(dir, ".report", `${stem}.spec.png`));
      primed.set(rel, { mtimeMs: st.mtimeMs, size: st.size, sampleRate: SR, frames: audio.length });
      const c = centres[(t * 3 + row.file.length) % centres.length];
      fingerprints[row.file] = c.map((v) => Math.round((v + (rand() - 0.5)) * 1000) / 1000);
    }
    // The manifest's columns, and the optional ones where the manifest type does not list them (yet).
    const columns: string[] = [...MANIFEST_COLUMNS];
    for (const c of EXTRA_COLUMNS) if (!columns.includes(c)) columns.push(c);
    const cell = ({ row, extra }: Planned, c: string): unknown =>
      c in extra ? extra[c as keyof typeof extra] : csvCell((row as unknown as Record<string, unknown>)[c]);
    writeFileSync(
      join(dir, folder, "manifest.csv"),
      toCsv(
        columns,
        rows.map((p) => columns.map((c) => cell(p, c))),
      ),
    );
    const dims = Array.from({ length: FP_DIMS }, (_, i) => `d${i}`);
    writeFileSync(
      join(dir, folder, "fingerprints.json"),
      JSON.stringify({ version: 1, dims, textures: fingerprints }),
    );
    if (rows.length < perTrack) break;
  }
  return primed;
}

interface PageFigures {
  firstScreenMs: number;
  loadedMs: number;
  scrollMs: number;
  scrollStepMaxMs: number;
  pagesMs: number;
  pageStepMaxMs: number;
  /** One nearest-neighbour query in the page (NaN: the page has none). */
  neighboursMs: number;
}

/** In-page: `steps` steps of 0.9 screens down from the top, each waiting for two frames. */
export const PAGES_JS = (steps: number): string => `(async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.scrollTo(0, 0);
  await new Promise((r) => setTimeout(r, 300));
  await frame();
  const t0 = performance.now();
  let max = 0;
  for (let i = 1; i <= ${steps}; i++) {
    const s = performance.now();
    window.scrollBy(0, Math.round(innerHeight * 0.9));
    await frame();
    max = Math.max(max, performance.now() - s);
  }
  return { total: performance.now() - t0, max };
})()`;

/** In-page: the median time of a few neighbour queries (k = 8) over all cards. */
const NEIGHBOURS_JS = `(() => {
  const r = window.patinaReport;
  if (!r || !r.neighbours) return NaN;
  const n = r.shownCount(), t = [];
  for (let k = 1; k <= 7; k++) { const s = performance.now(); r.neighbours((k * 7919) % n, 8); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[3];
})()`;

/** In-page: scroll to the end in `steps` steps, each waiting for two frames (the step is drawn). */
export const SCROLL_JS = (steps: number): string => `(async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.scrollTo(0, 0);
  await frame();
  const t0 = performance.now();
  let max = 0;
  for (let i = 1; i <= ${steps}; i++) {
    const s = performance.now();
    const end = document.documentElement.scrollHeight - innerHeight;
    window.scrollTo(0, Math.round((end * i) / ${steps}));
    await frame();
    max = Math.max(max, performance.now() - s);
  }
  // A page whose height changes as it renders may need a few more steps to stay at the end.
  let extra = 0;
  const bottom = () => document.documentElement.scrollHeight - innerHeight;
  while (Math.abs(window.scrollY - bottom()) >= 2 && extra < 20) {
    const s = performance.now();
    window.scrollTo(0, bottom());
    await frame();
    max = Math.max(max, performance.now() - s);
    extra++;
  }
  const atEnd = Math.abs(window.scrollY - (document.documentElement.scrollHeight - innerHeight)) < 2;
  const cards = [...document.querySelectorAll("article.card")].filter((c) => {
    const r = c.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight;
  }).length;
  return { total: performance.now() - t0, max, atEnd, cards, extra };
})()`;

async function measurePage(url: string): Promise<PageFigures> {
  const { browser } = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(url, { timeout: 120_000 });
    const marks = (await (
      await page.waitForFunction(
        `(() => { const r = window.patinaReport; const nav = performance.getEntriesByType("navigation")[0];
          return r && r.paintAt !== null && r.completeAt !== null && nav.loadEventEnd > 0
            ? { paintAt: r.paintAt, completeAt: r.completeAt, loadAt: nav.loadEventEnd } : null; })()`,
        undefined,
        { timeout: 120_000, polling: 50 },
      )
    ).jsonValue()) as { paintAt: number; completeAt: number; loadAt: number };
    const scroll = (await page.evaluate(SCROLL_JS(SCROLL_STEPS))) as {
      total: number;
      max: number;
      atEnd: boolean;
      cards: number;
      extra: number;
    };
    if (!scroll.atEnd || scroll.cards === 0)
      throw new Error(`scroll did not reach cards at the end: ${JSON.stringify(scroll)}`);
    const pages = (await page.evaluate(PAGES_JS(SCROLL_STEPS))) as { total: number; max: number };
    const neighboursMs = (await page.evaluate(NEIGHBOURS_JS)) as number;
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
    return {
      neighboursMs,
      firstScreenMs: marks.paintAt,
      loadedMs: Math.max(marks.completeAt, marks.loadAt),
      scrollMs: scroll.total,
      scrollStepMaxMs: scroll.max,
      pagesMs: pages.total,
      pageStepMaxMs: pages.max,
    };
  } finally {
    await browser.close();
  }
}

export async function benchReport(): Promise<Record<string, number>> {
  const sizes = (process.env.BENCH_REPORT_SIZES ?? "5000,50000").split(",").map(Number);
  const rounds = Number(process.env.BENCH_REPORT_ROUNDS ?? 3);
  const out: Record<string, number> = {};
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "patina-bench-report-"));
    try {
      const primed = makeExport(dir, n);
      let t = performance.now();
      const built = await buildReport(dir, { primed });
      const buildMs = performance.now() - t;
      if (built.textures !== n || built.rendered !== 0)
        throw new Error(`built ${built.textures} cards, drew ${built.rendered}: expected ${n} and 0`);
      t = performance.now();
      await buildReport(dir);
      const rebuildMs = performance.now() - t;
      let bytes = statSync(built.htmlPath).size;
      for (const extra of [".report/cards.js", ".report/similar.js"]) {
        try {
          bytes += statSync(join(dir, extra)).size;
        } catch {
          // Not every version of the page has data files.
        }
      }
      const figures: PageFigures[] = [];
      for (let r = 0; r < rounds; r++) figures.push(await measurePage(pathToFileURL(built.htmlPath).href));
      const med = (k: keyof PageFigures): number => Math.round(median(figures.map((f) => f[k])));
      const p = `r${n}_`;
      out[`${p}build_ms`] = Math.round(buildMs);
      out[`${p}rebuild_ms`] = Math.round(rebuildMs);
      out[`${p}page_bytes`] = bytes;
      out[`${p}first_screen_ms`] = med("firstScreenMs");
      out[`${p}loaded_ms`] = med("loadedMs");
      out[`${p}scroll_${SCROLL_STEPS}_steps_ms`] = med("scrollMs");
      out[`${p}scroll_step_max_ms`] = med("scrollStepMaxMs");
      out[`${p}pages_${SCROLL_STEPS}_ms`] = med("pagesMs");
      out[`${p}page_step_max_ms`] = med("pageStepMaxMs");
      const near = median(figures.map((f) => f.neighboursMs));
      if (Number.isFinite(near)) {
        // Why the page finds neighbours when asked instead of shipping lists made at build time:
        // one query costs this much, so lists for every card would cost n times it at build time.
        out[`${p}neighbours_query_ms`] = Math.round(near * 10) / 10;
        out[`${p}neighbours_all_at_build_est_s`] = Math.round((near * n) / 100) / 10;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchReport();
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${v}`);
}
