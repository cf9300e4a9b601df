import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '@/lib/unlearning/rng';
import { cohortBytes, cohortDistance, cohortVectors } from './cohort';
import { groupCentroids, l2, probesFor } from './probes';
import { referenceGroups } from './reference-groups';

/** Points on a line, so every distance is known: x · e₀ in 3 dimensions. */
const at = (...xs: number[]) => xs.map((x) => [x, 0, 0]);

test('one face: references that all agree are one group, searched by their centroid as before', () => {
  const refs = at(0, 0.2, 0.4, 0.1);
  assert.deepEqual(referenceGroups(refs, { agree: 0.5 }), [[0, 1, 2, 3]]);
  assert.deepEqual(groupCentroids(refs, [[0, 1, 2, 3]]), probesFor(refs, 'centroid'));
  assert.deepEqual(referenceGroups(at(7), { agree: 0.5 }), [[0]]);
  assert.deepEqual(referenceGroups([], { agree: 0.5 }), []);
});

test('two faces far apart are two groups, not one centroid between them', () => {
  // 0, 0.1 and 0.2 agree; 3 and 3.3 agree; no pair across agrees.
  const refs = at(3, 0, 0.1, 3.3, 0.2);
  const groups = referenceGroups(refs, { agree: 0.5 });
  assert.deepEqual(groups, [
    [1, 2, 4],
    [0, 3],
  ]);
  const [a, b] = groupCentroids(refs, groups);
  assert.ok(Math.abs(a[0] - 0.1) < 1e-12 && Math.abs(b[0] - 3.15) < 1e-12);
  // The single centroid lies between the faces, 1.2 from the nearer: the failure this prevents.
  assert.ok(Math.abs(probesFor(refs, 'centroid')[0][0] - 1.32) < 1e-12);
});

test('a chain is not one face: every pair in a group agrees, not only neighbours', () => {
  // 0 ~ 0.2 ~ 0.6, but 0 and 0.6 disagree: two groups, and the split with the smaller spread.
  assert.deepEqual(referenceGroups(at(0, 0.2, 0.6), { agree: 0.5 }), [[0, 1], [2]]);
  assert.deepEqual(referenceGroups(at(0, 0.4, 0.6), { agree: 0.5 }), [[1, 2], [0]]);
  // Fewest groups first: references that pairwise disagree are a group each; equal to the threshold is not agreement.
  assert.equal(referenceGroups(at(0, 1, 2, 3, 4), { agree: 0.5 }).length, 5);
  assert.equal(referenceGroups(at(0, 0.5), { agree: 0.5 }).length, 2);
  assert.deepEqual(referenceGroups(at(0, 0.45, 0.55, 1.0), { agree: 0.5 }), [
    [0, 1],
    [2, 3],
  ]);
});

test('cohort-normalised: agreement is judged on the distance the matcher uses', () => {
  const rng = new Rng(5);
  const unit = () => {
    const v = Array.from({ length: 128 }, () => rng.normal());
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const vectors = cohortVectors(cohortBytes(Array.from({ length: 200 }, unit)));
  const base = unit();
  const near = base.map((x) => x + 0.02 * rng.normal());
  const raw = l2(base, near);
  const mean = (cohortDistance(base, { vectors, k: 10 }) + cohortDistance(near, { vectors, k: 10 })) / 2;
  // An offset that makes the normalised distance the raw one plus 0.3 (normalised = raw − mean + offset).
  const cohort = { vectors, k: 10, offset: mean + 0.3 };
  const agree = raw + 0.1;
  assert.deepEqual(referenceGroups([base, near], { agree }), [[0, 1]]);
  assert.deepEqual(referenceGroups([base, near], { agree, cohort }), [[0], [1]]);
  assert.deepEqual(referenceGroups([base, near], { agree: raw + 0.31, cohort }), [[0, 1]]);
  assert.throws(
    () =>
      referenceGroups(
        Array.from({ length: 9 }, () => base),
        { agree },
      ),
    /at most 8/,
  );
});
