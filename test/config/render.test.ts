import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SHIPPED_CONFIG_DIR } from "../../src/config/load.js";
import {
  allKeyPaths,
  configJsonSchema,
  renderDefaultConfigYaml,
  renderJsonSchema,
} from "../../src/config/render.js";
import { ConfigSchema } from "../../src/config/schema.js";

// Regenerate the shipped files after a schema change with:
//   npx tsx src/cli/bin.ts config init --force --dir config && npx tsx src/cli/bin.ts config schema > config/patina.schema.json
describe("files generated from the schema", () => {
  it("config/config.yaml is the generated commented default", async () => {
    expect(await readFile(join(SHIPPED_CONFIG_DIR, "config.yaml"), "utf8")).toBe(renderDefaultConfigYaml());
  });

  it("config/patina.schema.json is the generated JSON Schema", async () => {
    expect(await readFile(join(SHIPPED_CONFIG_DIR, "patina.schema.json"), "utf8")).toBe(renderJsonSchema());
  });

  it("the JSON Schema rejects unknown keys, knows ranges and describes every leaf", () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      properties: Record<
        string,
        { additionalProperties: boolean; properties: Record<string, Record<string, unknown>> }
      >;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.clouds.additionalProperties).toBe(false);
    expect(schema.properties.hiss.properties.tremolo_depth).toMatchObject({
      minimum: 0,
      maximum: 1,
      default: 0.6,
    });
    expect(schema.properties.clouds.properties.grains_per_cloud).toMatchObject({
      type: "integer",
      minimum: 1,
    });
    for (const path of allKeyPaths()) {
      const parts = path.split(".");
      // biome-ignore lint/suspicious/noExplicitAny: walking untyped JSON
      let node: any = schema;
      for (const p of parts) node = node.properties[p];
      expect(typeof node.description, path).toBe("string");
    }
  });

  it("every section and key of the seed reference is in the schema", () => {
    const keys = new Set(allKeyPaths());
    for (const k of [
      "global.sample_rate",
      "paths.export_dir",
      "pad_miner.window_hop_sec",
      "drones.enable_reversal",
      "clouds.pitch_shift_range.min",
      "hiss.synthetic_noise_level_db",
      "export.hiss_stereo",
      "brightness_tags.centroid_high_hz",
      "selection.preferred_sample_rate",
      "curation.thresholds.max_loop_seam_db",
      "reproducibility.random_seed",
      "batch.timeout_sec",
      "report.enabled",
    ]) {
      expect(keys.has(k), k).toBe(true);
    }
    expect(ConfigSchema.safeParse({}).success).toBe(true);
  });
});
