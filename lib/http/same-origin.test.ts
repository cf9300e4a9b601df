import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@/lib/errors/app-error';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { env } from '@/lib/config/env';
import { assertSameOrigin } from './same-origin';

setUpTestEnvironment();

const req = (method: string, headers: Record<string, string>) => new Request('http://localhost:3000/api/x', { method, headers });
const refused = (e: unknown) => e instanceof AppError && e.code === 'forbidden';

test('reads pass; writes pass only from forgetme itself', () => {
  const own = new URL(env().publicUrl).origin;
  assert.doesNotThrow(() => assertSameOrigin(req('GET', { 'sec-fetch-site': 'cross-site' })));
  assert.doesNotThrow(() => assertSameOrigin(req('POST', { 'sec-fetch-site': 'same-origin' })));
  assert.doesNotThrow(() => assertSameOrigin(req('DELETE', { origin: own })));
  assert.doesNotThrow(() => assertSameOrigin(req('PATCH', { origin: 'http://localhost:3000', host: 'localhost:3000' })));
});

test('a cross-site, same-site or origin-less write is refused', () => {
  assert.throws(() => assertSameOrigin(req('POST', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })), refused);
  assert.throws(() => assertSameOrigin(req('POST', { 'sec-fetch-site': 'same-site' })), refused);
  // Sec-Fetch-Site wins over a matching Origin (a browser that sends both told the truth in the former).
  assert.throws(() => assertSameOrigin(req('POST', { 'sec-fetch-site': 'cross-site', origin: new URL(env().publicUrl).origin })), refused);
  assert.throws(() => assertSameOrigin(req('POST', { origin: 'https://evil.example', host: 'localhost:3000' })), refused);
  assert.throws(() => assertSameOrigin(req('POST', { origin: 'null' })), refused);
  assert.throws(() => assertSameOrigin(req('PUT', {})), refused);
});
