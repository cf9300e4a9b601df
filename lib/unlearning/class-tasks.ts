import { allRows, classRows, rowsTask } from './class-rows';
import { fitClass } from './fit-class';
import { fitClassesByCg } from './fit-classes-cg';
import { releaseChecks } from './release-checks';
import { firstSteps, furtherSteps } from './remove-class';

/**
 * The per-class work of training and removal, as functions of shared arrays: the same code runs
 * in-process (one thread) or in the class workers (lib/unlearning/class-pool.ts).
 */
export type FitArrays = {
  D: number;
  lambda: number;
  subsample: number;
  x: Float32Array;
  label: Int32Array;
  hashes: Uint32Array;
  keys: Uint32Array;
  weights: Float64Array;
  noise: Float64Array;
  /** Null: no cache is kept; training is then truncated Newton, no Hessian formed (fit-classes-cg.ts). */
  hessians: Float64Array | null;
  residual: Float64Array;
  tolerance: number;
  maxIterations: number;
};

export type FitOutcome = { k: number; iterations: number; gradientNorm: number; converged: boolean };

export function fitTask(a: FitArrays, ks: number[]): FitOutcome[] {
  // Without step matrices, Newton's method without a Hessian formed either (memory D per class, not D²).
  const hessians = a.hessians;
  if (!hessians) return fitClassesByCg(a, ks);
  const all = a.subsample >= 1 ? allRows(a.label.length) : undefined;
  return ks.map((k) => {
    const rows = classRows(a.label, a.hashes, k, a.keys[k], a.subsample, all);
    const r = fitClass(
      { x: a.x, d: a.D, label: a.label, rows, k },
      {
        lambda: a.lambda,
        noise: a.noise,
        w: a.weights,
        hessian: hessians.subarray(k * a.D * a.D, (k + 1) * a.D * a.D),
        keepHessian: true,
        residual: a.residual,
        tolerance: a.tolerance,
        maxIterations: a.maxIterations,
      },
    );
    return { k, ...r };
  });
}

const TASKS = { fit: fitTask, firstStep: firstSteps, furtherStep: furtherSteps, releaseChecks, rows: rowsTask };
export type ClassTaskName = keyof typeof TASKS;

/** Each task's input (shared by every chunk), the items it is spread over, and one result per item. */
export type ClassTaskTypes = {
  [K in ClassTaskName]: {
    input: Parameters<(typeof TASKS)[K]>[0];
    item: Parameters<(typeof TASKS)[K]>[1][number];
    result: ReturnType<(typeof TASKS)[K]>[number];
  };
};
export type ClassTask<K extends ClassTaskName> = (input: ClassTaskTypes[K]['input'], items: ClassTaskTypes[K]['item'][]) => ClassTaskTypes[K]['result'][];

/**
 * The tasks by name, typed as a mapped type over the names so that `CLASS_TASKS[task]`, for a
 * name of type K, is a function of K's own input and items (TypeScript's correlated-union pattern).
 */
export const CLASS_TASKS: { [K in ClassTaskName]: ClassTask<K> } = TASKS;
