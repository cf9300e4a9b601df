/**
 * Newton steps without a cached step matrix (issue 18, part 2): for each class, v solving
 * H_k v = u_k, H_k = Σ_{i∈S_k} s_i x_i x_iᵀ + λ n_k I at the class's current weights (its exact
 * Hessian, never formed), by conjugate gradients on Hessian-vector products, with the diagonal of
 * H_k as preconditioner. Memory: the classes' s_i (one float64 per row of each class in the batch)
 * and a few D-vectors per class, against D² per class for a cached matrix (21 GB at K = 10,000,
 * d = 512).
 *
 * As in residual-sweep.ts, the classes advance in lockstep: each product walks the rows in chunks
 * that stay in the core's cache and lets every class take its rows of the chunk, so each row is
 * fetched once per product for all the classes, not once per class. The step needs no precision
 * for the guarantee (the released residual is computed exactly afterwards); the CG tolerance only
 * decides how much of the residual one step removes.
 */
import { CHUNK_ROWS, chunkRegions, classPasses, walkChunks } from './kernels/chunk-walk';
import { arena, paddedWidth } from './kernels/row-kernel';
import { dot } from './linalg';
import { logLoss, sigmoid } from './logistic';

export type CgClass = {
  /** The class's rows, ascending. */
  rows: Int32Array;
  /** Offset of the class's weights in `w`. */
  offset: number;
  /** The right-hand side (the class's residual), length D. */
  u: Float64Array;
  /** Stop when ‖H v − u‖ ≤ tolerance · ‖u‖. */
  tolerance: number;
};

export type CgResult = { v: Float64Array; iterations: number; relativeResidual: number };

/** Calls fn(c, from, to) for each class's rows inside each chunk of rows, chunk by chunk. */
export function sweep(n: number, classes: { rows: Int32Array }[], active: Uint8Array, fn: (c: number, from: number, to: number) => void): void {
  const cursor = new Int32Array(classes.length);
  for (let c0 = 0; c0 < n; c0 += CHUNK_ROWS) {
    const c1 = c0 + CHUNK_ROWS;
    for (let c = 0; c < classes.length; c++) {
      if (!active[c]) continue;
      const rows = classes[c].rows;
      const from = cursor[c];
      let to = from;
      while (to < rows.length && rows[to] < c1) to++;
      if (to > from) fn(c, from, to);
      cursor[c] = to;
    }
  }
}

/**
 * Solves H_k v = u_k for every class, to ‖H v − u‖ ≤ its tolerance · ‖u‖ or `maxIterations` products.
 * `x` is n × D row-major, `w` holds the classes' current weights (read only).
 */
export function newtonCgSolve(
  x: Float32Array,
  D: number,
  n: number,
  w: Float64Array,
  lambda: number,
  classes: CgClass[],
  opts: { maxIterations: number },
): CgResult[] {
  const C = classes.length;
  const all = new Uint8Array(C).fill(1);
  // s_i = p_i (1 − p_i) at the current weights, per class row, and the preconditioner diag(H_k).
  const s = classes.map((c) => new Float64Array(c.rows.length));
  const diag = new Float64Array(C * D);
  const dots = new Float64Array(CHUNK_ROWS);
  sweep(n, classes, all, (c, from, to) => {
    const { rows, offset } = classes[c];
    const sc = s[c];
    const dOff = c * D;
    rowDots(x, D, rows, from, to, w, offset, dots);
    for (let r = from; r < to; r++) {
      const o = rows[r] * D;
      const p = sigmoid(dots[r - from]);
      const si = p * (1 - p);
      sc[r] = si;
      for (let j = 0; j < D; j++) diag[dOff + j] += si * x[o + j] * x[o + j];
    }
  });
  for (let c = 0; c < C; c++) for (let j = 0; j < D; j++) diag[c * D + j] += lambda * classes[c].rows.length;

  const v = new Float64Array(C * D);
  const r = new Float64Array(C * D);
  const z = new Float64Array(C * D);
  const p = new Float64Array(C * D);
  const hp = new Float64Array(C * D);
  const rz = new Float64Array(C);
  const uNorm = new Float64Array(C);
  const rNorm = new Float64Array(C);
  const iterations = new Int32Array(C);
  const active = new Uint8Array(C);
  for (let c = 0; c < C; c++) {
    const o = c * D;
    r.set(classes[c].u, o);
    uNorm[c] = Math.sqrt(dot(r, o, r, o, D));
    rNorm[c] = uNorm[c];
    for (let j = 0; j < D; j++) z[o + j] = r[o + j] / diag[o + j];
    p.set(z.subarray(o, o + D), o);
    rz[c] = dot(r, o, z, o, D);
    active[c] = uNorm[c] > 0 ? 1 : 0;
  }
  for (let it = 0; it < opts.maxIterations && active.some((a) => a); it++) {
    hessianProducts(x, D, n, classes, s, p, lambda, active, hp);
    for (let c = 0; c < C; c++) {
      if (!active[c]) continue;
      const o = c * D;
      const alpha = rz[c] / dot(p, o, hp, o, D);
      for (let j = 0; j < D; j++) {
        v[o + j] += alpha * p[o + j];
        r[o + j] -= alpha * hp[o + j];
      }
      iterations[c]++;
      rNorm[c] = Math.sqrt(dot(r, o, r, o, D));
      if (rNorm[c] <= classes[c].tolerance * uNorm[c]) {
        active[c] = 0;
        continue;
      }
      for (let j = 0; j < D; j++) z[o + j] = r[o + j] / diag[o + j];
      const next = dot(r, o, z, o, D);
      const beta = next / rz[c];
      rz[c] = next;
      for (let j = 0; j < D; j++) p[o + j] = z[o + j] + beta * p[o + j];
    }
  }
  return classes.map((_, c) => ({
    v: v.slice(c * D, (c + 1) * D),
    iterations: iterations[c],
    relativeResidual: uNorm[c] > 0 ? rNorm[c] / uNorm[c] : 0,
  }));
}

