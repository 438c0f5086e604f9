import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitDir, linkOrCopy, moveFile } from "../../src/io/workdir.js";
import { tempDir } from "../support/temp.js";

describe("workdir helpers", () => {
  it("hard-links a source on the same disk and copies it across disks, never changing the original", async () => {
    const dir = tempDir();
    const src = join(dir, "a.wav");
    writeFileSync(src, "original");
    expect(await linkOrCopy(src, join(dir, "w/source_audio/a.wav"))).toBe("link");
    expect(statSync(src).nlink).toBe(2);
    if (existsSync("/dev/shm") && statSync("/dev/shm").dev !== statSync(dir).dev) {
      const other = tempDir("patina-test-", "/dev/shm");
      expect(await linkOrCopy(src, join(other, "a.wav"))).toBe("copy");
      expect(readFileSync(join(other, "a.wav"), "utf8")).toBe("original");
      await moveFile(join(other, "a.wav"), join(dir, "moved/a.wav"));
      expect(readFileSync(join(dir, "moved/a.wav"), "utf8")).toBe("original");
    }
    expect(readFileSync(src, "utf8")).toBe("original");
  });

  it("commits a finished folder with one rename, replacing an older one", async () => {
    const dir = tempDir();
    const mk = (name: string, file: string): string => {
      const p = join(dir, name);
      mkdirSync(p, { recursive: true });
      writeFileSync(join(p, file), name);
      return p;
    };
    mk("track", "old.wav");
    const partial = mk(".track.partial", "new.wav");
    await commitDir(partial, join(dir, "track"), join(dir, ".track.aside"));
    expect(existsSync(join(dir, "track/new.wav"))).toBe(true);
    expect(existsSync(join(dir, "track/old.wav"))).toBe(false);
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(join(dir, ".track.aside"))).toBe(false);
  });
});
