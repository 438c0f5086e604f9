/** Brightness tag from the mean spectral centroid (config `brightness_tags`). */
import { ParameterError } from "../core/errors.js";
import type { Brightness } from "../core/manifest.js";

export interface BrightnessOptions {
  /** Below this mean centroid the material is "dark". */
  lowHz: number;
  /** At or above this it is "bright"; in between "mid". */
  highHz: number;
}

export const DEFAULT_BRIGHTNESS_OPTIONS: BrightnessOptions = { lowHz: 1500, highHz: 3500 };

/** "silent" when `silent` is true (a silent region has no meaningful centroid), else dark/mid/bright. */
export function brightnessClass(
  meanCentroidHz: number,
  options: Partial<BrightnessOptions> = {},
  silent = false,
): Brightness {
  const o: BrightnessOptions = { ...DEFAULT_BRIGHTNESS_OPTIONS, ...options };
  if (!(o.lowHz > 0) || !(o.highHz > o.lowHz) || !Number.isFinite(o.highHz)) {
    throw new ParameterError(
      `brightness bounds must satisfy 0 < lowHz < highHz, got: ${o.lowHz}, ${o.highHz}`,
    );
  }
  if (silent) return "silent";
  if (!Number.isFinite(meanCentroidHz) || meanCentroidHz < 0) {
    throw new ParameterError(`mean centroid must be a finite frequency >= 0 Hz, got: ${meanCentroidHz}`);
  }
  if (meanCentroidHz < o.lowHz) return "dark";
  if (meanCentroidHz < o.highHz) return "mid";
  return "bright";
}
