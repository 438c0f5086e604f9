/**
 * "Similar sounds" as plain numbers: principal component analysis of the timbre fingerprints (the
 * report's 2-D map is the first two components; the page's nearest neighbours are found in the
 * first few), done once at build time. Pure: typed arrays in, typed arrays out.
 *
 * `nearest` runs in the page (its source is inlined into the report's script), so it is written
 * self-contained: no imports, no helpers outside its body.
 */
import { ParameterError } from "../core/errors.js";

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Unit eigenvectors, row i belongs to values[i] (row-major n x n). */
  readonly vectors: Float64Array;
}

/**
 * Eigen-decomposition of a real symmetric n x n matrix (row-major) by cyclic Jacobi rotations:
 * slow for big n (O(n^3) per sweep) but exact to rounding and simple, and fingerprints have tens
 * of dimensions. Each vector's largest-magnitude entry is made positive, so the result is unique.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  if (matrix.length !== n * n) throw new ParameterError(`matrix has ${matrix.length} values, not ${n}x${n}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A <- J^T A J on rows/columns p and q.
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        // V <- V J (columns of V are the eigenvectors).
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = a[col * n + col];
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(v[k * n + col]) > Math.abs(big)) big = v[k * n + col];
    const sign = big < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[row * n + k] = sign * v[k * n + col];
  });
  return { values, vectors };
}

export interface Pca {
  readonly dims: number;
  /** Per-dimension mean and the divisor applied after centring (standard deviation, or 1). */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** Principal axes, row-major dims x dims, largest variance first. */
  readonly components: Float64Array;
  /** Variance along each axis (eigenvalues of the covariance), largest first. */
  readonly variances: Float64Array;
}

export interface PcaOptions {
  /**
   * Divide each dimension by its standard deviation first (a correlation PCA): fingerprints mix
   * units (dB, ratios, Hz), and without it the loudest unit decides the map. Constant dimensions
   * are left as they are.
   */
  readonly standardize: boolean;
}

/** PCA of `n` row vectors of `dims` values (row-major). Population covariance (divides by n). */
export function pca(data: ArrayLike<number>, n: number, dims: number, options: PcaOptions): Pca {
  if (data.length !== n * dims) throw new ParameterError(`data has ${data.length} values, not ${n}x${dims}`);
  if (n < 1 || dims < 1) throw new ParameterError(`PCA needs at least one vector and one dimension`);
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d] += data[i * dims + d];
  for (let d = 0; d < dims; d++) mean[d] /= n;
  const scale = new Float64Array(dims).fill(1);
  if (options.standardize) {
    const sq = new Float64Array(dims);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dims; d++) {
        const x = data[i * dims + d] - mean[d];
        sq[d] += x * x;
      }
    }
    for (let d = 0; d < dims; d++) {
      const sd = Math.sqrt(sq[d] / n);
      if (sd > 1e-12 * (1 + Math.abs(mean[d]))) scale[d] = sd;
    }
  }
  const cov = new Float64Array(dims * dims);
  const x = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) x[d] = (data[i * dims + d] - mean[d]) / scale[d];
    for (let p = 0; p < dims; p++) {
      const xp = x[p];
      if (xp === 0) continue;
      for (let q = p; q < dims; q++) cov[p * dims + q] += xp * x[q];
    }
  }
  for (let p = 0; p < dims; p++) {
    for (let q = p; q < dims; q++) {
      cov[p * dims + q] /= n;
      cov[q * dims + p] = cov[p * dims + q];
    }
  }
  const { values, vectors } = symmetricEigen(cov, dims);
  // Rounding can leave tiny negative eigenvalues of a semi-definite matrix.
  for (let i = 0; i < dims; i++) if (values[i] < 0) values[i] = 0;
  return { dims, mean, scale, components: vectors, variances: values };
}

/** Coordinates of `n` row vectors on the first `k` principal axes (row-major n x k). */
export function project(p: Pca, data: ArrayLike<number>, n: number, k: number): Float64Array {
  const { dims } = p;
  if (k > dims) throw new ParameterError(`cannot keep ${k} components of ${dims}`);
  const out = new Float64Array(n * k);
  const x = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) x[d] = (data[i * dims + d] - p.mean[d]) / p.scale[d];
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += x[d] * p.components[c * dims + d];
      out[i * k + c] = s;
    }
  }
  return out;
}

/** Fewest leading components (at least `min`, at most `max`) holding `share` of the total variance. */
export function componentsFor(variances: Float64Array, share: number, min: number, max: number): number {
  let total = 0;
  for (const v of variances) total += v;
  const hi = Math.min(max, variances.length);
  if (total <= 0) return Math.min(min, hi);
  let acc = 0;
  for (let k = 0; k < hi; k++) {
    acc += variances[k];
    if (k + 1 >= min && acc >= share * total) return k + 1;
  }
  return hi;
}

/**
 * The `k` nearest rows to row `i` (Euclidean, over the `m` values of each row of `vecs`), nearest
 * first, as [row, distance] pairs; rows whose first value is NaN (no fingerprint) are skipped, and
 * so are rows for which `skip(row)` is true. Ties go to the lower row. Brute force: at 50,000 rows
 * of 8-16 values one query takes a few milliseconds, less than keeping an index would cost.
 */
export function nearest(
  vecs: Float32Array,
  m: number,
  i: number,
  k: number,
  skip: ((row: number) => boolean) | null,
): [number, number][] {
  const n = Math.floor(vecs.length / m);
  const best = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  const rows = new Int32Array(k).fill(-1);
  const base = i * m;
  if (Number.isNaN(vecs[base])) return [];
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const o = j * m;
    if (Number.isNaN(vecs[o])) continue;
    let d = 0;
    for (let c = 0; c < m; c++) {
      const t = vecs[o + c] - vecs[base + c];
      d += t * t;
    }
    if (d >= best[k - 1]) continue;
    if (skip?.(j)) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1] > d) {
      best[p] = best[p - 1];
      rows[p] = rows[p - 1];
      p--;
    }
    best[p] = d;
    rows[p] = j;
  }
  const out: [number, number][] = [];
  for (let p = 0; p < k; p++) if (rows[p] >= 0) out.push([rows[p], Math.sqrt(best[p])]);
  return out;
}
