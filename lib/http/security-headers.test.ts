import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonSecurityHeaders, newNonce, pageCsp } from './security-headers';

test('the page policy needs the nonce for scripts and allows no inline script, framing, plugin or base change', () => {
  const csp = pageCsp('abc123==', false);
  const scripts = csp.split('; ').find((d) => d.startsWith('script-src'))!;
  assert.equal(scripts, "script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
  for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) assert.ok(csp.includes(d), d);
  assert.ok(!csp.includes('upgrade-insecure-requests'));
  assert.ok(pageCsp('n', true).includes('upgrade-insecure-requests'));
});

test('HSTS only over https; nosniff, DENY and no-referrer always', () => {
  assert.equal(commonSecurityHeaders(false)['strict-transport-security'], undefined);
  assert.match(commonSecurityHeaders(true)['strict-transport-security']!, /^max-age=31536000/);
  const h = commonSecurityHeaders(false);
  assert.equal(h['x-content-type-options'], 'nosniff');
  assert.equal(h['x-frame-options'], 'DENY');
  assert.equal(h['referrer-policy'], 'no-referrer');
});

test('nonces are 128 random bits, fresh each time', () => {
  const a = newNonce();
  assert.equal(Buffer.from(a, 'base64').length, 16);
  assert.notEqual(a, newNonce());
});
