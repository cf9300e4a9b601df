import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { AppError } from '@/lib/errors/app-error';
import { open, seal } from './aead';

const key = crypto.randomBytes(32);
const plain = Buffer.from('a 128-d face descriptor, say');

test('seal then open returns the plaintext, and ciphertexts differ each time', () => {
  const a = seal(plain, key, 'ref:1');
  const b = seal(plain, key, 'ref:1');
  assert.notDeepEqual(a, b);
  assert.deepEqual(open(a, key, 'ref:1'), plain);
});

test('a flipped byte, another context or another key is refused with decryption_failed', () => {
  const sealed = seal(plain, key, 'ref:1');
  const flipped = Buffer.from(sealed);
  flipped[flipped.length - 20] ^= 1;
  for (const attempt of [
    () => open(flipped, key, 'ref:1'),
    () => open(sealed, key, 'ref:2'),
    () => open(sealed, crypto.randomBytes(32), 'ref:1'),
    () => open(sealed.subarray(0, 10), key),
  ]) {
    assert.throws(attempt, (e: unknown) => e instanceof AppError && e.code === 'decryption_failed');
  }
});

test('a key of the wrong size is an argument error', () => {
  assert.throws(() => seal(plain, crypto.randomBytes(16)), /32 bytes, got 16/);
});
