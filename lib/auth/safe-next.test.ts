import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from './safe-next';

test('sign-in sends only to same-site paths a Location header can carry', () => {
  assert.equal(safeNext('/me/requests/1?tab=a#x'), '/me/requests/1?tab=a#x');
  assert.equal(safeNext('/compliance/audit?from=2026-01-01&to=2026-02-01'), '/compliance/audit?from=2026-01-01&to=2026-02-01');
  for (const bad of [
    undefined,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '/a\nLocation: x',
    '/a\r\nb',
    '/a\u0000',
    '/é',
    `/${'a'.repeat(2001)}`,
  ]) {
    assert.equal(safeNext(bad), '/home', JSON.stringify(bad));
  }
});
