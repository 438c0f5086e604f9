import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { componentsFor, nearest, pca, project, symmetricEigen } from "../../src/report/similar.js";

/** Row-major matrix product a (n x k) * b (k x m). */
function mul(a: number[], b: number[], n: number, k: number, m: number): number[] {
  const out = new Array(n * m).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) for (let t = 0; t < k; t++) out[i * m + j] += a[i * k + t] * b[t * m + j];
  return out;
}

/** A rotation of 3-space (orthonormal columns) from two angles. */
function rotation(a: number, b: number): number[] {
  const rz = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
  const rx = [1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)];
  return mul(rz, rx, 3, 3, 3);
}

const column = (q: number[], c: number): number[] => [q[c], q[3 + c], q[6 + c]];
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe("symmetricEigen (Jacobi)", () => {
  it("recovers the eigenvalues 5, 2, 0.5 and the axes of a rotated diagonal matrix to 1e-12", () => {
    const q = rotation(0.7, -0.4);
    const qt = [q[0], q[3], q[6], q[1], q[4], q[7], q[2], q[5], q[8]];
    const a = mul(mul(q, [5, 0, 0, 0, 2, 0, 0, 0, 0.5], 3, 3, 3), qt, 3, 3, 3);
    const { values, vectors } = symmetricEigen(a, 3);
    expect([...values].map((v) => Math.round(v * 1e12) / 1e12)).toEqual([5, 2, 0.5]);
    for (let k = 0; k < 3; k++) {
      const v = vectors.subarray(k * 3, k * 3 + 3);
      // Same axis as the rotation's column k (either sign), unit length, largest entry positive.
      expect(Math.abs(Math.abs(dot(v, column(q, k))) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-12);
      const big = [...v].reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      expect(big).toBeGreaterThan(0);
    }
  });

  it("solves [[2,1],[1,2]]: eigenvalues 3 and 1, first axis (1,1)/sqrt 2", () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(vectors[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("A v = lambda v for random symmetric 12x12 matrices (1e-9 relative)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 78, maxLength: 78 }),
        (tri) => {
          const n = 12;
          const a = new Array(n * n).fill(0);
          let t = 0;
          for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = tri[t++];
          const { values, vectors } = symmetricEigen(a, n);
          const scale = Math.max(1, ...values.map(Math.abs));
          for (let k = 0; k < n; k++) {
            const v = [...vectors.subarray(k * n, (k + 1) * n)];
            const av = mul(a, v, n, n, 1);
            for (let i = 0; i < n; i++) expect(Math.abs(av[i] - values[k] * v[i])).toBeLessThan(1e-9 * scale);
            if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
          }
        },
      ),
      { seed: 16, numRuns: 25 },
    );
  });
});

describe("pca", () => {
  // Points t*u + s*w in 3-space: t and s uncorrelated, var(t) = 5, var(s) = 1.
  const q = rotation(0.3, 1.1);
  const u = column(q, 0);
  const w = column(q, 1);
  const t = [-3, -1, 1, 3];
  const s = [1, -1, -1, 1];
  const data = t.flatMap((ti, i) => [0, 1, 2].map((d) => 10 + ti * u[d] + s[i] * w[d]));

  it("finds the line's direction first (variance 5), the cross direction second (variance 1), nothing third", () => {
    const p = pca(data, 4, 3, { standardize: false });
    for (const m of p.mean) expect(m).toBeCloseTo(10, 12);
    expect(p.variances[0]).toBeCloseTo(5, 12);
    expect(p.variances[1]).toBeCloseTo(1, 12);
    expect(p.variances[2]).toBeCloseTo(0, 12);
    expect(Math.abs(dot(p.components.subarray(0, 3), u))).toBeCloseTo(1, 12);
    expect(Math.abs(dot(p.components.subarray(3, 6), w))).toBeCloseTo(1, 12);
  });

  it("projects each point back onto its t and s (up to the axes' signs)", () => {
    const p = pca(data, 4, 3, { standardize: false });
    const xy = project(p, data, 4, 2);
    const su = Math.sign(dot(p.components.subarray(0, 3), u));
    const sw = Math.sign(dot(p.components.subarray(3, 6), w));
    t.forEach((ti, i) => {
      expect(xy[i * 2]).toBeCloseTo(su * ti, 12);
      expect(xy[i * 2 + 1]).toBeCloseTo(sw * s[i], 12);
    });
  });

  it("standardises mixed units: y = 1000 x gives one axis (1,1)/sqrt 2 with variance 2, and a constant column changes nothing", () => {
    const rows = [1, 2, 3, 4].flatMap((x) => [x, 1000 * x, 7]);
    const p = pca(rows, 4, 3, { standardize: true });
    expect(p.variances[0]).toBeCloseTo(2, 12);
    expect(p.variances[1]).toBeCloseTo(0, 12);
    expect(p.components[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(p.components[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(p.components[2]).toBeCloseTo(0, 12);
    expect(p.scale[2]).toBe(1);
  });

  it("keeps the fewest components holding a share of the variance", () => {
    const v = Float64Array.from([6, 3, 0.5, 0.5]);
    expect(componentsFor(v, 0.6, 1, 4)).toBe(1);
    expect(componentsFor(v, 0.9, 1, 4)).toBe(2);
    expect(componentsFor(v, 0.95, 1, 4)).toBe(3);
    expect(componentsFor(v, 0.95, 1, 2)).toBe(2);
    expect(componentsFor(v, 0.1, 2, 4)).toBe(2);
  });

  it("rejects data of the wrong size", () => {
    expect(() => pca([1, 2, 3], 2, 2, { standardize: false })).toThrow(/2x2/);
  });
});

describe("nearest", () => {
  function lcg(seed: number): () => number {
    let x = seed >>> 0;
    return () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x / 2 ** 32;
    };
  }

  /** Independent answer: sort every other row by distance (then by row). */
  function brute(v: Float32Array, m: number, i: number, k: number, skip: (j: number) => boolean): number[] {
    const n = v.length / m;
    const d: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i || Number.isNaN(v[j * m]) || skip(j)) continue;
      let s = 0;
      for (let c = 0; c < m; c++) s += (v[j * m + c] - v[i * m + c]) ** 2;
      d.push([j, s]);
    }
    return d
      .sort((a, b) => a[1] - b[1] || a[0] - b[0])
      .slice(0, k)
      .map((x) => x[0]);
  }

  it("equals a full sort by distance, skipping rows without a vector and rows the filter drops", () => {
    const rand = lcg(7);
    const m = 6;
    const n = 500;
    const v = new Float32Array(n * m).map(() => Math.round(rand() * 20) / 4);
    for (const j of [3, 50, 499]) v[j * m] = Number.NaN;
    const skip = (j: number): boolean => j % 7 === 0;
    for (const i of [0, 1, 123, 498]) {
      const got = nearest(v, m, i, 9, skip);
      expect(got.map((x) => x[0])).toEqual(brute(v, m, i, 9, skip));
      for (const [j, d] of got) {
        let s = 0;
        for (let c = 0; c < m; c++) s += (v[j * m + c] - v[i * m + c]) ** 2;
        expect(d).toBeCloseTo(Math.sqrt(s), 5);
      }
      expect(nearest(v, m, i, 9, null).map((x) => x[0])).toEqual(brute(v, m, i, 9, () => false));
    }
  });

  it("returns nothing for a row without a vector, and fewer than k when there are fewer rows", () => {
    const v = Float32Array.from([0, 0, Number.NaN, 0, 1, 1, 3, 3]);
    expect(nearest(v, 2, 1, 3, null)).toEqual([]);
    expect(nearest(v, 2, 0, 5, null).map((x) => x[0])).toEqual([2, 3]);
  });
});
