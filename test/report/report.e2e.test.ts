/**
 * End-to-end: generate a small pack, build the report, open it in real headless Chromium (the
 * system's, else the npm-packaged one; see test/support/browser.ts) driven by playwright-core, from
 * file:// and from the local server, and check what a person would: every card, every image,
 * playback, looping, filters, keyboard, choosing (and that the choices survive a reload and a
 * rebuild), the map, neighbours, A/B cueing, no console errors. There is no skip: no browser, no pass.
 * Speed at archive size is measured in `npm run bench -- report`, not asserted here.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManifestRow } from "../../src/core/manifest.js";
import { writeManifest } from "../../src/io/manifest.js";
import { type BuildReportResult, buildReport } from "../../src/report/build.js";
import { type ReportServer, serveReport } from "../../src/report/serve.js";
import { launchChromium } from "../support/browser.js";
import {
  BATCH_RESULTS,
  SMALL_PACK_FINGERPRINTS,
  SMALL_PACK_SCORES,
  setColumns,
  smallPack,
  writePack,
} from "./helpers.js";

const OUT = resolve("test-output");

const pack = smallPack();
const savedRows = pack.filter((p) => p.row.saved).map((p) => p.row);
const base = mkdtempSync(join(tmpdir(), "patina-report-e2e-"));
const exportDir = join(base, "export", "tr8s");
let browser: Browser;
let server: ReportServer;
let built: BuildReportResult;

beforeAll(async () => {
  writePack(exportDir, pack);
  // A newer make's score column and fingerprints.
  setColumns(
    join(exportDir, "manifest.csv"),
    { score: (r) => SMALL_PACK_SCORES[r.file] },
    pack.map((p) => p.row),
  );
  writeFileSync(
    join(exportDir, "fingerprints.json"),
    JSON.stringify({ version: 1, dims: ["a", "b", "c"], textures: SMALL_PACK_FINGERPRINTS }),
  );
  // batch_results.json one level above the export folder, as `patina batch` leaves it.
  writeFileSync(join(base, "export", "batch_results.json"), JSON.stringify(BATCH_RESULTS));
  built = await buildReport(exportDir);
  browser = (await launchChromium()).browser;
  server = await serveReport(exportDir, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  await browser?.close();
  rmSync(base, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  errors: string[];
}

async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("html[data-complete=true]", { state: "attached" });
  return { page, errors };
}

/** Page-side code is written as strings: this project type-checks without the DOM library. */
const PLAYER = `document.getElementById("player")`;
const CARDS = `document.querySelectorAll("article.card").length`;
const js = <T = unknown>(page: Page, expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;

/** The card of a file, by its file name (the page shows it without the source's name). */
const card = (page: Page, name: string) => page.locator(`article.card[data-file$="/${name}"]`);
const fileOf = (name: string): string => savedRows.find((r) => r.file.endsWith(`/${name}`))!.file;
const visibleCount = (page: Page) => page.locator("article.card").count();

/** WCAG contrast ratio of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const lum = (s: string): number => {
    const [r, g, bl] = (s.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

it("built one card per saved row and rendered each WAV once", () => {
  expect(built.textures).toBe(savedRows.length);
  expect(built.rendered).toBe(savedRows.length);
  expect(built.warnings).toEqual([]);
  expect(built.map).toBe("fingerprints");
  expect(built.batchResultsPath).toBe(join(base, "export", "batch_results.json"));
});

for (const mode of ["file", "http"] as const) {
  describe(`report page over ${mode === "file" ? "file://" : "the local server"}`, () => {
    let o: Opened;
    beforeAll(async () => {
      o = await open(mode === "file" ? pathToFileURL(built.htmlPath).href : server.url);
    });
    afterAll(async () => {
      await o?.page.close();
    });

    it("shows one card per saved manifest row, none for the unsaved one", async () => {
      const { page } = o;
      expect(await visibleCount(page)).toBe(savedRows.length);
      expect(await card(page, "song_pad02_dark.wav").count()).toBe(0);
      expect(await page.locator("#count").textContent()).toBe(
        `Showing ${savedRows.length} of ${savedRows.length} textures`,
      );
      // Sections per source, categories in order.
      expect(await page.locator("#list h2, #list h3").allTextContents()).toEqual([
        "Other Track #2 (1)",
        "Pads (1)",
        "song (6)",
        "Pads (2)",
        "Swells (1)",
        "Clouds (1)",
        "Hiss (2)",
      ]);
      // Compact: the source is in the heading, not repeated in every card's name.
      expect(await card(page, "song_pad01_mid.wav").locator("h4.name").textContent()).toBe("pad01_mid");
      expect(await card(page, "cloud_song_01_bright.wav").locator("h4.name").textContent()).toBe(
        "cloud_01_bright",
      );
      expect(await card(page, "song_pad01_mid.wav").locator("b.score").textContent()).toBe("90");
    });

    it("loads every waveform and spectrogram image", async () => {
      const { page } = o;
      const imgs = page.locator("article.card img");
      const n = await imgs.count();
      const specs = savedRows.filter((r) => r.category === "pads" || r.category === "clouds").length;
      expect(await page.locator("img.wave").count()).toBe(savedRows.length);
      expect(await page.locator("img.spec").count()).toBe(specs);
      expect(n).toBe(savedRows.length + specs);
      for (let i = 0; i < n; i++) {
        const img = imgs.nth(i);
        expect(await img.getAttribute("decoding")).toBe("async");
        await img.scrollIntoViewIfNeeded();
        const el = `document.querySelectorAll("article.card img")[${i}]`;
        await page.waitForFunction(`${el}.complete`);
        const size = await js<number[]>(page, `[${el}.naturalWidth, ${el}.naturalHeight]`);
        expect(size[0]).toBeGreaterThan(0);
        expect(size[1]).toBeGreaterThan(0);
      }
    });

    it("plays a pad looped: currentTime advances, loop is set, Space stops", async () => {
      const { page } = o;
      await page.evaluate("window.scrollTo(0, 0)");
      const btn = card(page, "song_pad01_mid.wav").locator("button.play");
      expect(await btn.getAttribute("aria-label")).toBe("Play song_pad01_mid.wav (loop)");
      await btn.click();
      await page.waitForFunction(`!${PLAYER}.paused && ${PLAYER}.currentTime > 0.25`);
      const s = await js<{ loop: boolean; src: string }>(
        page,
        `({ loop: ${PLAYER}.loop, src: ${PLAYER}.currentSrc })`,
      );
      expect(s.loop).toBe(true);
      expect(s.src).toMatch(/song\/pads\/song_pad01_mid\.wav$/);
      expect(await btn.getAttribute("aria-pressed")).toBe("true");
      // A toggle button: same label, pressed state says it plays.
      expect(await btn.getAttribute("aria-label")).toBe("Play song_pad01_mid.wav (loop)");
      if (mode === "http") {
        // The 2 s pad must wrap around rather than end.
        await page.waitForFunction(
          `(() => { const a = ${PLAYER}; a.maxT = Math.max(a.maxT || 0, a.currentTime);
            return !a.paused && a.maxT > 1.5 && a.currentTime < a.maxT - 0.5; })()`,
          undefined,
          { timeout: 8000, polling: 50 },
        );
      }
      await page.keyboard.press("Space");
      expect(await js(page, `${PLAYER}.paused`)).toBe(true);
      expect(await page.locator('button.play[aria-pressed="true"]').count()).toBe(0);
    });

    it("plays one texture at a time, and one-shots once", async () => {
      const { page } = o;
      await card(page, "song_pad01_mid.wav").locator("button.play").click();
      await card(page, "song_stretch1.5x_swell01.wav").locator("button.play").click();
      expect(await page.locator('button.play[aria-pressed="true"]').count()).toBe(1);
      expect(
        await card(page, "song_stretch1.5x_swell01.wav").locator("button.play").getAttribute("aria-pressed"),
      ).toBe("true");
      expect(await js(page, `${PLAYER}.loop`)).toBe(false);
      // The 1.5 s swell ends by itself and its button returns to "play".
      await page.waitForFunction(
        `document.querySelectorAll('button.play[aria-pressed="true"]').length === 0`,
        undefined,
        {
          timeout: 6000,
        },
      );
      expect(await js(page, `${PLAYER}.ended`)).toBe(true);
    });

    it("loops inner loop points (Web Audio when served, the element on file://)", async () => {
      const { page } = o;
      await card(page, "song_pitch+7_loop_warm.wav").locator("button.play").click();
      const state = await page.waitForFunction(
        "(() => { const s = window.patinaReport.state(); return s.started ? s : null; })()",
        undefined,
        { timeout: 5000 },
      );
      const s = (await state.jsonValue()) as {
        mode: string;
        loop: boolean;
        loopStart: number;
        loopEnd: number;
      };
      expect(s.loop).toBe(true);
      if (mode === "http") {
        expect(s.mode).toBe("webaudio");
        expect(s.loopStart).toBeCloseTo(0.5, 6);
        expect(s.loopEnd).toBeCloseTo(2.5, 6);
      } else {
        expect(s.mode).toBe("element");
      }
      await page.click("#stop");
      expect(await page.locator('button.play[aria-pressed="true"]').count()).toBe(0);
    });

    it("filters and sorts, with counts that follow", async () => {
      const { page } = o;
      const total = savedRows.length;
      const expectCount = async (n: number): Promise<void> => {
        await page.waitForSelector("html[data-complete=true]", { state: "attached" });
        expect(await visibleCount(page)).toBe(n);
        expect(await page.locator("#count").textContent()).toBe(`Showing ${n} of ${total} textures`);
      };
      const want = (f: (r: ManifestRow) => boolean) => savedRows.filter(f).length;
      expect(await page.locator("#f-cat option[value=pads]").textContent()).toBe(
        `Pads (${want((r) => r.category === "pads")})`,
      );
      await page.selectOption("#f-cat", "pads");
      await expectCount(want((r) => r.category === "pads"));
      // Facets count within the other filters: with pads chosen, grade B has only the pitched loop.
      expect(await page.locator("#f-grade option[value=B]").textContent()).toBe("B (1)");
      await page.selectOption("#f-bright", "bright");
      await expectCount(want((r) => r.category === "pads" && r.brightness === "bright"));
      await page.selectOption("#f-cat", "");
      await expectCount(want((r) => r.brightness === "bright"));
      await page.selectOption("#f-bright", "");
      await page.selectOption("#f-grade", "B");
      await expectCount(want((r) => r.grade === "B"));
      await page.selectOption("#f-grade", "");
      await page.fill("#f-text", "CLOUD");
      await page.waitForFunction(`${CARDS} === 1`);
      await expectCount(1);
      await page.fill("#f-text", "no such texture");
      await page.waitForFunction(`${CARDS} === 0`);
      expect(await page.locator(".empty").textContent()).toContain("No texture matches");
      await page.fill("#f-text", "");
      await page.waitForFunction(`${CARDS} === ${total}`);
      await page.selectOption("#f-sort", "grade");
      expect(await page.locator("main h2").allTextContents()).toEqual([
        `Grade A (${want((r) => r.grade === "A")})`,
        `Grade B (${want((r) => r.grade === "B")})`,
        `Grade F (${want((r) => r.grade === "F")})`,
      ]);
      const files = async (): Promise<(string | null)[]> =>
        page.locator("article.card").evaluateAll((els) => els.map((e) => e.getAttribute("data-file")));
      const byDesc = (key: (r: ManifestRow) => number): string[] =>
        [...savedRows].sort((a, b) => key(b) - key(a)).map((r) => r.file);
      await page.selectOption("#f-sort", "brightness");
      expect((await files())[0]).toBe(byDesc((r) => r.centroid_hz)[0]);
      // Score: best first, all of them; a minimum score keeps only those at or above it.
      await page.selectOption("#f-sort", "score");
      expect(await files()).toEqual(byDesc((r) => SMALL_PACK_SCORES[r.file]));
      await page.fill("#f-score", "70");
      await page.waitForFunction(`${CARDS} === ${want((r) => SMALL_PACK_SCORES[r.file] >= 70)}`);
      await expectCount(3);
      await page.fill("#f-score", "");
      await page.waitForFunction(`${CARDS} === ${total}`);
      await page.selectOption("#f-sort", "duration");
      const duration = (f: string | null): number => savedRows.find((r) => r.file === f)!.duration_sec;
      expect((await files()).map(duration)).toEqual(byDesc((r) => r.duration_sec).map(duration));
      // Root note (pitch class, any octave) and key.
      await page.selectOption("#f-root", "9");
      await expectCount(want((r) => r.root_midi !== null && r.root_midi % 12 === 9));
      await page.selectOption("#f-root", "");
      await page.selectOption("#f-key", { label: "A minor" });
      await expectCount(want((r) => r.key === "A minor"));
      await page.selectOption("#f-key", "");
      await page.selectOption("#f-src", { label: "Other Track #2" });
      await expectCount(want((r) => r.source === "Other Track #2"));
      await page.selectOption("#f-src", "");
      await page.selectOption("#f-dur", "short");
      await expectCount(want((r) => r.duration_sec < 2));
      await page.selectOption("#f-dur", "");
      await page.selectOption("#f-sort", "source");
      await expectCount(total);
    });

    it("shows the batch summary with the failed track's error", async () => {
      const text = await o.page.locator("section.batch").textContent();
      expect(text).toContain("3 tracks");
      expect(text).toContain("1 failed");
      expect(text).toContain("1 failed track");
      expect(text).toContain("songs/broken.wav: not audio <RIFF missing>");
      expect(text).toContain("3 pads");
    });

    it("is keyboard-reachable, labelled and readable", async () => {
      const { page } = o;
      const unlabelled = await js<number>(
        page,
        `[...document.querySelectorAll("select, input")].filter((e) => e.labels.length === 0).length`,
      );
      expect(unlabelled).toBe(0);
      const nameless = await js<number>(
        page,
        `[...document.querySelectorAll("button")].filter((b) => !(b.getAttribute("aria-label") || b.textContent.trim())).length`,
      );
      expect(nameless).toBe(0);
      // Tab from the top reaches the filters, the stop button and then a play button.
      // Start from the top of the page: the skip link is the first stop.
      await page.evaluate("window.scrollTo(0, 0)");
      await page.focus("a.skip");
      const seen: string[] = [];
      for (let i = 0; i < 20 && !seen.includes("play"); i++) {
        await page.keyboard.press("Tab");
        seen.push(await js<string>(page, `document.activeElement.id || document.activeElement.className`));
      }
      expect(seen).toEqual(
        expect.arrayContaining(["f-cat", "f-grade", "f-bright", "f-text", "f-sort", "stop", "play"]),
      );
      // Space on a focused play button plays it; Space again stops it.
      await page.keyboard.press("Space");
      expect(await page.locator('button.play[aria-pressed="true"]').count()).toBe(1);
      await page.keyboard.press("Space");
      expect(await page.locator('button.play[aria-pressed="true"]').count()).toBe(0);
      const colours = await js<Record<string, [string, string]>>(
        page,
        `(() => {
          const cs = (sel) => getComputedStyle(document.querySelector(sel));
          return {
            body: [cs("body").color, cs("body").backgroundColor],
            meta: [cs(".meta").color, cs(".card").backgroundColor],
            gradeA: [cs(".grade-A").color, cs(".grade-A").backgroundColor],
            gradeB: [cs(".grade-B").color, cs(".grade-B").backgroundColor],
            gradeF: [cs(".grade-F").color, cs(".grade-F").backgroundColor],
            label: [cs("#filters label").color, cs("body").backgroundColor],
            button: [cs("button.play").color, cs("button.play").backgroundColor],
          };
        })()`,
      );
      for (const [name, [fg, bg]] of Object.entries(colours)) {
        expect(contrast(fg, bg), `${name}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    });

    it("marks keep, reject and star by buttons and keys; the choices survive a reload and a rebuild", async () => {
      const { page } = o;
      await page.evaluate("window.scrollTo(0, 0)");
      const pressed = (name: string, cls: string) =>
        card(page, name).locator(`button.${cls}`).getAttribute("aria-pressed");
      // Buttons: keep the pad, then star it.
      await card(page, "song_pad01_mid.wav").locator("button.k").click();
      await card(page, "song_pad01_mid.wav").locator("button.s").click();
      // Keys from there: right to the pitched loop and reject it; down to the swell, keep it.
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("x");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("k");
      // s stars a kept card and again takes the star off (it stays kept); x twice unmarks.
      await page.keyboard.press("s");
      await page.keyboard.press("s");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("x");
      await page.keyboard.press("x");
      // s on an unmarked card keeps and stars it.
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("s");
      const want = {
        [fileOf("song_pad01_mid.wav")]: { state: "keep", star: true },
        [fileOf("song_pitch+7_loop_warm.wav")]: { state: "reject" },
        [fileOf("song_stretch1.5x_swell01.wav")]: { state: "keep" },
        [fileOf("hiss_flicker_song_01.wav")]: { state: "keep", star: true },
      };
      const check = async (): Promise<void> => {
        expect((await js<{ textures: unknown }>(page, "patinaReport.selection()")).textures).toEqual(want);
        expect(await pressed("song_pad01_mid.wav", "k")).toBe("true");
        expect(await pressed("song_pad01_mid.wav", "s")).toBe("true");
        expect(await pressed("song_pitch+7_loop_warm.wav", "x")).toBe("true");
        expect(await pressed("song_stretch1.5x_swell01.wav", "k")).toBe("true");
        expect(await pressed("song_stretch1.5x_swell01.wav", "s")).toBe("false");
        expect(await pressed("cloud_song_01_bright.wav", "x")).toBe("false");
        expect(await card(page, "hiss_flicker_song_01.wav").getAttribute("class")).toContain("starred");
        expect(await page.locator("#chosen").textContent()).toMatch(/^3 kept \(2 starred\), 1 rejected/);
      };
      await check();
      // The choice filter.
      for (const [choice, n] of [
        ["keep", 3],
        ["star", 2],
        ["reject", 1],
        ["none", savedRows.length - 4],
      ] as const) {
        await page.selectOption("#f-choice", choice);
        expect(await page.locator("#count").textContent()).toBe(
          `Showing ${n} of ${savedRows.length} textures`,
        );
      }
      await page.selectOption("#f-choice", "");
      const onDisk = join(exportDir, "selection.json");
      if (mode === "http") {
        await page.waitForFunction(`patinaReport.state().disk === "ok"`, undefined, { timeout: 5000 });
        const file = JSON.parse(readFileSync(onDisk, "utf8"));
        expect(file.version).toBe(1);
        expect(file.textures).toEqual(want);
        expect(Date.parse(file.updated)).toBeGreaterThan(Date.now() - 60_000);
      } else {
        await page.waitForFunction(`patinaReport.state().disk === "none"`);
        expect(existsSync(onDisk)).toBe(false);
        // A file:// page hands the choices over as a download.
        const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
        expect(download.suggestedFilename()).toBe("selection.json");
        const saved = JSON.parse(readFileSync(await download.path(), "utf8"));
        expect(saved).toMatchObject({ version: 1, textures: want });
      }
      const reload = async (): Promise<void> => {
        await page.reload();
        await page.waitForSelector("html[data-complete=true]", { state: "attached" });
        if (mode === "http") await page.waitForFunction(`patinaReport.state().disk === "ok"`);
      };
      await reload();
      await check();
      // Rebuilding the page (as `patina report` or a new batch does) loses nothing.
      await buildReport(exportDir);
      await reload();
      await check();
      if (mode === "http") {
        // The choices written by the server travel with the rebuilt page to a browser that never saw them.
        const fresh = await open(pathToFileURL(built.htmlPath).href);
        expect((await js<{ textures: unknown }>(fresh.page, "patinaReport.selection()")).textures).toEqual(
          want,
        );
        expect(fresh.errors).toEqual([]);
        await fresh.page.close();
        // Unmark everything again for the tests that follow.
        for (const f of Object.keys(want)) {
          await page.evaluate(
            `(() => { const i = patinaReport.indexOf(${JSON.stringify(f)}); patinaReport.state(); if (patinaReport.selection().textures[${JSON.stringify(f)}].state === "keep") patinaReport.keep(i); else patinaReport.reject(i); })()`,
          );
        }
        await page.waitForFunction(
          `patinaReport.state().disk === "ok" && Object.keys(patinaReport.selection().textures).length === 0`,
        );
      }
    });

    it("draws the map of all textures; hovering a dot plays it, clicking it selects its card", async () => {
      const { page } = o;
      await page.evaluate("window.scrollTo(0, 0)");
      const painted = await js<number>(
        page,
        `(() => { const c = document.getElementById("map"); const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`,
      );
      expect(painted).toBeGreaterThan(7 * 9);
      const target = fileOf("hiss_loop_song_01.wav");
      const i = await js<number>(page, `patinaReport.indexOf(${JSON.stringify(target)})`);
      for (const r of savedRows) {
        expect(
          await js(page, `patinaReport.mapPoint(patinaReport.indexOf(${JSON.stringify(r.file)}))`),
        ).not.toBeNull();
      }
      await page.locator("#map").scrollIntoViewIfNeeded();
      const pt = (await js<{ x: number; y: number }>(page, `patinaReport.mapPoint(${i})`))!;
      // Into the map from outside, coming to rest on the dot.
      await page.mouse.move(pt.x - 60, pt.y - 60);
      await page.mouse.move(pt.x, pt.y, { steps: 5 });
      await page.waitForFunction(
        `(() => { const s = patinaReport.state(); return s.playing === ${i} && s.started; })()`,
      );
      expect(await page.locator("#map-tip").textContent()).toBe("hiss_loop_01 \u00B7 song");
      // Leaving the map stops what hovering started.
      await page.mouse.move(5, 5);
      await page.waitForFunction(`patinaReport.state().playing === -1`);
      // The dots at the map's left and right edges keep their labels inside the map.
      const xs = await js<{ x: number; y: number }[]>(
        page,
        `[...Array(${savedRows.length}).keys()].map((k) => patinaReport.mapPoint(k))`,
      );
      for (const edge of [Math.min, Math.max]) {
        const p = xs.find((q) => q.x === edge(...xs.map((q) => q.x)))!;
        await page.mouse.move(p.x, p.y + 40);
        await page.mouse.move(p.x, p.y, { steps: 3 });
        await page.waitForSelector("#map-tip:not([hidden])");
        const [tip, map] = await js<{ left: number; right: number }[]>(
          page,
          `["map-tip", "map"].map((id) => { const r = document.getElementById(id).getBoundingClientRect(); return { left: r.left, right: r.right }; })`,
        );
        expect(tip.left).toBeGreaterThanOrEqual(map.left - 0.5);
        expect(tip.right).toBeLessThanOrEqual(map.right + 0.5);
        await page.mouse.move(5, 5);
        await page.waitForFunction(`patinaReport.state().playing === -1`);
      }
      await page.mouse.click(pt.x, pt.y);
      expect(await js(page, "patinaReport.state().current")).toBe(i);
      expect(await js(page, "document.activeElement.dataset.file")).toBe(target);
      // Its nearest neighbours, nearest first: the other hiss, then the rest.
      await page.waitForFunction(
        `document.getElementById("near-of").textContent.startsWith("hiss_loop_01") && document.querySelectorAll("#near li").length === ${savedRows.length - 1}`,
      );
      expect(await page.locator("#near .go").first().getAttribute("title")).toBe(
        fileOf("hiss_flicker_song_01.wav"),
      );
      await page.locator("#near .go").first().click();
      expect(await js(page, "document.activeElement.dataset.file")).toBe(fileOf("hiss_flicker_song_01.wav"));
      await page.click("#stop");
    });

    it("cues a texture while another plays and switches to it at the loop's end", async () => {
      const { page } = o;
      await page.evaluate("window.scrollTo(0, 0)");
      const a = await js<number>(
        page,
        `patinaReport.indexOf(${JSON.stringify(fileOf("song_pad01_mid.wav"))})`,
      );
      const b = await js<number>(
        page,
        `patinaReport.indexOf(${JSON.stringify(fileOf("cloud_song_01_bright.wav"))})`,
      );
      await card(page, "song_pad01_mid.wav").locator("button.play").click();
      await page.waitForFunction(
        `!${PLAYER}.paused && ${PLAYER}.currentTime > 0.2 && ${PLAYER}.currentTime < 1.2`,
        undefined,
        {
          polling: 10,
        },
      );
      // Cue by key on the cloud's card, then measure here how long the switch takes.
      await card(page, "cloud_song_01_bright.wav").focus();
      const t = (await page.evaluate(`(async () => {
        const el = ${PLAYER};
        const p0 = el.currentTime, t0 = performance.now();
        document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: "c", bubbles: true }));
        const cued = patinaReport.state().cued;
        await new Promise((ok) => { const f = () => (patinaReport.state().playing === ${b} ? ok() : requestAnimationFrame(f)); f(); });
        return { p0, waited: (performance.now() - t0) / 1000, duration: el.duration, cued };
      })()`)) as { p0: number; waited: number; duration: number; cued: number };
      expect(t.cued).toBe(b);
      expect(t.duration).toBeCloseTo(2, 2);
      // The 2 s pad played to its loop end before the cloud took over (within 150 ms: a frame, and timer slack).
      expect(Math.abs(t.waited - (t.duration - t.p0))).toBeLessThan(0.15);
      const s = await js<{ lastSwitch: { from: number; to: number }; element: string; cued: number }>(
        page,
        "patinaReport.state()",
      );
      expect(s.lastSwitch).toMatchObject({ from: a, to: b });
      expect(s.cued).toBe(-1);
      // The cloud plays on the second element while the pad fades out and stops.
      expect(s.element).toBe("player-b");
      await page.waitForFunction(
        `${PLAYER}.paused && !document.getElementById("player-b").paused`,
        undefined,
        { timeout: 2000 },
      );
      expect(
        await card(page, "cloud_song_01_bright.wav").locator("button.play").getAttribute("aria-pressed"),
      ).toBe("true");
      expect(await card(page, "song_pad01_mid.wav").locator("button.play").getAttribute("aria-pressed")).toBe(
        "false",
      );
      // Cueing the playing texture, or the cued one again, cancels the cue.
      await card(page, "song_pad01_mid.wav").locator("button.c").click();
      expect(await js(page, "patinaReport.state().cued")).toBe(a);
      await card(page, "song_pad01_mid.wav").locator("button.c").click();
      expect(await js(page, "patinaReport.state().cued")).toBe(-1);
      await page.keyboard.press("Escape");
      expect(await js(page, "patinaReport.state().playing")).toBe(-1);
    });

    it("logged no console errors", async () => {
      if (mode === "http") {
        mkdirSync(OUT, { recursive: true });
        await o.page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)");
        // Offscreen cards are skipped by content-visibility, so make the viewport the page's height
        // (everything on screen, every lazy image loaded) instead of a fullPage capture.
        const height = await js<number>(o.page, "document.documentElement.scrollHeight");
        await o.page.setViewportSize({ width: 1280, height });
        await o.page.waitForFunction(`[...document.images].every((i) => i.complete && i.naturalWidth > 0)`);
        await o.page.screenshot({ path: join(OUT, "report.png") });
      }
      expect(o.errors).toEqual([]);
    });
  });
}

describe("a 5,000-texture report", () => {
  const bigDir = join(base, "big");
  let perf: Record<string, number>;

  beforeAll(async () => {
    // 5,000 rows over 100 sources, all pointing at the small pack's few WAVs (rendered once each).
    const files = savedRows.map((r) => r.file);
    for (const f of files) {
      mkdirSync(dirname(join(bigDir, f)), { recursive: true });
      copyFileSync(join(exportDir, f), join(bigDir, f));
    }
    const rows: ManifestRow[] = [];
    for (let i = 0; i < 5000; i++) {
      const r = savedRows[i % savedRows.length];
      rows.push({ ...r, source: `track_${String(i % 100).padStart(3, "0")}` });
    }
    await writeManifest(join(bigDir, "manifest.csv"), rows);
  });

  it("holds 5,000 cards but puts only those on screen into the page, filters them and scrolls to the last", async () => {
    const res = await buildReport(bigDir);
    expect(res.textures).toBe(5000);
    expect(res.rendered).toBe(savedRows.length);
    const t0 = performance.now();
    const { page, errors } = await open(pathToFileURL(res.htmlPath).href);
    const marks = (await (
      await page.waitForFunction(
        `(() => { const r = window.patinaReport; const nav = performance.getEntriesByType("navigation")[0];
          return r.paintAt !== null && r.completeAt !== null && nav.loadEventEnd > 0
            ? { readyAt: r.readyAt, paintAt: r.paintAt, completeAt: r.completeAt, loadAt: nav.loadEventEnd } : null; })()`,
      )
    ).jsonValue()) as { readyAt: number; paintAt: number; completeAt: number; loadAt: number };
    const wallMs = performance.now() - t0;
    expect(await page.locator("#count").textContent()).toBe("Showing 5000 of 5000 textures");
    // A virtual list: a screenful of cards (and a margin) exist, not 5,000.
    const inPage = await visibleCount(page);
    expect(inPage).toBeGreaterThan(0);
    expect(inPage).toBeLessThan(100);
    const f0 = performance.now();
    await page.selectOption("#f-cat", "pads");
    await page.waitForSelector("html[data-complete=true]", { state: "attached" });
    const filterMs = performance.now() - f0;
    expect(await page.locator("#count").textContent()).toBe(`Showing ${rows5000Pads()} of 5000 textures`);
    expect(await js(page, "patinaReport.shownCount()")).toBe(rows5000Pads());
    // Images are there only for the cards on or near the screen.
    const imagesAt = await js<number[]>(
      page,
      `[...document.querySelectorAll("article.card img")].map((i) => i.closest(".row").getBoundingClientRect().top)`,
    );
    expect(imagesAt.length).toBeGreaterThan(0);
    for (const top of imagesAt) expect(Math.abs(top)).toBeLessThan(900 + 2 * 600 + 200);
    // The end of the list: its last card is there and on screen.
    await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)");
    await page.waitForFunction(`(() => {
      const cards = document.querySelectorAll("article.card"), last = cards[cards.length - 1];
      return last && Number(last.getAttribute("aria-posinset")) === ${rows5000Pads()} && last.getBoundingClientRect().bottom <= innerHeight;
    })()`);
    // A jump draws the cards it lands on at once and their images when the page rests.
    await page.waitForFunction(
      `[...document.querySelectorAll("article.card img")].every((i) => i.getAttribute("src") && i.complete && i.naturalWidth > 0)`,
    );
    // In-page figures are ms since navigation start; wall adds playwright's own overhead. Targets
    // and the 50,000-texture figures are in `npm run bench -- report`.
    perf = {
      firstCardsMs: Math.round(marks.readyAt),
      firstPaintMs: Math.round(marks.paintAt),
      loadEventMs: Math.round(marks.loadAt),
      allDoneMs: Math.round(marks.completeAt),
      wallMs: Math.round(wallMs),
      filterMs: Math.round(filterMs),
      htmlBytes: statSync(res.htmlPath).size,
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "report-perf.json"), `${JSON.stringify(perf, null, 2)}\n`);
    console.info(`5,000-texture report: ${JSON.stringify(perf)}`);
    await page.close();
    expect(errors).toEqual([]);
  });

  function rows5000Pads(): number {
    let n = 0;
    for (let i = 0; i < 5000; i++) if (savedRows[i % savedRows.length].category === "pads") n++;
    return n;
  }
});
