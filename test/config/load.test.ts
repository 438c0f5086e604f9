import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ConfigValidationError,
  configHash,
  loadConfig,
  parseConfigText,
  SHIPPED_CONFIG_DIR,
  stableStringify,
  validateLayers,
} from "../../src/config/load.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { levenshtein, nearest } from "../../src/config/suggest.js";
import { ConfigError } from "../../src/core/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "patina-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Validate YAML text as `config.yaml` and return the error message (or "OK"). */
function errorOf(yamlText: string): string {
  try {
    validateLayers([parseConfigText(yamlText, "/somewhere/config.yaml", "config.yaml")]);
    return "OK";
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe("defaults", () => {
  it("hold the seed values from the config reference", () => {
    const c = DEFAULT_CONFIG;
    expect(c.global).toEqual({ sample_rate: 44100, output_bit_depth: 24, target_peak_dbfs: -1.0 });
    expect(c.paths.export_dir).toBe("export/tr8s");
    expect(c.pad_miner.target_durations_sec).toEqual([2.0, 3.5]);
    expect(c.drones.pitch_shift_semitones).toEqual([0, 7, 12]);
    expect(c.drones.time_stretch_factors).toEqual([1.0, 1.5, 2.0]);
    expect(c.clouds.pitch_shift_range).toEqual({ min: -8, max: 8 });
    expect(c.clouds.grains_per_cloud).toBe(200);
    expect(c.hiss.bandpass_high_hz).toBe(14000);
    expect(c.hiss.tremolo_depth).toBe(0.6);
    expect(c.export).toEqual({
      pads_stereo: false,
      swells_stereo: false,
      clouds_stereo: false,
      hiss_stereo: false,
    });
    expect(c.brightness_tags).toEqual({ enabled: true, centroid_low_hz: 1500, centroid_high_hz: 3500 });
    expect(c.selection.skip_path_patterns).toEqual([
      "scratch",
      "test",
      "demo",
      "draft",
      "_old",
      "rejected",
      "unused",
    ]);
    expect(c.selection.preferred_channels).toBeNull();
    expect(c.batch).toEqual({ jobs: null, timeout_sec: 300 });
    expect(c.reproducibility.random_seed).toBeNull();
    expect(c.curation.auto_delete_grade_f).toBe(false);
  });

  it("are used when no config.yaml exists", async () => {
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
    expect(loaded.sources).toEqual(["defaults"]);
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("an empty or comment-only file, or a section with every key commented out, gives the defaults", () => {
    for (const text of ["", "# nothing\n", "clouds:\n  # grains_per_cloud: 3\n"]) {
      expect(validateLayers([parseConfigText(text, undefined, "config.yaml")])).toEqual(DEFAULT_CONFIG);
    }
  });
});

describe("error messages name file, line, key path and the bad value", () => {
  it("range", () => {
    expect(errorOf("global:\n  sample_rate: 44100\nclouds:\n  grains_per_cloud: 0\n")).toBe(
      "config.yaml:4: clouds.grains_per_cloud: must be >= 1, got: 0",
    );
    expect(errorOf("hiss:\n  tremolo_depth: 1.5\n")).toBe(
      "config.yaml:2: hiss.tremolo_depth: must be <= 1, got: 1.5",
    );
    expect(errorOf("hiss:\n  tremolo_depth: -0.1\n")).toBe(
      "config.yaml:2: hiss.tremolo_depth: must be >= 0, got: -0.1",
    );
    expect(errorOf("clouds:\n  overlap_ratio: 1\n")).toBe(
      "config.yaml:2: clouds.overlap_ratio: must be < 1, got: 1",
    );
    expect(errorOf("pad_miner:\n  target_durations_sec: []\n")).toBe(
      "config.yaml:2: pad_miner.target_durations_sec: must hold at least 1 item(s), got: a list []",
    );
  });

  it("unknown key with the nearest key suggested", () => {
    expect(errorOf("clouds:\n  grain_per_cloud: 300\n")).toBe(
      'config.yaml:2: clouds.grain_per_cloud: unknown key, did you mean "grains_per_cloud"?',
    );
    expect(errorOf("\n\ncloud:\n  grains_per_cloud: 3\n")).toBe(
      'config.yaml:3: cloud: unknown key, did you mean "clouds"?',
    );
    // A real key in the wrong section points at where it lives.
    expect(errorOf("hiss:\n  grains_per_cloud: 3\n")).toBe(
      'config.yaml:2: hiss.grains_per_cloud: unknown key here, did you mean "clouds.grains_per_cloud"?',
    );
    expect(errorOf("clouds:\n  pitch_shift_range:\n    mini: 3\n")).toBe(
      'config.yaml:3: clouds.pitch_shift_range.mini: unknown key, did you mean "min"?',
    );
    // Nothing close: list what is known instead of guessing.
    expect(errorOf("report:\n  zzzzzzzzzz: 1\n")).toBe(
      "config.yaml:2: report.zzzzzzzzzz: unknown key (known keys: enabled)",
    );
  });

  it("type", () => {
    expect(errorOf("clouds:\n  grains_per_cloud: many\n")).toBe(
      'config.yaml:2: clouds.grains_per_cloud: must be a number, got: "many"',
    );
    expect(errorOf("clouds:\n  grains_per_cloud: 2.5\n")).toBe(
      "config.yaml:2: clouds.grains_per_cloud: must be an integer, got: 2.5",
    );
    expect(errorOf("drones:\n  enable_reversal: 1\n")).toBe(
      "config.yaml:2: drones.enable_reversal: must be true or false, got: 1",
    );
    expect(errorOf("selection:\n  preferred_sample_rate: high\n")).toBe(
      'config.yaml:2: selection.preferred_sample_rate: must be a number or null, got: "high"',
    );
    expect(errorOf("drones:\n  pitch_shift_semitones:\n    - 0\n    - up\n")).toBe(
      'config.yaml:4: drones.pitch_shift_semitones.1: must be a number, got: "up"',
    );
    expect(errorOf("clouds: 5\n")).toBe("config.yaml:1: clouds: must be a mapping (section), got: 5");
  });

  it("enum values with a suggestion", () => {
    expect(errorOf("drones:\n  pad_variants: [warm, ary]\n")).toBe(
      'config.yaml:2: drones.pad_variants.1: must be one of "warm", "airy", "dark", got: "ary", did you mean "airy"?',
    );
    expect(errorOf("global:\n  output_bit_depth: 20\n")).toBe(
      "config.yaml:2: global.output_bit_depth: must be one of 16, 24, 32, got: 20",
    );
  });

  it("cross-field rules, reported at the key the user wrote", () => {
    expect(errorOf("hiss:\n  bandpass_low_hz: 15000\n")).toBe(
      "config.yaml:2: hiss.bandpass_low_hz: hiss.bandpass_low_hz (15000) must be < hiss.bandpass_high_hz (14000)",
    );
    // Only the sample rate was written: the line is the sample rate's.
    expect(errorOf("global:\n  sample_rate: 22050\n")).toBe(
      "config.yaml:2: global.sample_rate: hiss.bandpass_high_hz (14000) must be < global.sample_rate/2 (11025)",
    );
    expect(errorOf("clouds:\n  grain_length_min_ms: 200\n")).toBe(
      "config.yaml:2: clouds.grain_length_min_ms: clouds.grain_length_min_ms (200) must be <= clouds.grain_length_max_ms (150)",
    );
    expect(errorOf("clouds:\n  pitch_shift_range: {min: 3, max: -3}\n")).toMatch(
      /^config\.yaml:2: clouds\.pitch_shift_range\.(min|max): clouds\.pitch_shift_range\.min \(3\) must be <= clouds\.pitch_shift_range\.max \(-3\)$/,
    );
    expect(errorOf("selection:\n  min_duration_sec: 4000\n")).toBe(
      "config.yaml:2: selection.min_duration_sec: selection.min_duration_sec (4000) must be <= selection.max_duration_sec (3600)",
    );
    expect(errorOf("drones:\n  fade_in_sec: 5\n")).toContain(
      "drones.fade_in_sec + drones.fade_out_sec (5 + 1.5)",
    );
    // lowpass_hz 0 means off and is not checked against Nyquist.
    expect(errorOf("global:\n  sample_rate: 44100\nclouds:\n  lowpass_hz: 0\n")).toBe("OK");
  });

  it("lists every problem, one per line", () => {
    const message = errorOf("clouds:\n  grains_per_cloud: 0\nhiss:\n  tremolo_depth: 2\n");
    expect(message.split("\n")).toEqual([
      "config.yaml:2: clouds.grains_per_cloud: must be >= 1, got: 0",
      "config.yaml:4: hiss.tremolo_depth: must be <= 1, got: 2",
    ]);
  });

  it("YAML syntax errors and non-mapping documents", () => {
    expect(errorOf("clouds:\n  grains_per_cloud: [1\n")).toMatch(/^config\.yaml:\d+: invalid YAML: /);
    expect(errorOf("clouds:\n  grains_per_cloud: 1\n  grains_per_cloud: 2\n")).toBe(
      "config.yaml:3: invalid YAML: Map keys must be unique",
    );
    expect(errorOf("- a\n- b\n")).toBe(
      'config.yaml:1: a config file must be a mapping of sections (like "clouds:"), got: a list ["a","b"]',
    );
  });

  it("NaN and infinities from YAML's .nan/.inf are named as such, not as null", () => {
    expect(errorOf("clouds:\n  overlap_ratio: .nan\nhiss:\n  tremolo_depth: -.inf\n").split("\n")).toEqual([
      "config.yaml:2: clouds.overlap_ratio: must be a finite number, got: NaN",
      "config.yaml:4: hiss.tremolo_depth: must be a finite number, got: -Infinity",
    ]);
    expect(errorOf("clouds:\n  grains_per_cloud: .inf\n")).toBe(
      "config.yaml:2: clouds.grains_per_cloud: must be a finite number, got: Infinity",
    );
  });

  it("an alias bomb (billion laughs) is a ConfigError naming the file, not the YAML library's text", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 7; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    expect(errorOf(levels.join("\n"))).toBe(
      "config.yaml:1: invalid YAML: its aliases (*name) expand to too much data; a config file needs no aliases this large",
    );
  });

  it.each([
    ["flow lists 5,000 deep", `clouds: ${"[".repeat(5000)}${"]".repeat(5000)}\n`],
    ["block mappings 3,000 deep", Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")],
    ["mappings 40 deep", `${Array.from({ length: 40 }, (_, i) => `${"  ".repeat(i)}k:`).join("\n")} 1\n`],
  ])("deeply nested YAML (%s) says it is nested too deeply", (_label, text) => {
    expect(errorOf(text)).toMatch(
      /^config\.yaml:\d+: invalid YAML: nested more than 32 levels deep \(patina's config has sections of keys, lists at most\)$/,
    );
  });

  it("a ConfigValidationError carries key path, line and file", async () => {
    await writeFile(join(dir, "config.yaml"), "clouds:\n  grains_per_cloud: 0\n");
    const err = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigValidationError);
    const e = err as ConfigValidationError;
    expect(e.keyPath).toBe("clouds.grains_per_cloud");
    expect(e.line).toBe(2);
    expect(e.path).toBe(join(dir, "config.yaml"));
    expect(e.message).toBe("config.yaml:2: clouds.grains_per_cloud: must be >= 1, got: 0");
  });
});

describe("precedence: defaults < config.yaml < profile < --set", () => {
  it("merges in order and reports sources", async () => {
    await writeFile(join(dir, "config.yaml"), "clouds:\n  grains_per_cloud: 100\n  clouds_per_source: 5\n");
    await writeFile(join(dir, "config_mine.yaml"), "clouds:\n  grains_per_cloud: 150\n");
    const loaded = await loadConfig({ cwd: dir, profile: "mine", sets: ["clouds.lowpass_hz=4000"] });
    expect(loaded.config.clouds.grains_per_cloud).toBe(150); // profile over config.yaml
    expect(loaded.config.clouds.clouds_per_source).toBe(5); // config.yaml kept where profile is silent
    expect(loaded.config.clouds.lowpass_hz).toBe(4000); // --set
    expect(loaded.config.clouds.grain_length_max_ms).toBe(150); // default
    expect(loaded.sources).toEqual([
      "defaults",
      join(dir, "config.yaml"),
      join(dir, "config_mine.yaml"),
      "--set clouds.lowpass_hz=4000",
    ]);
    const over = await loadConfig({ cwd: dir, profile: "mine", sets: ["clouds.grains_per_cloud=300"] });
    expect(over.config.clouds.grains_per_cloud).toBe(300); // --set over profile
  });

  it("--set parses YAML scalars and lists, later --set wins, and errors name the assignment", async () => {
    const loaded = await loadConfig({
      cwd: dir,
      sets: [
        "drones.pitch_shift_semitones=[0, -12]",
        "export.clouds_stereo=true",
        "selection.preferred_channels=stereo",
        "reproducibility.random_seed=42",
        "reproducibility.random_seed=43",
      ],
    });
    expect(loaded.config.drones.pitch_shift_semitones).toEqual([0, -12]);
    expect(loaded.config.export.clouds_stereo).toBe(true);
    expect(loaded.config.selection.preferred_channels).toBe("stereo");
    expect(loaded.config.reproducibility.random_seed).toBe(43);
    await expect(loadConfig({ cwd: dir, sets: ["clouds.grains_per_cloud=0"] })).rejects.toThrow(
      "--set clouds.grains_per_cloud=0: clouds.grains_per_cloud: must be >= 1, got: 0",
    );
    await expect(loadConfig({ cwd: dir, sets: ["clouds.grain_per_cloud=3"] })).rejects.toThrow(
      'clouds.grain_per_cloud: unknown key, did you mean "grains_per_cloud"?',
    );
    await expect(loadConfig({ cwd: dir, sets: ["clouds.grains_per_cloud"] })).rejects.toThrow(
      "expected key.path=value",
    );
  });

  it("a cross-field error points at the layer that set the offending key", async () => {
    await writeFile(join(dir, "config.yaml"), "# comment\nhiss:\n  bandpass_low_hz: 3000\n");
    await expect(loadConfig({ cwd: dir, sets: ["hiss.bandpass_high_hz=2000"] })).rejects.toThrow(
      "--set hiss.bandpass_high_hz=2000: hiss.bandpass_high_hz: hiss.bandpass_low_hz (3000) must be < hiss.bandpass_high_hz (2000)",
    );
    await expect(loadConfig({ cwd: dir, sets: ["global.sample_rate=8000"] })).rejects.toThrow(
      /^--set global\.sample_rate=8000: global\.sample_rate: /,
    );
  });

  it("--config picks another file, and the profile is looked up next to it", async () => {
    await writeFile(join(dir, "config.yaml"), "clouds:\n  grains_per_cloud: 100\n");
    await writeFile(join(dir, "other.yaml"), "clouds:\n  grains_per_cloud: 7\n");
    const loaded = await loadConfig({ cwd: dir, configPath: "other.yaml" });
    expect(loaded.config.clouds.grains_per_cloud).toBe(7);
    await expect(loadConfig({ cwd: dir, configPath: "missing.yaml" })).rejects.toThrow(
      "missing.yaml: config file not found",
    );
  });

  it("shipped profiles are found when none is next to the config, and each is valid", async () => {
    for (const profile of ["bright", "dark", "noisy"]) {
      const loaded = await loadConfig({ cwd: dir, profile });
      expect(loaded.sources[1]).toBe(join(SHIPPED_CONFIG_DIR, `config_${profile}.yaml`));
      expect(loaded.hash).not.toBe(configHash(DEFAULT_CONFIG));
    }
    const bright = (await loadConfig({ cwd: dir, profile: "bright" })).config;
    const dark = (await loadConfig({ cwd: dir, profile: "dark" })).config;
    const noisy = (await loadConfig({ cwd: dir, profile: "noisy" })).config;
    expect(bright.drones.warm_lowpass_hz).toBeGreaterThan(DEFAULT_CONFIG.drones.warm_lowpass_hz);
    expect(bright.clouds.lowpass_hz).toBeGreaterThan(DEFAULT_CONFIG.clouds.lowpass_hz);
    expect(dark.drones.warm_lowpass_hz).toBeLessThan(DEFAULT_CONFIG.drones.warm_lowpass_hz);
    expect(Math.max(...dark.drones.time_stretch_factors)).toBeGreaterThan(2);
    expect(noisy.hiss.hiss_loops_per_source).toBeGreaterThan(DEFAULT_CONFIG.hiss.hiss_loops_per_source);
    expect(noisy.hiss.synthetic_noise_level_db).toBeGreaterThan(DEFAULT_CONFIG.hiss.synthetic_noise_level_db);
  });

  it("an unknown profile suggests the nearest one", async () => {
    await expect(loadConfig({ cwd: dir, profile: "brigth" })).rejects.toThrow(/did you mean "bright"\?/);
    await expect(loadConfig({ cwd: dir, profile: "../x" })).rejects.toThrow(/profile name is letters/);
  });
});

describe("hash", () => {
  it("is stable under key order and changes with any value", () => {
    expect(stableStringify({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG));
    expect(configHash(copy)).toBe(configHash(DEFAULT_CONFIG));
    copy.clouds.grains_per_cloud = 201;
    expect(configHash(copy)).not.toBe(configHash(DEFAULT_CONFIG));
  });

  it("is equal for a file that restates the defaults", async () => {
    await writeFile(join(dir, "config.yaml"), "clouds:\n  grains_per_cloud: 200\n");
    expect((await loadConfig({ cwd: dir })).hash).toBe(configHash(DEFAULT_CONFIG));
  });
});

describe("suggestions", () => {
  it("levenshtein distances", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(levenshtein("", "abc")).toBe(3);
    expect(levenshtein("same", "same")).toBe(0);
  });
  it("nearest takes the closest within a third of the length", () => {
    expect(nearest("grain_per_cloud", ["grains_per_cloud", "clouds_per_source"])).toBe("grains_per_cloud");
    expect(nearest("xyz", ["grains_per_cloud"])).toBeUndefined();
  });
});

describe("shipped default config.yaml", () => {
  it("parses to exactly DEFAULT_CONFIG, and every key is there with a comment", async () => {
    const text = await readFile(join(SHIPPED_CONFIG_DIR, "config.yaml"), "utf8");
    const layer = parseConfigText(text, undefined, "config.yaml");
    expect(validateLayers([layer])).toEqual(DEFAULT_CONFIG);
    expect(layer.data).toEqual(JSON.parse(JSON.stringify(DEFAULT_CONFIG)));
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (/^\s*[a-z_]+:/.test(lines[i])) expect(lines[i - 1], `comment above line ${i + 1}`).toMatch(/^\s*#/);
    }
  });
});
