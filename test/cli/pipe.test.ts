import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));

describe("a closed stdout (patina --help | head)", () => {
  it.each([["--help"], ["config", "schema"]])(
    "patina %s ends quietly: exit 0, nothing on stderr",
    async (...args) => {
      const child = spawn(process.execPath, ["--import", "tsx", BIN, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      // Closed before the child writes a byte: its writes meet EPIPE.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
      expect([code, stderr]).toEqual([0, ""]);
    },
    30_000,
  );
});
