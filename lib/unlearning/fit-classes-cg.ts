import { allRows, classRows } from './class-rows';
import type { FitArrays, FitOutcome } from './class-tasks';
import { norm2 } from './linalg';
import { lossSweep, newtonCgSolve } from './newton-cg';
import { residualSweep } from './residual-sweep';

/** Products per Newton iteration at most; the solve's tolerance follows the gradient (below). */
const MAX_PRODUCTS = 200;

/**
 * Trains classes without forming their Hessians (a model without step matrices: step-matrices.ts):
 * truncated Newton, each direction solving H_k v = g_k by conjugate gradients on Hessian-vector
 * products (newton-cg.ts), with a backtracking line search, all the given classes in lockstep so
 * that every pass reads each row once for all of them. Each solve goes only as far as the gradient
 * tolerance needs (relative tolerance tolerance / ‖g_k‖, between 1e-10 and 0.1): loose far from
 * the optimum, tight near it. Memory: the classes' rows' weights and a few D-vectors per class,
 * never D² per class. Leaves the optima in `a.weights` and their exact gradients in `a.residual`.
 */
export function fitClassesByCg(a: FitArrays, ks: number[]): FitOutcome[] {
  const { D, lambda, x, label, weights: w, noise: b, residual: g, tolerance } = a;
  const all = a.subsample >= 1 ? allRows(label.length) : undefined;
  const classes = ks.map((k) => ({ k, rows: classRows(label, a.hashes, k, a.keys[k], a.subsample, all), offset: k * D }));
  const C = classes.length;
  const iterations = new Int32Array(C);
  const active = new Uint8Array(C).fill(1);
  const gradient = (which: number[]) =>
    residualSweep(
      x,
      D,
      label,
      which.map((c) => classes[c]),
      w,
      lambda,
      b,
      g,
    );
  // f_k(w) = loss + (λ n_k / 2)‖w‖² + bᵀw, for the line search (the loss part from one sweep).
  const regular = (c: number, ww: Float64Array, o: number) => {
    let sq = 0;
    let bw = 0;
    for (let j = 0; j < D; j++) {
      sq += ww[o + j] * ww[o + j];
      bw += b[classes[c].offset + j] * ww[o + j];
    }
    return 0.5 * lambda * classes[c].rows.length * sq + bw;
  };
  const range = Array.from({ length: C }, (_, c) => c);
  gradient(range);
  const loss = lossSweep(x, D, label, classes, w, active);
  const f = Float64Array.from(range, (c) => loss[c] + regular(c, w, classes[c].offset));
  // The line search's trial weights, class c at c·D (C × D, not the model's K × D).
  const trial = new Float64Array(C * D);
  const trialClasses = classes.map((cls, c) => ({ ...cls, offset: c * D }));
  for (let it = 0; it < a.maxIterations; it++) {
    for (let c = 0; c < C; c++) if (active[c] && norm2(g, classes[c].offset, D) <= tolerance) active[c] = 0;
    const open = range.filter((c) => active[c]);
    if (!open.length) break;
    const solved = newtonCgSolve(
      x,
      D,
      label.length,
      w,
      lambda,
      open.map((c) => {
        const u = g.slice(classes[c].offset, classes[c].offset + D);
        const rel = Math.min(0.1, Math.max(1e-10, tolerance / Math.max(norm2(u), Number.MIN_VALUE)));
        return { rows: classes[c].rows, offset: classes[c].offset, u, tolerance: rel };
      }),
      { maxIterations: MAX_PRODUCTS },
    );
    // Backtracking (Armijo) on the classes together: halve t only for those whose trial failed.
    const t = new Float64Array(C).fill(1);
    const searching = new Uint8Array(C);
    const slope = new Float64Array(C);
    open.forEach((c, i) => {
      searching[c] = 1;
      const o = classes[c].offset;
      for (let j = 0; j < D; j++) slope[c] += g[o + j] * solved[i].v[j];
    });
    const moved = new Uint8Array(C);
    for (let ls = 0; ls < 40 && searching.some((s) => s); ls++) {
      open.forEach((c, i) => {
        if (!searching[c]) return;
        const o = classes[c].offset;
        for (let j = 0; j < D; j++) trial[c * D + j] = w[o + j] - t[c] * solved[i].v[j];
      });
      const trialLoss = lossSweep(x, D, label, trialClasses, trial, searching);
      for (const c of open) {
        if (!searching[c]) continue;
        const ft = trialLoss[c] + regular(c, trial, c * D);
        if (ft <= f[c] - 1e-4 * t[c] * slope[c] || Math.abs(ft - f[c]) <= 1e-15 * Math.abs(f[c])) {
          searching[c] = 0;
          moved[c] = 1;
          f[c] = ft;
          w.set(trial.subarray(c * D, (c + 1) * D), classes[c].offset);
        } else t[c] /= 2;
      }
    }
    // A class whose line search found no decrease stops here (reported unconverged if its gradient is still too large).
    for (const c of open) {
      if (moved[c]) iterations[c]++;
      else active[c] = 0;
    }
    gradient(open.filter((c) => moved[c]));
  }
  return classes.map((cls, c) => {
    const gradientNorm = norm2(g, cls.offset, D);
    return { k: cls.k, iterations: iterations[c], gradientNorm, converged: gradientNorm <= tolerance };
  });
}
