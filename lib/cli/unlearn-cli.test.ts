import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { syntheticFaces } from '@/lib/unlearning/synthetic';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-unlearn-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const bin = path.resolve('lib/cli/forgetme.mjs');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORGETME_DATA_DIR: dir, FORGETME_LOG_LEVEL: 'error' },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const s = syntheticFaces({ identities: 6, perIdentity: 6, d: 16, spread: 0.7 });
const features = path.join(dir, 'features.jsonl');
fs.writeFileSync(
  features,
  s.ids.map((id, i) => JSON.stringify({ id, label: s.labels[i], x: Array.from(s.x.subarray(i * 16, (i + 1) * 16)) })).join('\n') + '\n',
);
fs.writeFileSync(path.join(dir, 'center.json'), JSON.stringify(Array.from(s.centre)));

test('train, remove an identity, evaluate and predict through the CLI', () => {
  const train = cli('unlearn', 'train', '--features', features, '--out', path.join(dir, 'v1'), '--lambda', '0.001', '--center', path.join(dir, 'center.json'));
  assert.equal(train.code, 0, train.err);
  assert.equal(JSON.parse(train.out).classes, 6);
  const ids = path.join(dir, 'ids.txt');
  fs.writeFileSync(ids, '# person-2\n' + s.ids.filter((_, i) => s.labels[i] === 'person-2').join('\n') + '\n');
  const remove = cli('unlearn', 'remove', '--model', path.join(dir, 'v1'), '--ids', ids, '--out', path.join(dir, 'v2'));
  assert.equal(remove.code, 0, remove.err);
  const report = JSON.parse(remove.out);
  assert.deepEqual(report.classesDropped, ['person-2']);
  assert.ok(report.residual <= report.budget);
  assert.equal(report.parentSha256, JSON.parse(train.out).weightsSha256);
  const evaluation = JSON.parse(cli('unlearn', 'eval', '--model', path.join(dir, 'v2'), '--features', features).out);
  assert.equal(evaluation.unknownLabel, 6);
  assert.ok(evaluation.accuracy > 0.9);
  const lines = cli('unlearn', 'predict', '--model', path.join(dir, 'v2'), '--features', features)
    .out.trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, s.ids.length);
  assert.ok(lines.every((l) => l.label !== 'person-2' && l.score > 0 && l.score < 1));
  const again = cli('unlearn', 'remove', '--model', path.join(dir, 'v2'), '--ids', ids, '--out', path.join(dir, 'v3'));
  assert.equal(again.code, 2);
  assert.match(again.err, /unknown_ids/);
});

test('a SISA model trains, removes exactly (epsilon 0) and predicts through the CLI', () => {
  const train = cli('unlearn', 'train', '--features', features, '--out', path.join(dir, 's1'), '--kind', 'sisa', '--shards', '2', '--lambda', '0.001');
  assert.equal(train.code, 0, train.err);
  const ids = path.join(dir, 'one.txt');
  fs.writeFileSync(ids, `${s.ids[3]}\n`);
  const remove = cli('unlearn', 'remove', '--model', path.join(dir, 's1'), '--ids', ids, '--out', path.join(dir, 's2'));
  assert.equal(remove.code, 0, remove.err);
  const report = JSON.parse(remove.out);
  assert.deepEqual([report.method, report.epsilon, report.shardsRetrained], ['sisa', 0, 1]);
  const evaluation = JSON.parse(cli('unlearn', 'eval', '--model', path.join(dir, 's2'), '--features', features).out);
  assert.ok(evaluation.accuracy > 0.9);
  assert.match(cli('unlearn', 'train', '--features', features, '--out', path.join(dir, 'x'), '--kind', 'magic').err, /--kind must be newton-certified or sisa/);
});

test('bad inputs exit 2 with a reason naming the problem', () => {
  const bad = path.join(dir, 'bad.jsonl');
  fs.writeFileSync(bad, '{"id":"a","label":"x","x":[1,2]}\n{"id":"b","label":"y","x":[1]}\n');
  const r = cli('unlearn', 'train', '--features', bad, '--out', path.join(dir, 'bad'));
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.jsonl:2: expected 2 numbers/);
  fs.writeFileSync(bad, '{"id":"a","label":"x","x":[1,2]}\nnot json\n');
  assert.match(cli('unlearn', 'train', '--features', bad, '--out', path.join(dir, 'bad')).err, /bad\.jsonl:2: not valid JSON/);
  assert.match(cli('unlearn', 'train', '--out', path.join(dir, 'bad')).err, /--features is required/);
  assert.match(cli('unlearn', 'train', '--features', features, '--out', path.join(dir, 'bad'), '--sigma', 'lots').err, /--sigma must be a number/);
  fs.appendFileSync(path.join(dir, 'v1', 'weights.f64'), Buffer.alloc(8));
  const corrupt = cli('unlearn', 'eval', '--model', path.join(dir, 'v1'), '--features', features);
  assert.equal(corrupt.code, 2);
  assert.match(corrupt.err, /model_corrupt: weights\.f64/);
});
