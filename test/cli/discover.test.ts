import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { sineWav, tempDir } from "../pipeline/batch-helpers.js";
import { runCli } from "./helpers.js";

function archive(files: Record<string, Uint8Array | string>): string {
  const root = tempDir("patina-cli-");
  for (const [rel, data] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  }
  return root;
}

describe("patina discover", () => {
  it("writes the catalog, warns about unreadable files and ends with the counts", async () => {
    const root = archive({
      "Songs/b.wav": sineWav(2),
      "Songs/a.WAV": sineWav(1),
      "junk.wav": "not audio at all",
      ".git/x.wav": sineWav(1),
      "notes.txt": "hello",
    });
    const r = await runCli(["discover", "--root", ".", "--output", "cat.csv"], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/unreadable: junk\.wav \(/);
    const lines = r.stderr.trim().split("\n");
    expect(lines[lines.length - 3]).toMatch(/^Discovered: 2 found, 1 skipped, 1 unreadable/);
    // Every skipped folder is named in the summary, with why.
    expect(lines.slice(-2)).toEqual(["Skipped 1 folder:", "  .git/ (Git data)"]);
    expect(readFileSync(join(root, "cat.csv"), "utf8")).toBe(
      "id,rel_path,duration_sec,sample_rate,channels,file_size_mb\n" +
        "audio_0000,Songs/a.WAV,1.00,8000,1,0.0\n" +
        "audio_0001,Songs/b.wav,2.00,8000,1,0.0\n",
    );
  });

  it("takes the format from --format or the extension", async () => {
    const root = archive({ "a.wav": sineWav(1) });
    expect((await runCli(["discover", "--output", "c.json"], { cwd: root })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, "c.json"), "utf8"))[0]).toEqual({
      id: "audio_0000",
      rel_path: "a.wav",
      duration_sec: 1,
      sample_rate: 8000,
      channels: 1,
      file_size_mb: 0,
    });
    expect(
      (await runCli(["discover", "--output", "c.txt", "--format", "markdown"], { cwd: root })).code,
    ).toBe(0);
    expect(readFileSync(join(root, "c.txt"), "utf8")).toMatch(/^\| id \| rel_path \|/);
  });

  it("says so, with a hint, and exits 1 when nothing is found; --quiet still warns", async () => {
    const root = archive({ "readme.txt": "x", "bad.wav": "x" });
    const r = await runCli(["discover", "--quiet"], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unreadable: bad\.wav/);
    expect(r.stderr).toMatch(/No audio files discovered under .*\nerror: Hint: /);
  });
});

describe("patina select", () => {
  const catalog =
    "id,rel_path,duration_sec,sample_rate,channels,file_size_mb\n" +
    "audio_0000,Bounces/one.wav,120.00,44100,2,20.0\n" +
    "audio_0001,Greatest Hits/two.wav,60.00,48000,2,10.0\n" +
    "audio_0002,test takes/three.wav,90.00,44100,2,15.0\n" +
    "audio_0003,short.wav,5.00,44100,1,1.0\n";

  it("writes the selection and prints the summary with top 5 and per-rule rejections", async () => {
    const root = archive({ "audio_catalog.csv": catalog });
    const r = await runCli(["select"], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Input: 4 files\nSelected: 2\nRejected: 2\n");
    expect(r.stderr).toContain(
      "  [10] Bounces/one.wav (120.0 s, 44100 Hz)\n  [0] Greatest Hits/two.wav (60.0 s, 48000 Hz)\n",
    );
    expect(r.stderr).toMatch(/skip pattern "test": 1/);
    expect(r.stderr).toMatch(/shorter than min_duration_sec \(30 s\): 1/);
    expect(readFileSync(join(root, "selected_sources.csv"), "utf8").split("\n")[0]).toBe(
      "id,rel_path,duration_sec,sample_rate,channels,file_size_mb,selection_score",
    );
    expect(r.stdout).toBe("");
  });

  it("--explain lists every rejected file with its reason; flags override the config", async () => {
    const root = archive({ "cat.csv": catalog });
    const r = await runCli(["select", "--catalog", "cat.csv", "--min-duration", "1", "--explain"], {
      cwd: root,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Rejected files (1):\n  test takes/three.wav: path matches skip pattern "test"\n');
    expect(r.stderr).toContain("Selected: 3\n");
  });

  it("a --max-duration below the config's minimum is a usage error; a missing catalog fails", async () => {
    const root = archive({ "audio_catalog.csv": catalog });
    const bad = await runCli(["select", "--max-duration", "10"], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/max_duration_sec must be >= min_duration_sec \(30\), got: 10/);
    const missing = await runCli(["select", "--catalog", "nope.csv"], { cwd: root });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: cannot read file \(ENOENT\)/);
  });
});
