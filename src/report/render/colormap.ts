/**
 * Magma-like colour map (black, purple, red, orange, pale yellow): its lightness rises
 * monotonically, so louder always reads brighter, also in greyscale and for colour-blind readers.
 */
import type { Rgb } from "./png.js";

const STOPS: readonly (readonly [number, Rgb])[] = [
  [0, [0, 0, 4]],
  [0.13, [28, 16, 68]],
  [0.25, [79, 18, 123]],
  [0.38, [129, 37, 129]],
  [0.5, [181, 54, 122]],
  [0.63, [229, 80, 100]],
  [0.75, [251, 135, 97]],
  [0.88, [254, 194, 135]],
  [1, [252, 253, 191]],
];

/** 256 RGB entries, 3 bytes each, for value index 0..255. */
export const MAGMA_LUT: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let s = 0;
    while (s < STOPS.length - 2 && t > STOPS[s + 1][0]) s++;
    const [t0, c0] = STOPS[s];
    const [t1, c1] = STOPS[s + 1];
    const f = (t - t0) / (t1 - t0);
    for (let k = 0; k < 3; k++) lut[3 * i + k] = Math.round(c0[k] + (c1[k] - c0[k]) * f);
  }
  return lut;
})();
