import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resetEnvForTests } from '@/lib/config/env';
import { log } from './logger';

test('an error is logged with its plain fields, never with the objects hung on it (a pg client and its secret key)', (t) => {
  process.env.FORGETME_LOG_LEVEL = 'warn';
  resetEnvForTests();
  const lines: string[] = [];
  t.mock.method(console, 'error', (line: string) => lines.push(line));
  const err = Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
    severity: 'FATAL',
    client: { connectionParameters: { user: 'postgres', password: 'hunter2' }, secretKey: 1731220354 },
  });
  log.error('job queue error', { error: err });
  assert.equal(lines.length, 1);
  const { error } = JSON.parse(lines[0]);
  assert.equal(error.message, 'terminating connection due to administrator command');
  assert.equal(error.code, '57P01');
  assert.equal(error.severity, 'FATAL');
  assert.equal(error.client, undefined);
  assert.ok(!lines[0].includes('hunter2') && !lines[0].includes('1731220354'));
});
