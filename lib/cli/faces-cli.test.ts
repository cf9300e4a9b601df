import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const bin = path.resolve('lib/cli/forgetme.mjs');
const fixtures = path.resolve('lib/faces/fixtures');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-faces-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

test('faces embed prints one JSON line per image, in order, with coded errors', () => {
  const junk = path.join(dir, 'junk.jpg');
  fs.writeFileSync(junk, 'not really a jpeg');
  const r = spawnSync(process.execPath, [bin, 'faces', 'embed', path.join(fixtures, 'Adrien_Brody_0001.jpg'), junk, path.join(fixtures, 'group-bbt3.jpg')], {
    encoding: 'utf8',
    env: { ...process.env, FORGETME_DATA_DIR: dir, FORGETME_WORKER_THREADS: '2', FORGETME_LOG_LEVEL: 'error' },
    timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.equal(lines[0].faces.length, 1);
  assert.equal(lines[0].faces[0].descriptor.length, 128);
  assert.equal(lines[0].faces[0].box.length, 4);
  assert.deepEqual(lines[1], { path: junk, error: { code: 'unsupported_type', message: 'This is not a JPEG, PNG or WebP image.' } });
  assert.ok(lines[2].faces.length >= 3);
});
