import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PREDICATE_TYPE, PREDICATE_TYPE_V1, V1_NOTICE, noticeFor } from './predicate';
import { verifyBundle } from './verify-bundle';
import { exampleBundle as bundleOf, exampleJwks as jwks } from '@/lib/testing/example-bundle';

test('a version-1 certificate still verifies, with the notice that its guarantee did not hold against the partner', () => {
  const v1 = bundleOf(PREDICATE_TYPE_V1, '1.0', {});
  const v = verifyBundle(v1, jwks);
  assert.ok(v.ok, JSON.stringify(v.checks.filter((c) => !c.ok)));
  assert.equal(v.predicateMajor, 1);
  assert.deepEqual(v.notices, [V1_NOTICE]);
  assert.equal(noticeFor(v1.envelope), V1_NOTICE);
});

test('a version-2 certificate has no notice, and must carry its release evidence', () => {
  const v2 = bundleOf(PREDICATE_TYPE, '2.0', { release: null, evidence: null });
  const v = verifyBundle(v2, jwks);
  assert.ok(v.ok, JSON.stringify(v.checks.filter((c) => !c.ok)));
  assert.equal(v.predicateMajor, 2);
  assert.deepEqual(v.notices, []);
  assert.equal(noticeFor(v2.envelope), null);
  const missing = verifyBundle(bundleOf(PREDICATE_TYPE, '2.0', {}), jwks);
  assert.equal(missing.checks.find((c) => c.id === 'schema')?.ok, false, 'a v2 statement without release and evidence is malformed');
  const v3 = verifyBundle(bundleOf(PREDICATE_TYPE.replace(/v2$/, 'v3'), '3.0', { release: null, evidence: null }), jwks);
  assert.match(v3.checks.find((c) => c.id === 'schema')!.detail, /version 3 is not supported/);
});
