/**
 * patina's library API. Other parts add their exports here (audio I/O, analysis, generators).
 */

// Command line: run patina in process (returns the exit code); progress observers.
export type { CliIo } from "./cli/io.js";
export type { ProgressObserver } from "./cli/progress.js";
export { run } from "./cli/run.js";
// Configuration: schema, defaults, loading (defaults < config.yaml < profile < --set).
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
