import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildInputsHash, STAMP, staleReason } from './build-inputs';

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-build-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('app/page.tsx', 'export default function Page() { return null; }\n');
  write('lib/a.ts', 'export const a = 1;\n');
  write('lib/a.test.ts', 'test\n');
  write('package.json', '{}\n');
  write('README.md', '# readme\n');
  write('bench/x.ts', 'x\n');
  return root;
}

test('the inputs hash follows the sources and the build configuration, not tests, benches or docs', () => {
  const root = project();
  const before = buildInputsHash(root);
  assert.match(before, /^[0-9a-f]{64}$/);
  assert.equal(buildInputsHash(root), before, 'deterministic');
  fs.writeFileSync(path.join(root, 'lib/a.test.ts'), 'changed\n');
  fs.writeFileSync(path.join(root, 'README.md'), 'changed\n');
  fs.writeFileSync(path.join(root, 'bench/x.ts'), 'changed\n');
  assert.equal(buildInputsHash(root), before);
  fs.writeFileSync(path.join(root, 'lib/a.ts'), 'export const a = 2;\n');
  assert.notEqual(buildInputsHash(root), before);
  const edited = buildInputsHash(root);
  fs.writeFileSync(path.join(root, 'lib/b.ts'), '');
  assert.notEqual(buildInputsHash(root), edited, 'a new empty file counts');
  fs.rmSync(path.join(root, 'lib/b.ts'));
  fs.renameSync(path.join(root, 'lib/a.ts'), path.join(root, 'lib/c.ts'));
  assert.notEqual(buildInputsHash(root), edited, 'a renamed file counts');
  fs.writeFileSync(path.join(root, 'package.json'), '{"x":1}\n');
  assert.notEqual(buildInputsHash(root), edited);
  fs.rmSync(root, { recursive: true });
});

test('a build is stale until npm start stamps a finished one, and again when a source changes', () => {
  const root = project();
  assert.equal(staleReason(root), 'no finished build yet');
  fs.mkdirSync(path.join(root, '.next'));
  fs.writeFileSync(path.join(root, '.next/BUILD_ID'), 'abc');
  assert.equal(staleReason(root), 'the last build was not made by npm start');
  fs.writeFileSync(path.join(root, STAMP), `${buildInputsHash(root)}\n`);
  assert.equal(staleReason(root), null);
  fs.writeFileSync(path.join(root, 'app/page.tsx'), 'export default function Page() { return 1; }\n');
  assert.equal(staleReason(root), 'the source changed since the last build');
  fs.rmSync(root, { recursive: true });
});
