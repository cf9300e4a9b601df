import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracy } from './evaluate';
import { removeSisa, trainSisa } from './sisa';
import { syntheticFaces } from './synthetic';
import { subset, without } from './test-helpers';
import { UnlearningError } from './errors';

const all = syntheticFaces({ identities: 6, perIdentity: 14, d: 16, seed: 5, spread: 0.7 });
const train = subset(all, (i) => i % 14 < 11);
const test_ = subset(all, (i) => i % 14 >= 11);
const params = { shards: 3, slices: 2, lambda: 1e-3, shardSeed: 9 };
const model = trainSisa(train, all.centre, params);

test('the SISA ensemble predicts well', () => {
  assert.ok(accuracy(model, test_).accuracy > 0.9);
});

test('removal retrains only the affected shard, and equals retraining from scratch without the samples', () => {
  const ids = [train.ids[4], train.ids[9]];
  const { model: after, report } = removeSisa(model, ids);
  assert.equal(report.epsilon, 0);
  assert.ok(report.shardsRetrained <= 2);
  const scratch = trainSisa(without(train, new Set(ids)), all.centre, params);
  after.shards.forEach((sh, s) => {
    const a = sh.checkpoints.at(-1)!;
    const b = scratch.shards[s].checkpoints.at(-1)!;
    for (let j = 0; j < a.length; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-7, `shard ${s} weight ${j}: ${a[j]} vs ${b[j]}`);
  });
  const untouched = [0, 1, 2].filter((s) => !ids.some((id) => model.shardOf[model.ids.indexOf(id)] === s));
  for (const s of untouched) assert.deepEqual(after.shards[s].checkpoints.at(-1), model.shards[s].checkpoints.at(-1), 'other shards are not retrained');
});

test('removing a whole identity drops it; bad parameters and ids are refused', () => {
  const { model: after, report } = removeSisa(
    model,
    train.ids.filter((_, i) => train.labels[i] === 'person-1'),
  );
  assert.deepEqual(report.classesDropped, ['person-1']);
  assert.ok(!after.classes.includes('person-1'));
  assert.throws(
    () => removeSisa(model, ['nope']),
    (e: unknown) => e instanceof UnlearningError && e.code === 'unknown_ids',
  );
  assert.throws(() => trainSisa(train, all.centre, { ...params, shards: 0 }), /shards must be/);
});
