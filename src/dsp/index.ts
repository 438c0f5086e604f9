/**
 * patina's DSP core: pure functions over Float32Array (no I/O, no printing). Parameters are
 * checked at the boundary and impossible ones throw ParameterError quoting the bad value.
 */
export * from "./check.js";
export * from "./envelopes.js";
export * from "./fft.js";
export * from "./filters.js";
export * from "./hpss.js";
export * from "./kaiser.js";
export * from "./level.js";
export * from "./loop.js";
export * from "./resample.js";
export * from "./rng.js";
export * from "./seam.js";
export * from "./stft.js";
export * from "./tape.js";
export * from "./vocoder.js";
export * from "./window.js";
