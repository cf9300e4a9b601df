import { cholesky, choleskySolve, norm2 } from './linalg';
import { classGradient, classHessian, classObjective, type ClassData } from './logistic';

export type FitResult = { iterations: number; gradientNorm: number; converged: boolean };

/**
 * Minimises class k's perturbed objective by Newton's method with a backtracking line search,
 * from the weights already in w[wo..], until the gradient norm is at most `tolerance`. Leaves
 * the optimum in w, the exact gradient (the residual) in g, and (with `keepHessian`) the Hessian at
 * the optimum in `hessian`; otherwise `hessian` is only the iterations' scratch.
 */
export function fitClass(
  c: ClassData,
  opts: {
    lambda: number;
    noise: Float64Array;
    w: Float64Array;
    hessian: Float64Array;
    keepHessian: boolean;
    residual: Float64Array;
    tolerance: number;
    maxIterations: number;
  },
): FitResult {
  const { d, k } = c;
  const wo = k * d;
  const { lambda, noise, w, hessian: hk, residual: g, tolerance, maxIterations } = opts;
  const h = hk;
  const step = new Float64Array(d);
  const trial = new Float64Array(d);
  let iterations = 0;
  let loss = classGradient(c, w, wo, lambda, noise, wo, g, wo);
  let gn = norm2(g, wo, d);
  const regTerm = (ww: Float64Array, o: number) => {
    let sq = 0;
    let bw = 0;
    for (let j = 0; j < d; j++) {
      sq += ww[o + j] * ww[o + j];
      bw += noise[wo + j] * ww[o + j];
    }
    return 0.5 * lambda * c.rows.length * sq + bw;
  };
  let f = loss + regTerm(w, wo);
  while (gn > tolerance && iterations < maxIterations) {
    iterations++;
    classHessian(c, w, wo, lambda, h);
    if (!cholesky(h, d)) throw new Error(`class ${k}: Hessian not positive definite (λ too small?)`);
    choleskySolve(h, d, g.subarray(wo, wo + d), step);
    let t = 1;
    let accepted = false;
    let slope = 0;
    for (let j = 0; j < d; j++) slope += g[wo + j] * step[j];
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < d; j++) trial[j] = w[wo + j] - t * step[j];
      const ft = classObjective(c, trial, 0, lambda, noise, wo);
      if (ft <= f - 1e-4 * t * slope || Math.abs(ft - f) <= 1e-15 * Math.abs(f)) {
        accepted = true;
        f = ft;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
    for (let j = 0; j < d; j++) w[wo + j] = trial[j];
    loss = classGradient(c, w, wo, lambda, noise, wo, g, wo);
    f = loss + regTerm(w, wo);
    gn = norm2(g, wo, d);
  }
  if (opts.keepHessian) classHessian(c, w, wo, lambda, h);
  return { iterations, gradientNorm: gn, converged: gn <= tolerance };
}
