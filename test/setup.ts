// Property tests run with a fixed seed, like everything random in patina: a CI run is repeatable.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll } from "vitest";
import { removeTempDirs } from "./support/temp.js";

fc.configureGlobal({ seed: 20261121 });

// patina's caches go to $XDG_CACHE_HOME/patina: in tests, a temporary folder per test file, never the
// real home (child processes the tests start inherit it).
const cacheHome = mkdtempSync(join(tmpdir(), "patina-test-cache-"));
process.env.XDG_CACHE_HOME = cacheHome;
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));
// Folders made with test/support/temp.ts's tempDir: npm test leaves nothing in the temp folder.
afterAll(removeTempDirs);
