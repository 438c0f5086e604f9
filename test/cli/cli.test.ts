import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderDefaultConfigYaml, renderJsonSchema } from "../../src/config/render.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { runCli } from "./helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "patina-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every flag each command must carry, exactly as the issues name them. */
const CONTRACT: Record<string, string[]> = {
  make: [
    "--all",
    "--mine-pads",
    "--make-drones",
    "--make-clouds",
    "--make-hiss",
    "--root <dir>",
    "--config <file>",
    "--profile <name>",
    "--set <key=value>",
    "--seed <n>",
    "--dry-run",
    "--json-output <file>",
    "--verbose",
    "--strict",
    "--quiet",
  ],
  discover: ["--root <dir>", "--output <file>", "--format <format>", "--verbose"],
  select: [
    "--catalog <file>",
    "--output <file>",
    "--min-duration <s>",
    "--max-duration <s>",
    "--format <format>",
    "--explain",
  ],
  batch: [
    "--sources <file>",
    "--profile <name>",
    "--root <dir>",
    "--out <dir>",
    "--dry-run",
    "--start-index <n>",
    "--count <n>",
    "--output <file>",
    "--jobs <n>",
    "--timeout <s>",
    "--force",
    "--keep-work",
  ],
  run: ["<archive>", "--output <dir>", "--profile <name>", "--jobs <n>"],
  report: ["[export_dir]", "--open", "--serve"],
  info: ["<files...>", "--decode", "--json"],
  config: ["init", "validate", "show", "schema"],
  demo: ["--output <dir>"],
};

describe("help", () => {
  it("patina --help lists every command and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const name of Object.keys(CONTRACT)) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(r.stdout).toContain(
      "Exit codes: 0 success, 1 some inputs failed, 2 usage or configuration error.",
    );
  });

  for (const [name, flags] of Object.entries(CONTRACT)) {
    it(`patina ${name} --help lists the issue's flags and examples`, async () => {
      const r = await runCli([name, "--help"]);
      expect(r.code).toBe(0);
      for (const flag of flags) expect(r.stdout, flag).toContain(flag);
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(`$ patina ${name}`);
    });
  }

  it("config subcommands have help with examples", async () => {
    for (const sub of ["init", "validate", "show", "schema"]) {
      const r = await runCli(["config", sub, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`$ patina config ${sub}`);
    }
  });
});

