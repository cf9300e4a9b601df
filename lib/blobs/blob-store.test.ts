import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { AppError } from '@/lib/errors/app-error';
import { blobPath, deleteBlob, getBlob, hasBlob, putBlob } from './blob-store';

setUpTestEnvironment();

test('a blob is keyed by its SHA-256 and reads back whole', async () => {
  const bytes = crypto.randomBytes(300_000);
  const ref = await putBlob(bytes);
  assert.equal(ref.sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
  assert.equal(ref.size, bytes.length);
  assert.deepEqual(await getBlob(ref.sha256), bytes);
  assert.equal(ref.created, true);
  assert.deepEqual(await putBlob(bytes), { ...ref, created: false }, 'storing again is a no-op, and says so');
});

test('streams are stored without buffering their whole content first', async () => {
  async function* parts() {
    for (let i = 0; i < 10; i++) yield Buffer.alloc(100_000, i);
  }
  const ref = await putBlob(parts());
  assert.equal(ref.size, 1_000_000);
  assert.equal((await getBlob(ref.sha256))[999_999], 9);
});

test('an altered file is reported as corrupt, a missing one as missing', async () => {
  const ref = await putBlob(Buffer.from('original'));
  fs.writeFileSync(blobPath(ref.sha256), 'tampered');
  await assert.rejects(getBlob(ref.sha256), (e: unknown) => e instanceof AppError && e.code === 'blob_corrupt');
  await deleteBlob(ref.sha256);
  assert.equal(await hasBlob(ref.sha256), false);
  await assert.rejects(getBlob(ref.sha256), (e: unknown) => e instanceof AppError && e.code === 'blob_missing');
});

test('a key that is not a digest is refused (no path traversal)', () => {
  assert.throws(
    () => blobPath('../../etc/passwd'),
    (e: unknown) => e instanceof AppError && e.code === 'bad_request',
  );
});

test('no temporary files are left behind', () => {
  const tmp = blobPath('0'.repeat(64)).replace(/\/00\/00\/0+$/, '/tmp');
  assert.deepEqual(fs.readdirSync(tmp), []);
});
