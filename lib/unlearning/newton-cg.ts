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

/** Kernel memory for the classes' vectors in one pass of a sweep: more classes take more passes. */
const CLASS_BYTES = 64 * 2 ** 20;

export type CgResult = { v: Float64Array; iterations: number; relativeResidual: number };

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
  // s_i = p_i (1 − p_i) at the current weights, per class row, and the preconditioner diag(H_k).
  const s = classes.map((c) => new Float64Array(c.rows.length));
  const diag = curvatures(x, D, n, w, lambda, classes, s);

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

/**
 * s_i = σ(z_i)(1 − σ(z_i)), z_i = x_i·w_c, into s[c] for each class's rows, and diag(H_c) = Σ s_i x_i∘x_i
 * + λ n_c (the preconditioner), in one sweep per pass by the row kernels.
 */
function curvatures(x: Float32Array, D: number, n: number, w: Float64Array, lambda: number, classes: CgClass[], s: Float64Array[]): Float64Array {
  const dp = paddedWidth(D);
  const diag = new Float64Array(classes.length * D);
  for (const [c0, c1] of classPasses(classes.length, 2 * dp * 8, CLASS_BYTES)) {
    const group = classes.slice(c0, c1);
    const vec = group.length * dp * 8;
    const space = arena({ ...chunkRegions(D), w: vec, acc: vec, z: CHUNK_ROWS * 8 });
    const { kernel, at, f64 } = space;
    group.forEach((c, g) => f64.set(w.subarray(c.offset, c.offset + D), at.w / 8 + g * dp));
    const zAt = at.z / 8;
    walkChunks(space, x, D, n, group, null, (g, from, count) => {
      const sc = s[c0 + g];
      kernel.dots(at.x, dp, at.rows, count, at.w + g * dp * 8, at.z);
      for (let r = 0; r < count; r++) {
        const p = sigmoid(f64[zAt + r]);
        sc[from + r] = p * (1 - p);
        f64[zAt + r] = sc[from + r];
      }
      kernel.axpySquares(at.x, dp, at.rows, count, at.z, at.acc + g * dp * 8);
    });
    group.forEach((c, g) => {
      const lam = lambda * c.rows.length;
      for (let j = 0; j < D; j++) diag[(c0 + g) * D + j] = f64[at.acc / 8 + g * dp + j] + lam;
    });
  }
  return diag;
}

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
  const dp = paddedWidth(D);
  const live = classes.flatMap((c, i) => (active[i] ? [i] : []));
  for (const [c0, c1] of classPasses(live.length, dp * 8, CLASS_BYTES)) {
    const ids = live.slice(c0, c1);
    const space = arena({ ...chunkRegions(D), w: ids.length * dp * 8, z: CHUNK_ROWS * 8 });
    const { kernel, at, f64 } = space;
    ids.forEach((c, g) => f64.set(w.subarray(classes[c].offset, classes[c].offset + D), at.w / 8 + g * dp));
    const zAt = at.z / 8;
    const group = ids.map((c) => classes[c]);
    walkChunks(space, x, D, label.length, group, null, (g, from, count) => {
      const { k, rows } = group[g];
      kernel.dots(at.x, dp, at.rows, count, at.w + g * dp * 8, at.z);
      let sum = 0;
      for (let r = 0; r < count; r++) sum += logLoss((label[rows[from + r]] === k ? 1 : -1) * f64[zAt + r]);
      loss[ids[g]] += sum;
    });
  }
  return loss;
}