describe("exit codes for usage errors (2) with commander's suggestion", () => {
  it("unknown option", async () => {
    const r = await runCli(["make", "--dryrun"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--dryrun'");
    expect(r.stderr).toContain("(Did you mean --dry-run?)");
  });

  it("unknown command", async () => {
    const r = await runCli(["mkae"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(Did you mean make?)");
  });

  it("bad values, missing arguments and extra arguments", async () => {
    expect((await runCli(["batch", "--jobs", "0"])).code).toBe(2);
    expect((await runCli(["batch", "--jobs", "two"])).stderr).toContain(
      'expected a whole number, got: "two"',
    );
    expect((await runCli(["make", "--seed", "-1"])).code).toBe(2);
    expect((await runCli(["discover", "--format", "xml"])).stderr).toContain(
      "Allowed choices are csv, json, markdown",
    );
    expect((await runCli(["info"])).stderr).toContain("missing required argument 'files'");
    expect((await runCli(["make", "extra"])).code).toBe(2);
    expect((await runCli([])).code).toBe(2);
  });

  it("contradictory flags are rejected with an example", async () => {
    const r = await runCli(["make", "--all", "--make-hiss"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("e.g. patina make --mine-pads --make-clouds");
    const q = await runCli(["info", "x.wav", "--verbose", "--quiet"]);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain("--verbose and --quiet contradict each other");
    const d = await runCli(["select", "--min-duration", "100", "--max-duration", "10"]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("e.g. patina select --min-duration 30 --max-duration 600");
  });

  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("colours", () => {
  it("only on a TTY and never with NO_COLOR", async () => {
    const tty = await runCli(["make", "--all", "--mine-pads"], { isTTY: true });
    expect(tty.stderr).toContain("\x1b[31merror:");
    const noColor = await runCli(["make", "--all", "--mine-pads"], { isTTY: true, env: { NO_COLOR: "1" } });
    expect(noColor.stderr).not.toContain("\x1b[");
    const pipe = await runCli(["make", "--all", "--mine-pads"], { isTTY: false });
    expect(pipe.stderr).not.toContain("\x1b[");
  });
});

describe("patina config", () => {
  it("init writes the commented default and the JSON Schema, and refuses to overwrite without --force", async () => {
    const first = await runCli(["config", "init"], { cwd: dir });
    expect(first.code).toBe(0);
    expect(await readFile(join(dir, "config.yaml"), "utf8")).toBe(renderDefaultConfigYaml());
    expect(await readFile(join(dir, "patina.schema.json"), "utf8")).toBe(renderJsonSchema());

    await writeFile(join(dir, "config.yaml"), "clouds:\n  grains_per_cloud: 7\n");
    const second = await runCli(["config", "init"], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("use --force to overwrite");
    expect(await readFile(join(dir, "config.yaml"), "utf8")).toBe("clouds:\n  grains_per_cloud: 7\n");

    const forced = await runCli(["config", "init", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, "config.yaml"), "utf8")).toBe(renderDefaultConfigYaml());
    // The written file validates and equals the defaults.
    const validated = await runCli(["config", "validate"], { cwd: dir });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain("ok: config.yaml is valid");
  });

  it("validate reports file, line and key with exit 2", async () => {
    await writeFile(join(dir, "mine.yaml"), "# my settings\nclouds:\n  grains_per_cloud: 0\n");
    const r = await runCli(["config", "validate", "mine.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mine.yaml:3: clouds.grains_per_cloud: must be >= 1, got: 0");
    const missing = await runCli(["config", "validate"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("config.yaml: config file not found");
  });

  it("a bad config makes any config-reading command exit 2", async () => {
    await writeFile(join(dir, "config.yaml"), "hiss:\n  tremolo_dept: 0.5\n");
    const r = await runCli(["config", "show"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'config.yaml:2: hiss.tremolo_dept: unknown key, did you mean "tremolo_depth"?',
    );
  });

  it("a YAML alias bomb or a file nested thousands deep: exit 2, naming the file and the problem", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [prev, name] of ["ab", "bc", "cd", "de", "ef", "fg"]) {
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    await writeFile(join(dir, "bomb.yaml"), `${bomb.join("\n")}\n`);
    await writeFile(join(dir, "deep.yaml"), `clouds: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    const r = await runCli(["make", "--config", "bomb.yaml", "--dry-run"], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([
      2,
      "error: bomb.yaml:1: invalid YAML: its aliases (*name) expand to too much data; a config file needs no aliases this large\n",
    ]);
    const d = await runCli(["config", "validate", "deep.yaml"], { cwd: dir });
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^error: deep\.yaml:1: invalid YAML: nested more than 32 levels deep/);
  });

  it("show --json prints the effective config with sources and hash; --set and --profile apply", async () => {
    const r = await runCli(
      ["config", "show", "--json", "--profile", "dark", "--set", "clouds.grains_per_cloud=300"],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { config: typeof DEFAULT_CONFIG; sources: string[]; hash: string };
    expect(shown.config.clouds.grains_per_cloud).toBe(300);
    expect(shown.config.drones.dark_high_cut_hz).toBeLessThan(DEFAULT_CONFIG.drones.dark_high_cut_hz);
    expect(shown.sources[0]).toBe("defaults");
    expect(shown.sources[2]).toBe("--set clouds.grains_per_cloud=300");
    expect(shown.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("global flags work before or after the command", async () => {
    await writeFile(join(dir, "config.yaml"), "clouds:\n  grains_per_cloud: 3\n");
    expect((await runCli(["config", "validate"], { cwd: dir })).stderr).toContain("is valid");
    for (const args of [
      ["--quiet", "config", "validate"],
      ["config", "validate", "-q"],
    ]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
    }
    const v = await runCli(["--verbose", "config", "validate"], { cwd: dir });
    expect(v.stderr).toMatch(/config hash [0-9a-f]{64}/);
  });

  it("schema prints the JSON Schema", async () => {
    const r = await runCli(["config", "schema"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(renderJsonSchema());
  });
});
