import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { after, test } from 'node:test';
import { z } from 'zod';
import { emails, jobSteps } from '@/db/schema';
import { signUp } from '@/lib/auth/sign-up';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { readOutbox } from '@/lib/testing/outbox';
import { sendEmailJob } from '@/lib/mail/jobs';
import { defineJob, runnable } from './define-job';
import { enqueue } from './enqueue';
import { runStep } from './run-step';
import { startJobRunner } from './start-job-runner';
import { closeThreadPool } from './thread-pool';

setUpTestEnvironment();
after(() => closeThreadPool());

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeEachDriver('jobs', ({ handle, driver }) => {
  test('a recorded step runs once, however often the job is retried', async () => {
    let sideEffects = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await runStep('test.job:1', 'charge', async () => ({ n: ++sideEffects }));
      assert.deepEqual(r, { n: 1 });
    }
    assert.equal(sideEffects, 1);
    const rows = await handle().db.select().from(jobSteps).where(eq(jobSteps.jobKey, 'test.job:1'));
    assert.equal(rows.length, 1);
  });

  test('a payload that does not match the job schema is refused at enqueue', async () => {
    await assert.rejects(enqueue(sendEmailJob, { emailId: 'not-a-uuid' }), /validation|not valid/i);
  });

  test('the runner delivers mail; a failed job is retried and resumes after its finished steps; a job out of retries takes its failure path', async () => {
    const attempts: string[] = [];
    const flaky = defineJob({
      id: 'test.flaky',
      version: 1,
      schema: z.object({ n: z.number() }),
      key: (p) => `test.flaky:${p.n}`,
      retryLimit: 3,
      retryDelaySeconds: 1,
      handler: async (p, ctx) => {
        await ctx.step('first', async () => attempts.push('first'));
        const primes = await ctx.threads.run<number>('selftest.count-primes', { n: p.n });
        if (attempts.filter((a) => a === 'second').length === 0) {
          attempts.push('second');
          throw new Error('transient failure');
        }
        attempts.push(`done:${primes}`);
      },
    });
    const exhausted: { n: number; code: string }[] = [];
    const doomed = defineJob({
      id: 'test.doomed',
      version: 1,
      schema: z.object({ n: z.number() }),
      key: (p) => `test.doomed:${p.n}`,
      retryLimit: 1,
      retryDelaySeconds: 1,
      handler: async () => {
        attempts.push('doomed');
        throw new Error('never works');
      },
      onExhausted: async (p, error) => void exhausted.push({ n: p.n, code: error.code }),
    });
    await startJobRunner({ jobs: [runnable(sendEmailJob), runnable(flaky), runnable(doomed)], pollingIntervalSeconds: 0.5 });
    const email = `runner-${driver}@example.test`;
    await signUp({ kind: 'individual', name: 'Run', email, password: 'a long password' }, { ip: '192.0.2.1' });
    await waitFor('the verification mail', async () => readOutbox(email).length > 0);
    const [row] = await handle().db.select().from(emails).where(eq(emails.to, email));
    assert.equal(row.status, 'sent');
    await enqueue(flaky, { n: 100 });
    await waitFor('the flaky job to finish', async () => attempts.includes('done:25'));
    assert.deepEqual(attempts, ['first', 'second', 'done:25']);
    await enqueue(doomed, { n: 7 });
    await waitFor('the failure path of a job whose retries ran out', async () => exhausted.length > 0);
    assert.deepEqual(exhausted, [{ n: 7, code: 'job_failed' }]);
    assert.equal(attempts.filter((a) => a === 'doomed').length, 2, 'the first attempt and one retry');
  });
});
