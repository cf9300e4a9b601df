import os from 'node:os';
import { env } from '@/lib/config/env';

/**
 * Job computation yields the CPU to the web tier. Measured (bench/web-load.ts --background, 200
 * clients, on a 2-core machine): while 100,000 × 1,000 removals ran beside the server at equal
 * priority, the request page fell from 53 to 5 requests/s and all 200 of its clients timed out.
 * With the job threads at nice 19 it kept 62 of its quiet 76 requests/s, no errors, and the
 * removals went on at about the same pace (10 in four minutes; at nice 10 the page kept 38).
 *
 * On Linux a nice value belongs to a thread (setpriority on "process 0" is the calling thread) and
 * a new thread starts with its creator's, so `lowerThreadPriority()` at the start of a job-runner
 * process covers every thread it starts afterwards, and a worker thread calls it for itself. Where
 * raising the nice value is refused, the thread keeps its priority: slower pages, nothing lost.
 */
export function lowerThreadPriority(nice = env().jobNice): void {
  lowerPriorityTo(nice);
}

/** As lowerThreadPriority, with the value given (worker threads without the app's configuration). */
export function lowerPriorityTo(nice: number): void {
  try {
    if (os.getPriority() < nice) os.setPriority(nice);
  } catch {
    // Not permitted here: keep the current priority.
  }
}
