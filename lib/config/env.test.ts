import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvError, parseEnv } from './env';

test('defaults describe the embedded setup', () => {
  const e = parseEnv({});
  assert.equal(e.embedded, true);
  assert.equal(e.seedDemo, true);
  assert.equal(e.runJobsInProcess, true);
  assert.match(e.dataDir, /data$/);
});

test('DATABASE_URL switches to scale-out, where jobs run in workers', () => {
  const e = parseEnv({ DATABASE_URL: 'postgres://localhost/forgetme' });
  assert.equal(e.embedded, false);
  assert.equal(e.runJobsInProcess, false);
  assert.equal(e.seedDemo, false);
});

test('each bad value is named in the error', () => {
  assert.throws(
    () => parseEnv({ DATABASE_URL: 'mysql://x', FORGETME_DATA_KEY: 'c2hvcnQ=', FORGETME_SEED_DEMO: 'maybe', FORGETME_WORKER_THREADS: '0' }),
    (err: unknown) => {
      assert.ok(err instanceof EnvError);
      for (const name of ['DATABASE_URL', 'FORGETME_DATA_KEY', 'FORGETME_SEED_DEMO', 'FORGETME_WORKER_THREADS']) {
        assert.match(err.message, new RegExp(name));
      }
      return true;
    },
  );
});

test('blank variables count as unset', () => {
  assert.equal(parseEnv({ DATABASE_URL: '' }).embedded, true);
});

test('the public URL follows PORT unless FORGETME_PUBLIC_URL is set', () => {
  assert.equal(parseEnv({}).publicUrl, 'http://localhost:3000');
  assert.equal(parseEnv({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
  assert.equal(parseEnv({ PORT: '8080', FORGETME_PUBLIC_URL: 'https://forget.example/' }).publicUrl, 'https://forget.example');
  assert.throws(() => parseEnv({ PORT: '70000' }), /PORT: must be a port number/);
  assert.throws(() => parseEnv({ PORT: 'NaN' }), /PORT: must be a port number/);
});
