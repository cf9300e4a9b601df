import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeClassPool } from './class-pool';
import { classKey, inSubsample, sampleHashes } from './class-rows';
import { buildRowsCache } from './rows-cache';

after(() => closeClassPool());

const n = 3_000;
const classes = Array.from({ length: 40 }, (_, k) => `person-${k}`);
const ids = Array.from({ length: n }, (_, i) => `item-${i}`);
const label = Int32Array.from({ length: n }, (_, i) => (i * 7) % classes.length);
const params = { subsample: 0.2, subsampleSeed: 11 };

/** Each class's rows by the definition: its own rows, and the others whose hash falls in the subsample. */
function expected(): number[][] {
  const h = sampleHashes(ids, params.subsampleSeed);
  return classes.map((c, k) => ids.flatMap((_, i) => (label[i] === k || inSubsample(h[i], classKey(c), params.subsample) ? [i] : [])));
}

test('the rows cache lists each class its rows, in shared memory, alike on one thread and on several', async () => {
  const want = expected();
  for (const threads of [1, 2, 3]) {
    const got = await buildRowsCache({ ids, label, classes, params: { ...params, lambda: 1e-3, sigma: 0.1, epsilon: 1, delta: 1e-6 } }, { threads });
    assert.ok(got);
    assert.deepEqual(
      got.map((r) => Array.from(r)),
      want,
      `${threads} threads`,
    );
    assert.ok(got.every((r) => r.buffer instanceof SharedArrayBuffer));
  }
  // About the subsample's share of the other rows, and every own row.
  const sizes = want.map((r) => r.length);
  assert.ok(Math.min(...sizes) > n * 0.15 && Math.max(...sizes) < n * 0.3, `${Math.min(...sizes)}-${Math.max(...sizes)}`);
});

test('without subsampling nothing is cached: every class uses every row', async () => {
  assert.equal(
    await buildRowsCache({ ids, label, classes, params: { subsample: 1, subsampleSeed: 1, lambda: 1e-3, sigma: 0.1, epsilon: 1, delta: 1e-6 } }),
    undefined,
  );
});

test('drawn by label, a class holds every photo of another label or none of them, and about r of the labels', async () => {
  const byLabel = { ...params, subsampleByLabel: 1, lambda: 1e-3, sigma: 0.1, epsilon: 1, delta: 1e-6 };
  const got = await buildRowsCache({ ids, label, classes, params: byLabel }, { threads: 2 });
  assert.ok(got);
  // The definition, from the label's own hash (seeded like a sample id's).
  const labelHash = sampleHashes(classes, params.subsampleSeed);
  let negatives = 0;
  got.forEach((rows, k) => {
    const want = ids.flatMap((_, i) => (label[i] === k || inSubsample(labelHash[label[i]], classKey(classes[k]), params.subsample) ? [i] : []));
    assert.deepEqual(Array.from(rows), want, `class ${k}`);
    const labelsIn = new Set(Array.from(rows, (i) => label[i]));
    for (const j of labelsIn) assert.equal(Array.from(rows).filter((i) => label[i] === j).length, label.filter((l) => l === j).length);
    negatives += labelsIn.size - 1;
  });
  const share = negatives / (classes.length * (classes.length - 1));
  assert.ok(share > 0.1 && share < 0.3, `share of other labels ${share}`);
});
