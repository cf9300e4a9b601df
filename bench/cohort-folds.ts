import { cohortBytes, cohortOffset, cohortVectors } from '@/lib/matcher/cohort';
import { mainFace, type CorpusEntry } from './face-corpus';

/**
 * The matcher's cohort (lib/matcher/cohort.ts) in the benches: the lfw-strangers people of fold A
 * (a hash of the name), in no training set here. Figures involving a fold-A stranger use fold B
 * as the cohort instead, so that no face is ever normalised against a cohort holding its own
 * person or the other face of its pair (cross-fitting): what each figure measures is a cohort of
 * strangers.
 */
export const COHORT_K = 20;

const fnv = (s: string) => {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
};

export type Fold = 'A' | 'B' | null;
export type FoldCohort = { bytes: Buffer; vectors: Float32Array; k: number; offset: number };

export const foldOf = (e: Pick<CorpusEntry, 'corpus' | 'person'>): Fold => (e.corpus === 'lfw-strangers' ? (fnv(e.person) & 1 ? 'A' : 'B') : null);

/** The cohort of each fold, from the lfw-strangers entries. */
export function foldCohorts(strangers: CorpusEntry[]): Record<'A' | 'B', FoldCohort> {
  return Object.fromEntries(
    (['A', 'B'] as const).map((f) => {
      const faces = strangers
        .filter((e) => foldOf(e) === f)
        .sort((a, b) => (a.file < b.file ? -1 : 1))
        .map(mainFace)
        .filter((d): d is number[] => d !== null);
      const bytes = cohortBytes(faces);
      const vectors = cohortVectors(bytes);
      return [f, { bytes, vectors, k: COHORT_K, offset: cohortOffset(vectors, COHORT_K) }];
    }),
  ) as Record<'A' | 'B', FoldCohort>;
}

/** The cohort for a pair: B when a fold-A stranger is in it, else A; null when both folds are (such pairs are not used). */
export const cohortFor = (a: Fold, b: Fold): 'A' | 'B' | null => (a && b && a !== b ? null : a === 'A' || b === 'A' ? 'B' : 'A');
