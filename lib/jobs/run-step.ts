import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { jobSteps } from '@/db/schema';

/**
 * Runs `fn` unless (jobKey, step) is recorded as finished, then records its result. A crash
 * between the side effect and the record repeats the step once more, so each step must itself
 * be safe to repeat (unique constraints, upserts, status checks); the record makes the common
 * case, a retry after a later step failed, skip the finished work.
 */
export async function runStep<T>(jobKey: string, step: string, fn: () => Promise<T>): Promise<T> {
  const db = await getDb();
  const [done] = await db
    .select({ result: jobSteps.result })
    .from(jobSteps)
    .where(and(eq(jobSteps.jobKey, jobKey), eq(jobSteps.step, step)));
  if (done) return done.result as T;
  const result = await fn();
  await db
    .insert(jobSteps)
    .values({ jobKey, step, result: (result ?? null) as object })
    .onConflictDoNothing();
  return result;
}
