/**
 * patina's library API: everything the command line does is importable. Audio I/O (probe,
 * streaming/region/whole-file decode, WAV writing), configuration (schema, defaults, loading with
 * profiles and --set), the DSP core and the analysis (whole, as the `dsp` and `analysis`
 * namespaces; the most used functions also flat), the texture generators (they take a
 * SourceMaterial: an analysis plus a region reader), the archive pipeline, the HTML report, kits
 * for samplers (`buildKit` with a device profile), and `run(argv)` to run the command line in process.
 */

export { brightnessClass } from "./analysis/brightness.js";
export { FINGERPRINT_DIMS, timbreFingerprint } from "./analysis/fingerprint.js";
export * as analysis from "./analysis/index.js";
export { detectKey } from "./analysis/key.js";
export { estimatePitch } from "./analysis/pitch.js";
export { analyzeSamples, analyzeStream, TrackAnalysis } from "./analysis/track.js";
export type { CliIo } from "./cli/io.js";
export { run } from "./cli/run.js";
export {
  CONFIG_FILE,
  type ConfigIssue,
  ConfigSchema,
  ConfigValidationError,
  configHash,
  configJsonSchema,
  DEFAULT_CONFIG,
  type LoadConfigOptions,
  type LoadedConfig,
  listProfiles,
  loadConfig,
  type PatinaConfig,
  type PatinaConfigInput,
  renderDefaultConfigYaml,
  SHIPPED_CONFIG_DIR,
  validateConfigFile,
} from "./config/index.js";
export type { PlanarAudio } from "./core/audio.js";
export * from "./core/errors.js";
export type { ManifestRow } from "./core/manifest.js";
export type { ProgressObserver } from "./core/progress.js";
export * as dsp from "./dsp/index.js";
export { Rng } from "./dsp/rng.js";
export * from "./io/index.js";
export { readManifest, writeManifest } from "./io/manifest.js";
export {
  buildKit,
  type DeviceProfile,
  type KitOptions,
  type KitResult,
  loadDeviceProfile,
} from "./kit/index.js";
export { readCatalog, writeCatalog } from "./pipeline/catalog.js";
export { discover } from "./pipeline/discover.js";
export { type MakeOptions, type MakeResult, runMake } from "./pipeline/make.js";
export { select } from "./pipeline/select.js";
export { slugify, uniqueSlugs } from "./pipeline/slug.js";
export { buildReport, serveReport } from "./report/index.js";
export { cloudOptionsFromConfig, makeClouds } from "./textures/clouds.js";
export { droneOptionsFromConfig, makeDrones } from "./textures/drones.js";
export { hissOptionsFromConfig, makeHiss } from "./textures/hiss.js";
export { minePads, padOptionsFromConfig } from "./textures/pads.js";
export type { GeneratorResult, SourceMaterial, Texture } from "./textures/types.js";
