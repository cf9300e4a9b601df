import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { models, removalRequests, removalTasks } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { enqueue, prepareJobs } from '@/lib/jobs/enqueue';
import { certifyJob } from './certify-job';
import { dropAwaitingTasks } from './first-release-tasks';
import { moveRequest, moveTasks } from './lifecycle';
import { unlearnJob } from './unlearn-job';

/**
 * An operator's retry of a failed or partly failed request (`forgetme requests retry`): its failed
 * model tasks start again with fresh attempts, or, if only the certificates failed, the
 * certification runs again. A failed search cannot be retried: the person's reference photos were
 * deleted with it, so the person starts a new request.
 */
export async function retryRequest(requestId: string, by: string): Promise<{ stage: string; tasks: number }> {
  if (!z.uuid().safeParse(requestId).success) throw new AppError('not_found', `There is no request with the id "${requestId}".`);
  const db = await getDb();
  const [r] = await db.select().from(removalRequests).where(eq(removalRequests.id, requestId));
  if (!r) throw new AppError('not_found', `There is no request with the id "${requestId}".`);
  if (r.status !== 'failed' && r.status !== 'partially_failed')
    throw new AppError('conflict', `This request is ${r.status.replace('_', ' ')}; only a failed or partly failed request can be retried.`);
  if (!r.submittedAt) {
    throw new AppError(
      'conflict',
      "The search of this request failed, and the person's reference photos were deleted with it: the person has to start a new request.",
    );
  }
  await prepareJobs(unlearnJob, certifyJob);
  return db.transaction(async (tx) => {
    const failed = await tx
      .select()
      .from(removalTasks)
      .where(and(eq(removalTasks.requestId, requestId), eq(removalTasks.status, 'failed')));
    // A task failed while its model trained waits for that model's first release again, or is
    // dropped if the training failed since (first-release-tasks.ts); the others start again.
    const ofModels = failed.length
      ? await tx
          .select({ id: models.id, status: models.status })
          .from(models)
          .where(inArray(models.id, [...new Set(failed.map((t) => t.modelId))]))
      : [];
    const statusOf = new Map(ofModels.map((m) => [m.id, m.status]));
    const ids = (status: string) => failed.filter((t) => statusOf.get(t.modelId) === status).map((t) => t.id);
    const moved = await moveTasks(tx, ids('ready'), 'pending', { attempts: 0, error: null });
    const awaiting = await moveTasks(tx, [...ids('training'), ...ids('failed')], 'awaiting_release', { error: null });
    for (const modelId of new Set(awaiting.filter((t) => statusOf.get(t.modelId) === 'failed').map((t) => t.modelId)))
      await dropAwaitingTasks(tx, modelId, 'training_failed');
    if (!(await moveRequest(tx, requestId, 'processing', { error: null }, [r.status])))
      throw new AppError('conflict', 'This request changed while it was being retried; look again.');
    const waiting = awaiting.filter((t) => statusOf.get(t.modelId) === 'training').length;
    const stage = moved.length || waiting ? 'unlearning' : 'certification';
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      event: { action: 'request.retried', subject: { type: 'removal_request', id: requestId }, data: { by, tasks: moved.length + waiting, stage } },
    });
    for (const modelId of new Set(moved.map((t) => t.modelId))) await enqueue(unlearnJob, { modelId }, { tx });
    if (!moved.length && !waiting) await enqueue(certifyJob, { requestId }, { tx });
    return { stage, tasks: moved.length };
  });
}

/** Failed and partly failed requests, newest first, for operators: ids, stage and error, never personal data. */
export async function listFailedRequests(limit = 100) {
  const db = await getDb();
  return db
    .select({
      id: removalRequests.id,
      status: removalRequests.status,
      error: removalRequests.error,
      submittedAt: removalRequests.submittedAt,
      lastActivityAt: removalRequests.lastActivityAt,
    })
    .from(removalRequests)
    .where(inArray(removalRequests.status, ['failed', 'partially_failed']))
    .orderBy(desc(removalRequests.lastActivityAt))
    .limit(limit);
}
