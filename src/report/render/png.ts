/** RGBA raster helpers shared by the renderers, encoded with pngjs. */
import { PNG } from "pngjs";
import { ParameterError } from "../../core/errors.js";

export type Rgb = readonly [number, number, number];

export interface ImageSize {
  /** Pixels. */
  readonly width: number;
  /** Pixels. */
  readonly height: number;
}

/** Check a requested image size at the boundary (whole pixels, sane bounds). */
export function checkSize({ width, height }: ImageSize): void {
  for (const [name, v] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 8192) {
      throw new ParameterError(`image ${name} must be an integer in [1, 8192], got: ${v}`);
    }
  }
}

/**
 * Encode an RGBA buffer (width * height * 4 bytes, rows top to bottom) as PNG bytes. One row
 * filter (Sub) and zlib level 6: measured about 6x faster than pngjs's default (every filter per
 * row, level 9) on these thumbnails, for files within a few percent of the same size.
 */
export function encodePng(rgba: Uint8Array, { width, height }: ImageSize): Uint8Array {
  const png = new PNG({ width, height, colorType: 6 });
  png.data.set(rgba);
  const out = PNG.sync.write(png, { colorType: 6, filterType: 1, deflateLevel: 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Parse "#rrggbb" into an RGB triple. */
export function hexRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new ParameterError(`colour must be #rrggbb, got: ${hex}`);
  return [Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), Number.parseInt(m[3], 16)];
}
