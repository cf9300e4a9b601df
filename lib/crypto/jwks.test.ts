import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactVerify, CompactSign, importJWK } from 'jose';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { getJwks } from './get-jwks';
import { getSigningKey, resetSigningKeyForTests } from './signing-key';

setUpTestEnvironment();

describeEachDriver('signing key and JWKS', () => {
  test('the JWKS publishes the current key, and a signature made with it verifies', async () => {
    resetSigningKeyForTests();
    const key = await getSigningKey();
    const jwks = await getJwks();
    assert.equal(jwks.keys.length, 1);
    const published = jwks.keys[0] as Record<string, string>;
    assert.equal(published.kid, key.kid);
    assert.equal(published.crv, 'Ed25519');
    assert.equal(published.d, undefined, 'never the private part');
    const jws = await new CompactSign(new TextEncoder().encode('hello')).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).sign(key.privateKey);
    const { payload } = await compactVerify(jws, await importJWK(published as never, 'EdDSA'));
    assert.equal(new TextDecoder().decode(payload), 'hello');
  });

  test('the same key is reused across restarts (generated once into the data directory)', async () => {
    const first = (await getSigningKey()).kid;
    resetSigningKeyForTests();
    assert.equal((await getSigningKey()).kid, first);
    assert.equal((await getJwks()).keys.length, 1);
  });
});
