import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

// A worker thread lowers its own priority; the thread that serves pages keeps its own (Linux: per thread).
// Skipped where the test process already runs near the lowest priority (nothing to lower to).
const start = os.getPriority();
test('a job thread lowers its own priority, not the web thread’s', { skip: process.platform !== 'linux' || start > 16 }, async () => {
  const before = start;
  const code = `
    const { parentPort } = require('node:worker_threads');
    const os = require('node:os');
    import('tsx/esm/api').then(async ({ register }) => {
      register();
      const { lowerPriorityTo } = await import(${JSON.stringify(new URL('./job-priority.ts', import.meta.url).href)});
      lowerPriorityTo(${before + 3});
      const first = os.getPriority();
      lowerPriorityTo(${before + 1}); // never raised back: a lower value is ignored
      parentPort.postMessage([first, os.getPriority()]);
    });`;
  const w = new Worker(code, { eval: true });
  const [first, second] = await new Promise<number[]>((resolve, reject) => w.once('message', resolve).once('error', reject));
  await w.terminate();
  assert.deepEqual([first, second], [before + 3, before + 3]);
  assert.equal(os.getPriority(), before);
});
