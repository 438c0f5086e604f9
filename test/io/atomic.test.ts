import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ParameterError, WriteError } from "../../src/core/errors.js";
import { cleanStaleTemps } from "../../src/io/atomic.js";
import { safeJoin, safeName, writeFileAtomic } from "../../src/io/index.js";

const dir = mkdtempSync(join(tmpdir(), "patina-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("replaces the file in one step and leaves no temporary file", async () => {
    const p = join(dir, "out.txt");
    writeFileSync(p, "old");
    await writeFileAtomic(p, "new contents");
    expect(readFileSync(p, "utf8")).toBe("new contents");
    expect(readdirSync(dir).filter((n) => n.includes("patina-tmp"))).toEqual([]);
  });

  it("without fsync (regenerable files) it still replaces in one step", async () => {
    const p = join(dir, "thumb.png");
    writeFileSync(p, "old");
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]), { durable: false });
    expect([...readFileSync(p)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).filter((f) => f.includes("patina-tmp"))).toEqual([]);
  });

  it("fails with a WriteError naming the path, and removes its temporary file", async () => {
    const target = join(dir, "is-a-dir");
    mkdirSync(target);
    writeFileSync(join(target, "x"), "keep");
    await expect(writeFileAtomic(target, "data")).rejects.toThrow(WriteError);
    await expect(writeFileAtomic(join(dir, "missing", "f.txt"), "data")).rejects.toThrow(/missing/);
    expect(readdirSync(dir).filter((n) => n.includes("patina-tmp"))).toEqual([]);
  });
});

describe("cleanStaleTemps", () => {
  it("removes temporaries of dead processes, keeps live ones and other files", async () => {
    const d = mkdtempSync(join(dir, "stale-"));
    const dead = join(d, ".pad.wav.patina-tmp-999999999-ab12cd34");
    const live = join(d, `.pad.wav.patina-tmp-${process.pid}-0011aabb`);
    const other = join(d, "pad.wav");
    for (const p of [dead, live, other]) writeFileSync(p, "x");
    const removed = await cleanStaleTemps(d);
    expect(removed).toEqual([dead]);
    expect([existsSync(dead), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
    expect(await cleanStaleTemps(join(d, "does-not-exist"))).toEqual([]);
  });
});

describe("safeName", () => {
  it.each([
    ["Café Noël", "Cafe_Noel"],
    ["Straße/../../etc", "Strasse_etc"],
    ["a\\b:c*d?e", "a_b_c_d_e"],
    ["  pad 01 (warm) ", "pad_01_warm"],
    ["..", "untitled"],
    [".", "untitled"],
    ["", "untitled"],
    ["日本語", "untitled"],
    ["Ærø Łódź", "AEro_Lodz"],
    ["CON", "CON_"],
    ["keep-dash_and_underscore", "keep-dash_and_underscore"],
  ])("%j -> %j", (input, out) => {
    expect(safeName(input)).toBe(out);
    expect(safeName(input)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("limits the length", () => {
    expect(safeName("x".repeat(500)).length).toBe(100);
  });
});

describe("safeJoin", () => {
  it("joins safe names and sub-paths inside the folder", () => {
    expect(safeJoin("/export", "pad.wav")).toBe(join("/export", "pad.wav"));
    expect(safeJoin("/export", "pads/pad.wav")).toBe(join("/export", "pads", "pad.wav"));
  });

  it.each(["../x.wav", "a/../../x", "/etc/passwd", "a\\b", "", ".", "a//b", "x\0y"])("refuses %j", (name) => {
    expect(() => safeJoin("/export", name)).toThrow(ParameterError);
  });
});
