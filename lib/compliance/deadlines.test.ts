import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlineFor } from './deadlines';

test("statutory deadlines: GDPR one calendar month (clamped to the month's end), CCPA 45 days, or configured days", () => {
  const d = (s: string) => new Date(`${s}T10:00:00.000Z`);
  assert.equal(deadlineFor(d('2026-01-15'), 'gdpr').toISOString().slice(0, 10), '2026-02-15');
  assert.equal(deadlineFor(d('2026-01-31'), 'gdpr').toISOString().slice(0, 10), '2026-02-28');
  assert.equal(deadlineFor(d('2028-01-31'), 'gdpr').toISOString().slice(0, 10), '2028-02-29');
  assert.equal(deadlineFor(d('2026-12-20'), 'gdpr').toISOString().slice(0, 10), '2027-01-20');
  assert.equal(deadlineFor(d('2026-11-27'), 'ccpa').toISOString().slice(0, 10), '2027-01-11');
  assert.equal(deadlineFor(d('2026-11-27'), 10).toISOString().slice(0, 10), '2026-12-07');
});
