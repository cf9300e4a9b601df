// Entry of each worker thread: TypeScript through tsx, then a loop over task messages.
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// The project's tsconfig (for the @/ paths), whatever the working directory.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { TASKS } = await import('./thread-tasks.ts');

parentPort.on('message', async ({ id, task, input }) => {
  const fn = TASKS[task];
  if (!fn) {
    parentPort.postMessage({ id, ok: false, error: { message: `unknown thread task "${task}"` } });
    return;
  }
  try {
    const { result, transfer = [] } = await fn(input);
    parentPort.postMessage({ id, ok: true, result }, transfer);
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: { code: err?.code, message: err?.message ?? String(err) } });
  }
});
