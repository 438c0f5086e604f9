/**
 * patina is MIT: every runtime dependency must be permissive, LGPL only as an unmodified npm
 * dependency (allowed by name below), never GPL or AGPL.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const PERMISSIVE = /^(MIT|ISC|BSD-2-Clause|BSD-3-Clause|Apache-2\.0|0BSD|BlueOak-1\.0\.0|CC0-1\.0)$/;
/** LGPL packages we use unmodified, through npm. */
const LGPL_ALLOWED = new Set(["codec-parser"]);

describe("dependency licences", () => {
  it("are permissive (LGPL only where allowed, never GPL/AGPL)", () => {
    const lock = JSON.parse(readFileSync(new URL("../../package-lock.json", import.meta.url), "utf8")) as {
      packages: Record<string, { license?: string; dev?: boolean }>;
    };
    const bad: string[] = [];
    for (const [key, pkg] of Object.entries(lock.packages)) {
      if (key === "" || pkg.dev) continue;
      const name = key.replace(/^.*node_modules\//, "");
      const licence = pkg.license ?? "UNKNOWN";
      if (PERMISSIVE.test(licence)) continue;
      if (/^LGPL/.test(licence) && LGPL_ALLOWED.has(name)) continue;
      bad.push(`${name}: ${licence}`);
    }
    expect(bad).toEqual([]);
  });
});
