// Windowed frames shared by the STFT-based kernels (vocoder, HPSS).

/**
 * dst[i] = x[centre - n/2 + i] * win[i] for i < n (n a multiple of 4), zeros outside x (xLen
 * samples). The common interior case runs four lanes at a time.
 */
export function windowedFrame(x: usize, xLen: i32, centre: i32, win: usize, dst: usize, n: i32): void {
  const start = centre - (n >> 1);
  if (start >= 0 && start + n <= xLen) {
    const src = x + ((<usize>start) << 2);
    for (let i = 0; i < n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dst + o, f32x4.mul(v128.load(src + o), v128.load(win + o)));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const j = start + i;
    const v: f32 =
      j >= 0 && j < xLen ? load<f32>(x + ((<usize>j) << 2)) * load<f32>(win + ((<usize>i) << 2)) : 0;
    store<f32>(dst + ((<usize>i) << 2), v);
  }
}

/** Squared magnitudes (n/2 + 1 bins) of an n-point spectrum in PFFFT's ordered real layout. */
export function powerOrdered(spec: usize, pow: usize, n: i32): void {
  const half = n >> 1;
  const r0 = load<f32>(spec);
  const rn = load<f32>(spec, 4);
  for (let k = 0; k < half; k += 4) {
    const a = v128.load(spec + ((<usize>k) << 3));
    const b = v128.load(spec + ((<usize>k) << 3), 16);
    const a2 = f32x4.mul(a, a);
    const b2 = f32x4.mul(b, b);
    v128.store(
      pow + ((<usize>k) << 2),
      f32x4.add(v128.shuffle<f32>(a2, b2, 0, 2, 4, 6), v128.shuffle<f32>(a2, b2, 1, 3, 5, 7)),
    );
  }
  // Slot 0 held r0 and r(N/2) as a pair; put both bins right.
  store<f32>(pow, r0 * r0);
  store<f32>(pow + ((<usize>half) << 2), rn * rn);
}

/**
 * Overlap-add: out[start + i] += frame[i] * win[i] for the i in [0, n) that land inside
 * [0, outLen) (`start` may be negative).
 */
export function overlapAdd(out: usize, outLen: i32, frame: usize, win: usize, n: i32, start: i32): void {
  const i0 = max(0, -start);
  const i1 = min(n, outLen - start);
  let i = i0;
  const base = out + ((<usize>start) << 2);
  for (; i + 4 <= i1; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(base + o, f32x4.add(v128.load(base + o), f32x4.mul(v128.load(frame + o), v128.load(win + o))));
  }
  for (; i < i1; i++) {
    const o = (<usize>i) << 2;
    store<f32>(base + o, load<f32>(base + o) + load<f32>(frame + o) * load<f32>(win + o));
  }
}
