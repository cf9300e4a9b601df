import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { exampleBundle, exampleJwks } from '@/lib/testing/example-bundle';
import { exampleModelEntry } from '@/lib/testing/example-predicate';
import { PREDICATE_TYPE } from './predicate';
import { verdictOf } from './verdict';
import { verifyBundle, type Jwk } from './verify-bundle';

const genuine = () => exampleBundle(PREDICATE_TYPE, '2.0', { release: null, evidence: null });

test('a genuine certificate: the verdict says so, and what the certificate states', () => {
  const b = genuine();
  const v = verdictOf(verifyBundle(b, exampleJwks));
  assert.equal(v.ok, true);
  assert.equal(v.headline, 'Genuine: every check passed');
  const samples = JSON.parse(Buffer.from(b.envelope.payload, 'base64').toString('utf8')).predicate.models[0].samplesRemoved as number;
  assert.match(v.summary, new RegExp(`^It says that O removed ${samples} photos? from 1 model for request r, on \\d{4}-\\d{2}-\\d{2} \\(certificate c\\)\\.`));
  assert.match(v.summary, /Checked offline/, 'without the log as it is now, the verdict says what was not checked');
});

test('a certificate of another platform: not verified, and the reason in plain words, without repeating its unverified claims', () => {
  const other = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Jwk;
  const v = verdictOf(verifyBundle(genuine(), { keys: [{ ...other, kid: 'elsewhere' }] }));
  assert.equal(v.ok, false);
  assert.equal(v.headline, 'Not verified: do not rely on this certificate');
  assert.match(v.summary, /^3 checks of 6 failed: signature, key valid when issued, signed tree head\./);
  assert.match(v.summary, /may come from another platform/);
  assert.doesNotMatch(v.summary, /It says that/);
});

test('an altered certificate and a file that is not one', () => {
  const b = genuine();
  const altered = { ...b, envelope: { ...b.envelope, payload: Buffer.from('{"changed":true}').toString('base64') } };
  const v = verdictOf(verifyBundle(altered, exampleJwks));
  assert.equal(v.ok, false);
  assert.match(v.summary, /signature/);
  assert.doesNotMatch(v.summary, /another platform/);
  const notOne = verdictOf(verifyBundle({ hello: 'world' }, exampleJwks));
  assert.deepEqual([notOne.ok, notOne.headline], [false, 'Not a certificate']);
});

test('a model released for the first time after the request (predicate 2.5): counted, and its weights must be a subject', () => {
  const sha = crypto.randomBytes(32).toString('hex');
  const firstRelease = {
    modelId: 'm2',
    modelName: 'Trained meanwhile',
    features: { source: 'forgetme', name: 'faceapi', version: '1', dimension: 128, trainingData: 'public photos' },
    version: 1,
    weightsSha256: sha,
    photosTrainedOn: 3,
    method: 'newton-certified',
    guarantee: exampleModelEntry(sha).guarantee,
    accuracy: 0.9,
  };
  const named = exampleBundle(PREDICATE_TYPE, '2.5', { release: null, evidence: null }, { predicate: { firstReleases: [firstRelease] }, subjects: [sha] });
  const v = verifyBundle(named, exampleJwks);
  assert.equal(v.ok, true, JSON.stringify(v.checks));
  assert.equal(v.predicate!.firstReleases![0].photosTrainedOn, 3);
  const samples = v.predicate!.models[0].samplesRemoved;
  assert.match(verdictOf(v).summary, new RegExp(`removed ${samples + 3} photos from 2 models`));
  assert.match(v.checks.find((c) => c.id === 'schema')!.detail, /2 model\(s\)/);

  const unnamed = exampleBundle(PREDICATE_TYPE, '2.5', { release: null, evidence: null }, { predicate: { firstReleases: [firstRelease] } });
  const schema = verifyBundle(unnamed, exampleJwks).checks.find((c) => c.id === 'schema')!;
  assert.equal(schema.ok, false);
  assert.match(schema.detail, /do not name the new weights of Trained meanwhile/);
});
