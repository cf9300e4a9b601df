import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hugePages } from './huge-pages';

test('huge pages are reported as requested only when glibc is told to use them', () => {
  const requested = (tunables?: string) => hugePages(tunables).requested;
  assert.equal(requested('glibc.malloc.hugetlb=1'), true);
  assert.equal(requested('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2'), true);
  assert.equal(requested('glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2'), true);
  assert.equal(requested('glibc.malloc.hugetlb=0'), false);
  assert.equal(requested('glibc.malloc.hugetlb=10'), false);
  assert.equal(requested('xglibc.malloc.hugetlb=1'), false);
  assert.equal(requested(undefined), false);
  const { kernel } = hugePages(undefined);
  assert.ok(kernel === null || ['always', 'madvise', 'never'].includes(kernel), `kernel mode ${kernel}`);
});
