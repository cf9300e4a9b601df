import { and, count, eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates, removalTasks, type RequestFailure } from '@/db/schema';
import { prepareJobs, enqueue } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log/logger';
import { certifyJob } from './certify-job';
import { moveTasks, OPEN_TASKS } from './lifecycle';
import { finishSettlement, settleRequest } from './settle-request';

/**
 * Ends a request whose work cannot go on (its job's last retry failed, or the sweep's deadline
 * passed): its unfinished tasks fail with it, and it is `partially_failed` if some certificate was
 * already issued, otherwise `failed`. The person and the partners are told; the biometric data is
 * deleted. A request already settled is left as it is.
 */
export async function failRequest(requestId: string, failure: RequestFailure): Promise<void> {
  const db = await getDb();
  log.error('removal request failed', { requestId, stage: failure.stage, code: failure.code });
  const settled = await db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(removalTasks)
      .where(and(eq(removalTasks.requestId, requestId), inArray(removalTasks.status, [...OPEN_TASKS])));
    await moveTasks(
      tx,
      open.map((t) => t.id),
      'failed',
      { error: { code: failure.code, message: failure.message } },
    );
    const failed = await tx
      .select()
      .from(removalTasks)
      .where(and(eq(removalTasks.requestId, requestId), eq(removalTasks.status, 'failed')));
    const failedModels = new Map<string, string[]>();
    for (const t of failed) failedModels.set(t.organizationId, [...(failedModels.get(t.organizationId) ?? []), t.modelId]);
    if (failure.stage === 'certification') {
      // The models were updated; the partners still hear that this request's certificate failed.
      const all = await tx.select().from(removalTasks).where(eq(removalTasks.requestId, requestId));
      for (const t of all) if (!failedModels.has(t.organizationId)) failedModels.set(t.organizationId, []);
    }
    const [{ n }] = await tx.select({ n: count() }).from(certificates).where(eq(certificates.requestId, requestId));
    return settleRequest(tx, requestId, { status: n ? 'partially_failed' : 'failed', failure, issued: [], failedModels });
  });
  await finishSettlement(settled);
}

/**
 * The unlearning job of a model ran out of retries: every task of that model still open fails,
 * and each of their requests is settled by its certification job (which issues what it can).
 */
export async function failModelTasks(modelId: string, error: { code: string; message: string }): Promise<void> {
  const db = await getDb();
  await prepareJobs(certifyJob);
  await db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(removalTasks)
      .where(and(eq(removalTasks.modelId, modelId), inArray(removalTasks.status, ['pending', 'unlearning'])));
    const moved = await moveTasks(
      tx,
      open.map((t) => t.id),
      'failed',
      { error },
    );
    for (const requestId of new Set(moved.map((t) => t.requestId))) await enqueue(certifyJob, { requestId }, { tx });
  });
  log.error('removal from a model failed', { modelId, code: error.code });
}
