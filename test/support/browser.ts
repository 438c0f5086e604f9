/**
 * One way for browser tests to get a headless Chromium: the system's when there is one (Debian's
 * `chromium`, or `PATINA_CHROMIUM` naming any Chromium), else the one the npm package
 * `@sparticuz/chromium` ships (unpacked into the temp folder on first use), so `npm test` passes on a
 * machine with nothing but Node and npm. There is no silent skip: if neither starts, the test fails.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const SYSTEM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Flags for a quiet, sandbox-free headless run on a machine with no network (no background calls). */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

export interface LaunchedBrowser {
  browser: Browser;
  /** Where the executable came from, for test names and failure messages. */
  source: "env" | "system" | "npm";
  executablePath: string;
}

async function locate(): Promise<{ path: string; source: LaunchedBrowser["source"] }> {
  const fromEnv = process.env.PATINA_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PATINA_CHROMIUM names ${fromEnv}, which does not exist`);
    return { path: fromEnv, source: "env" };
  }
  const system = SYSTEM_CANDIDATES.find((p) => existsSync(p));
  if (system) return { path: system, source: "system" };
  const packaged = (await import("@sparticuz/chromium")).default;
  return { path: await packaged.executablePath(), source: "npm" };
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const { path, source } = await locate();
  const browser = await chromium.launch({ executablePath: path, args: ARGS, headless: true });
  return { browser, source, executablePath: path };
}
