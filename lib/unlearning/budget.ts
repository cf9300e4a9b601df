/**
 * The removal budget of Guo et al. (ICML 2020, Theorem 3): a released model whose gradient
 * residual on the perturbed objective over the remaining data has norm at most ε' = σ ε / c,
 * c = √(2 ln(1.5/δ)), is (ε, δ)-certified against retraining from scratch.
 */
export function budgetConstant(delta: number): number {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
  return Math.sqrt(2 * Math.log(1.5 / delta));
}

export function removalBudget(opts: { sigma: number; epsilon: number; delta: number }): number {
  if (!(opts.sigma > 0)) throw new RangeError(`sigma must be > 0, got ${opts.sigma}`);
  if (!(opts.epsilon > 0)) throw new RangeError(`epsilon must be > 0, got ${opts.epsilon}`);
  return (opts.sigma * opts.epsilon) / budgetConstant(opts.delta);
}

/**
 * The target the mechanism compares the computed residual with: ε' less a floating-point margin
 * (relative 1e-6 plus an absolute 1e-12), so rounding can never tip a release over the budget.
 */
export function releaseTarget(budget: number): number {
  return budget * (1 - 1e-6) - 1e-12;
}
