/**
 * Temporary folders for tests, removed after each test file (test/setup.ts calls removeTempDirs in
 * an afterAll), so `npm test` leaves no patina-* folder behind in the system temp folder.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A new folder under the system temp folder (or under `parent`), removed when the test file ends. */
export function tempDir(prefix = "patina-test-", parent: string = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  made.push(dir);
  return dir;
}

/** Make a tree writable again (a test may have made it read-only), so it can be removed. */
function writable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) writable(p);
    }
  } catch {
    // Gone, or a link: nothing to do.
  }
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    writable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
