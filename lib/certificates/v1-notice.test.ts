import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { envelopeLeafHash } from './bundle';
import { signEnvelope } from './dsse';
import { PAYLOAD_TYPE, PREDICATE_TYPE, PREDICATE_TYPE_V1, STATEMENT_TYPE, V1_NOTICE, noticeFor } from './predicate';
import { signTreeHead } from './tree-head';
import { verifyBundle, type Jwk } from './verify-bundle';
import { exampleModelEntry } from '@/lib/testing/example-predicate';

const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
const key = { kid: 'k1', privateKey };
const jwks = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as Jwk), kid: 'k1' }] };
const hex = () => crypto.randomBytes(32).toString('hex');

/** A complete one-leaf bundle for a statement of the given predicate type. */
function bundleOf(predicateType: string, version: string, extra: Record<string, unknown>) {
  const weights = hex();
  // Version 1 had neither `release` nor `evidence`; `extra` adds what a test wants.
  const { release: _r, evidence: _e, ...v1 } = exampleModelEntry(weights);
  const model = { ...v1, ...extra };
  const predicate = {
    version,
    certificateId: 'c',
    requestId: 'r',
    organization: { id: 'o', name: 'O' },
    issuedAt: new Date().toISOString(),
    datasets: [],
    models: [model],
    scope: 's',
    software: 't',
  };
  const statement = { _type: STATEMENT_TYPE, subject: [{ name: 'model', digest: { sha256: weights } }], predicateType, predicate };
  const envelope = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key);
  const treeHead = signTreeHead({ size: 1, rootHash: envelopeLeafHash(envelope).toString('hex'), timestamp: new Date().toISOString() }, key);
  return { mediaType: 'application/vnd.forgetme.certificate.v1+json' as const, envelope, inclusionProof: { leafIndex: 0, treeSize: 1, hashes: [] }, treeHead };
}

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
