import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '@/db/client';
import { PREDICATE_TYPE } from '@/lib/certificates/predicate';
import { exampleBundle, exampleJwks } from '@/lib/testing/example-bundle';
import { setUpTestEnvironment } from '@/lib/testing/test-env';

const { dataDir } = setUpTestEnvironment();
const bin = path.resolve('lib/cli/forgetme.mjs');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORGETME_DATA_DIR: dataDir, FORGETME_LOG_LEVEL: 'error', ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--help lists the commands; an unknown command is a usage error', () => {
  const help = cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /audit verify/);
  const bad = cli(['frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command "frobnicate"/);
});

test('an operator creates an auditor; the audit chain then verifies; bad input is exit 2 with the reason', () => {
  const created = cli(['users', 'create-auditor', '--email', 'Aud@Example.test', '--name', 'Aud']);
  assert.equal(created.code, 0, created.err);
  assert.equal(JSON.parse(created.out).email, 'aud@example.test');
  const again = cli(['users', 'create-auditor', '--email', 'aud@example.test', '--name', 'Aud']);
  assert.equal(again.code, 2);
  assert.match(again.err, /email_taken/);
  const invalid = cli(['users', 'create-auditor', '--email', 'nope', '--name', 'X']);
  assert.match(invalid.err, /email: must be a valid e-mail address/);
  const unknownFlag = cli(['audit', 'verify', '--frob']);
  assert.equal(unknownFlag.code, 2);
  const verified = cli(['audit', 'verify']);
  assert.equal(verified.code, 0, verified.err);
  assert.equal(JSON.parse(verified.out).ok, true);
  const integrity = cli(['integrity', 'check']);
  assert.equal(integrity.code, 0, integrity.err);
  const lines = integrity.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => [l.kind, l.ok]),
    [
      ['audit_chain', true],
      ['transparency_log', true],
    ],
  );
  assert.ok(lines[0].covered > 0, "the auditor's creation is in the chain");
});

test('a bad environment variable stops the command with its name', () => {
  const r = cli(['audit', 'verify'], { DATABASE_URL: 'mysql://nope' });
  assert.equal(r.code, 2);
  assert.match(r.err, /DATABASE_URL: must be a postgres/);
});

test('the embedded database refuses a second process while one holds it', async () => {
  const handle = await openDatabase({ driver: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  try {
    const r = cli(['audit', 'verify']);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`in use by process ${process.pid}`));
  } finally {
    await handle.close();
  }
  assert.equal(fs.existsSync(path.join(dataDir, 'pglite.lock')), false, 'the lock is released on close');
  assert.equal(cli(['audit', 'verify']).code, 0);
});

test('verify with no flag on a machine that runs no platform creates nothing and names the flags; with --jwks the verdict comes first', () => {
  const tmp = fs.mkdtempSync(path.join(dataDir, '..', 'verify-'));
  const file = path.join(tmp, 'certificate.json');
  fs.writeFileSync(file, JSON.stringify(exampleBundle(PREDICATE_TYPE, '2.0', { release: null, evidence: null })));
  const nowhere = path.join(tmp, 'no-platform');
  const r = cli(['verify', file], { FORGETME_DATA_DIR: nowhere, DATABASE_URL: '' });
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /runs no forgetme platform.*--url.*--jwks/s);
  assert.equal(fs.existsSync(nowhere), false, 'no database, key or folder was created');
  fs.writeFileSync(path.join(tmp, 'keys.json'), JSON.stringify(exampleJwks));
  const offline = cli(['verify', file, '--jwks', path.join(tmp, 'keys.json')], { FORGETME_DATA_DIR: nowhere });
  assert.equal(offline.code, 0, offline.out + offline.err);
  assert.match(offline.out.split('\n')[0], /^VERIFIED {2}Genuine: every check passed\. It says that O removed/);
  assert.equal(JSON.parse(offline.out.trim().split('\n').at(-1)!).ok, true);
  fs.writeFileSync(path.join(tmp, 'keys.json'), '{"not":"keys"}');
  const badKeys = cli(['verify', file, '--jwks', path.join(tmp, 'keys.json')], { FORGETME_DATA_DIR: nowhere });
  assert.equal(badKeys.code, 2);
  assert.match(badKeys.err, /is not a JWKS/);
  fs.rmSync(tmp, { recursive: true });
});

test('witness init writes a private state file once and prints its key; a bad log key or an existing file is exit 2', () => {
  const state = path.join(dataDir, 'witness.json');
  const logKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const args = ['witness', 'init', '--state', state, '--name', 'witness.test/w1', '--url', 'http://localhost:9'];
  const badKey = cli([...args, '--log-key', logKey.replace('c74f20a3', 'c74f20a4')]);
  assert.equal(badKey.code, 2);
  assert.match(badKey.err, /--log-key: the key ID does not match/);
  const made = cli([...args, '--log-key', logKey]);
  assert.equal(made.code, 0, made.err);
  assert.match(JSON.parse(made.out).vkey, /^witness\.test\/w1\+[0-9a-f]{8}\+B/, 'a cosigner key, type 0x04');
  assert.equal(fs.statSync(state).mode & 0o777, 0o600);
  const again = cli([...args, '--log-key', logKey]);
  assert.equal(again.code, 2);
  assert.match(again.err, /never overwritten/);
  const unreachable = cli(['witness', 'run', '--state', state]);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.err, /unavailable: .* cannot be reached .*nothing was cosigned/);
});