/** Kernel memory for the classes' vectors in one pass of a product (p and the accumulator). */
const CLASS_BYTES = 64 * 2 ** 20;

/**
 * out_c = H_c p_c = λ n_c p_c + Σ_i s_i (x_i·p_c) x_i for the active classes, in one sweep over the
 * rows per pass, by the row kernels (kernels/rows.wat: each row's dot product with p_c, then the
 * sum of the rows scaled by s_i times it), in float64.
 */
function hessianProducts(
  x: Float32Array,
  D: number,
  n: number,
  classes: CgClass[],
  s: Float64Array[],
  p: Float64Array,
  lambda: number,
  active: Uint8Array,
  out: Float64Array,
): void {
  const dp = paddedWidth(D);
  const live = classes.flatMap((c, i) => (active[i] ? [i] : []));
  for (const [c0, c1] of classPasses(live.length, 2 * dp * 8, CLASS_BYTES)) {
    const ids = live.slice(c0, c1);
    const vec = ids.length * dp * 8;
    const space = arena({ ...chunkRegions(D), p: vec, acc: vec, z: CHUNK_ROWS * 8 });
    const { kernel, at, f64 } = space;
    ids.forEach((c, g) => f64.set(p.subarray(c * D, (c + 1) * D), at.p / 8 + g * dp));
    const zAt = at.z / 8;
    walkChunks(
      space,
      x,
      D,
      n,
      ids.map((c) => classes[c]),
      null,
      (g, from, count) => {
        const sc = s[ids[g]];
        kernel.dots(at.x, dp, at.rows, count, at.p + g * dp * 8, at.z);
        for (let r = 0; r < count; r++) f64[zAt + r] *= sc[from + r];
        kernel.axpy(at.x, dp, at.rows, count, at.z, at.acc + g * dp * 8);
      },
    );
    ids.forEach((c, g) => {
      const lam = lambda * classes[c].rows.length;
      for (let j = 0; j < D; j++) out[c * D + j] = lam * p[c * D + j] + f64[at.acc / 8 + g * dp + j];
    });
  }
}

/**
 * Σ_{i∈S_k} ℓ(y_ik wᵀx_i) for each active class (0 for the others), the classes' weights at
 * their offsets in `w`, in one sweep over the rows (the line search's evaluations).
 */
export function lossSweep(
  x: Float32Array,
  D: number,
  label: Int32Array,
  classes: { k: number; rows: Int32Array; offset: number }[],
  w: Float64Array,
  active: Uint8Array,
): Float64Array {
  const loss = new Float64Array(classes.length);
  const z = new Float64Array(CHUNK_ROWS);
  sweep(label.length, classes, active, (c, from, to) => {
    const { k, rows, offset } = classes[c];
    rowDots(x, D, rows, from, to, w, offset, z);
    let sum = 0;
    for (let r = from; r < to; r++) sum += logLoss((label[rows[r]] === k ? 1 : -1) * z[r - from]);
    loss[c] += sum;
  });
  return loss;
}

/** z[r − from] = x_{rows[r]} · v[vo..vo+D) for r in [from, to) (at most CHUNK_ROWS rows), four rows per pass over v. */
function rowDots(x: Float32Array, D: number, rows: Int32Array, from: number, to: number, v: Float64Array, vo: number, z: Float64Array): void {
  let r = from;
  for (; r + 3 < to; r += 4) {
    const o0 = rows[r] * D;
    const o1 = rows[r + 1] * D;
    const o2 = rows[r + 2] * D;
    const o3 = rows[r + 3] * D;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let j = 0; j < D; j++) {
      const vj = v[vo + j];
      z0 += x[o0 + j] * vj;
      z1 += x[o1 + j] * vj;
      z2 += x[o2 + j] * vj;
      z3 += x[o3 + j] * vj;
    }
    z[r - from] = z0;
    z[r + 1 - from] = z1;
    z[r + 2 - from] = z2;
    z[r + 3 - from] = z3;
  }
  for (; r < to; r++) z[r - from] = dot(x, rows[r] * D, v, vo, D);
}
