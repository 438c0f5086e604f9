/** Per-track analysis: one streaming pass of frame features, onsets, window statistics, pitch, key. */
export { type BrightnessOptions, brightnessClass, DEFAULT_BRIGHTNESS_OPTIONS } from "./brightness.js";
export {
  CLIP_LEVEL,
  DEFAULT_SPECTRAL_OPTIONS,
  type FrameFeatures,
  RMS_FLOOR_DB,
  SpectralKernel,
  type SpectralOptions,
} from "./features.js";
export {
  analyzeFrames,
  DEFAULT_FRAME_ANALYZER_OPTIONS,
  FrameAnalyzer,
  type FrameAnalyzerOptions,
} from "./frames.js";
export {
  checkFraming,
  DEFAULT_FFT_SIZE,
  DEFAULT_HOP_SIZE,
  type FrameRange,
  frameCountFor,
  frameTime,
  sampleRangeToFrames,
  timeRangeToFrames,
} from "./framing.js";
export { detectKey, type KeyEstimate, type KeyMode, tonicName, transposeKey } from "./key.js";
export { DEFAULT_ONSET_OPTIONS, detectOnsets, type OnsetOptions, type Onsets } from "./onsets.js";
export { type PeakOptions, type PeakSpectrum, type SpectralPeak, spectralPeaks } from "./peaks.js";
export {
  DEFAULT_PITCH_OPTIONS,
  estimatePitch,
  hzToMidi,
  measurePitch,
  midiToHz,
  midiToNoteName,
  type PitchEstimate,
  type PitchOptions,
} from "./pitch.js";
export {
  analyzeSamples,
  analyzeStream,
  SILENCE_DB,
  TrackAnalysis,
  type TrackAnalysisOptions,
} from "./track.js";
export { type WindowStats, WindowStatsIndex } from "./windows.js";
