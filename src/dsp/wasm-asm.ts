/**
 * A few helpers to assemble small WebAssembly modules from opcodes in the source (no build step),
 * shared by the SIMD kernels of the resampler and the tape-speed shift.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** SIMD instructions (prefix 0xfd). */
export const simd = (code: number): number[] => [0xfd, ...uleb(code)];
export const V128_LOAD = simd(0x00);
export const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
/** f32x4.extract_lane k. */
export const lane = (k: number): number[] => [...simd(0x1f), k];
