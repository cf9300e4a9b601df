import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnlearningError } from '@/lib/unlearning/errors';
import { decodeHoldout, encodeHoldout } from './holdout-file';

const corrupt = (e: unknown) => e instanceof UnlearningError && e.code === 'model_corrupt';

test('held-out samples round-trip through their file, values as float32, whatever the header length', () => {
  for (const id of ['a', 'ab', 'abc', 'abcd']) {
    // float32-exact values (descriptors are stored as float32) and one that is not, rounded once.
    const x = Float64Array.from([0.5, -1.25, 3, Math.fround(0.1), 0.1, 2 ** -20]);
    const s = { ids: [id, `${id}-2`], labels: ['Ana', 'Zoë'], x, d: 3 };
    const back = decodeHoldout(encodeHoldout(s));
    assert.deepEqual(back.ids, s.ids);
    assert.deepEqual(back.labels, s.labels);
    assert.equal(back.d, 3);
    assert.deepEqual([...back.x], [...x].map(Math.fround));
  }
  const empty = decodeHoldout(encodeHoldout({ ids: [], labels: [], x: new Float64Array(0), d: 128 }));
  assert.deepEqual([empty.ids.length, empty.x.length, empty.d], [0, 0, 128]);
});

test('a damaged held-out file is model_corrupt, never samples', () => {
  const good = encodeHoldout({ ids: ['a', 'b'], labels: ['x', 'y'], x: new Float64Array(8).fill(1), d: 4 });
  assert.throws(() => decodeHoldout(good.subarray(0, 3)), corrupt);
  assert.throws(() => decodeHoldout(good.subarray(0, good.length - 4)), corrupt, 'one value short');
  assert.throws(() => decodeHoldout(Buffer.concat([good, Buffer.alloc(4)])), corrupt, 'one value too many');
  const header = (h: object) => {
    const json = Buffer.from(JSON.stringify(h));
    const b = Buffer.alloc(4 + json.length + 8 * 4);
    b.writeUInt32LE(json.length, 0);
    json.copy(b, 4);
    return b;
  };
  assert.throws(() => decodeHoldout(header({ format: 'other', n: 2, d: 4, ids: ['a', 'b'], labels: ['x', 'y'] })), corrupt);
  assert.throws(() => decodeHoldout(header({ format: 'forgetme-holdout-1', n: 2, d: 4, ids: ['a'], labels: ['x', 'y'] })), corrupt);
  assert.throws(() => decodeHoldout(header({ format: 'forgetme-holdout-1', n: 2, d: 0, ids: ['a', 'b'], labels: ['x', 'y'] })), corrupt);
  const garbled = Buffer.from(good);
  garbled[5] = 0x7b; // '{' inside the JSON
  assert.throws(() => decodeHoldout(garbled), corrupt);
});
