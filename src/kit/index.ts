/** `patina kit`: chosen textures as a kit for a sampler (selection, device profiles, planner, writers). */
export { buildKit, type KitOptions, type KitResult } from "./build.js";
export { KitLimitError } from "./errors.js";
export { describeSample, indexText } from "./index-file.js";
export { keyFit, type MusicalKey, parseKey, parseKeyArg } from "./keys.js";
export { type Instrument, mapInstruments, type Zone } from "./mapping.js";
export { type KitPlan, type PlannedSample, planKit, type SampleInfo } from "./plan.js";
export { DEVICES_DIR, type DeviceProfile, DeviceProfileSchema, parseDeviceProfile } from "./profile.js";
export { loadDeviceProfile, shippedDevices } from "./profiles.js";
export { hasConfidentRoot, scoreOf } from "./score.js";
export {
  type Candidate,
  type KitPick,
  type KitSelection,
  SELECT_DEFAULTS,
  selectTextures,
} from "./select.js";
export { audioCorrelation, CorrelationAudio, TimbreSpace } from "./similarity.js";
export { renderSustain } from "./sustain.js";
