// A class worker thread: TypeScript through tsx, then per-class training and removal tasks on shared arrays.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { CLASS_TASKS } = await import('./class-tasks.ts');
const { lowerPriorityTo } = await import('../jobs/job-priority.ts');
// Job computation yields the CPU to the web tier (lib/jobs/job-priority.ts).
lowerPriorityTo(workerData.nice);

parentPort.on('message', ({ id, task, input, items }) => {
  try {
    parentPort.postMessage({ id, ok: true, result: CLASS_TASKS[task](input, items) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: err?.message ?? String(err) });
  }
});
