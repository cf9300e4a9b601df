import { runOverClasses } from './class-pool';
import { classKey, modelHashes, type RowsArrays } from './class-rows';
import type { NewtonModel } from './model';
import { toSharedU32 } from './shared';

/**
 * Every class's rows (subsampling only; with r = 1 every class uses every row and nothing is
 * cached), in shared memory so that handing them to the class workers copies nothing. Listed on
 * the class workers: one test per row and class (10⁸ at 100,000 rows × 1,000 classes, about
 * 0.6 s on one thread), which a removal from a model just read from its blobs would otherwise wait
 * for on the job's own thread. `hashes`: the rows' sample hashes, when the caller has them.
 */
export async function buildRowsCache(
  m: Pick<NewtonModel, 'ids' | 'label' | 'classes' | 'params'>,
  opts: { threads?: number; hashes?: Uint32Array } = {},
): Promise<Int32Array[] | undefined> {
  if (m.params.subsample >= 1) return undefined;
  const input: RowsArrays = {
    label: m.label,
    hashes: toSharedU32(opts.hashes ?? modelHashes(m)),
    keys: toSharedU32(m.classes.map(classKey)),
    subsample: m.params.subsample,
  };
  const ks = m.classes.map((_, k) => k);
  return runOverClasses('rows', input, ks, { threads: opts.threads, work: m.label.length * ks.length });
}
