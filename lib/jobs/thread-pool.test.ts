import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ThreadPool } from './thread-pool';

const pool = new ThreadPool(2);
after(() => pool.close());

test('tasks run on worker threads and return their results', async () => {
  const results = await Promise.all([pool.run<number>('selftest.count-primes', { n: 100 }), pool.run<number>('selftest.count-primes', { n: 1000 })]);
  assert.deepEqual(results, [25, 168]);
});

test('the main event loop stays responsive while threads compute', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const work = Promise.all([pool.run('selftest.count-primes', { n: 3_000_000 }), pool.run('selftest.count-primes', { n: 3_000_000 })]);
  const counts = await work;
  clearInterval(timer);
  assert.deepEqual(counts, [216816, 216816]);
  assert.ok(ticks > 5, `timers kept firing during the work (${ticks} ticks)`);
});

test('a task error keeps its code; an unknown task is an error', async () => {
  await assert.rejects(
    pool.run('selftest.fail', { message: 'nope' }),
    (e: unknown) => (e as { code?: string }).code === 'bad_request' && /nope/.test((e as Error).message),
  );
  await assert.rejects(pool.run('no.such.task', {}), /unknown thread task/);
});

test('a thread that dies fails its task and is replaced', async () => {
  await assert.rejects(pool.run('selftest.crash', {}), /exited with code 3/);
  assert.equal(await pool.run('selftest.count-primes', { n: 10 }), 4);
  assert.equal(pool.size, 2);
});
