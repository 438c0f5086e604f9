export { MAGMA_LUT } from "./colormap.js";
export { encodeIndexedPng, type ImageSize } from "./png.js";
export {
  SPECTROGRAM_DEFAULTS,
  type SpectrogramOptions,
  spectrogramPng,
  spectrogramRowBand,
} from "./spectrogram.js";
export { WAVEFORM_DEFAULTS, type WaveformOptions, waveformPng } from "./waveform.js";
