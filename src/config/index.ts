/** Configuration: the schema (type, validation, defaults) and the loader. */
export {
  CONFIG_FILE,
  type ConfigIssue,
  ConfigValidationError,
  configHash,
  formatIssue,
  type LoadConfigOptions,
  type LoadedConfig,
  listProfiles,
  loadConfig,
  SHIPPED_CONFIG_DIR,
  stableStringify,
  validateConfigFile,
} from "./load.js";
export { configJsonSchema, JSON_SCHEMA_FILE, renderDefaultConfigYaml, renderJsonSchema } from "./render.js";
export { ConfigSchema, DEFAULT_CONFIG, type PatinaConfig, type PatinaConfigInput } from "./schema.js";
