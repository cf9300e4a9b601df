import { and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { removalTasks, type RemovalTask } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { enqueue } from '@/lib/jobs/enqueue';
import { certifyJob } from './certify-job';
import { moveTasks } from './lifecycle';

/**
 * Requests submitted while a model trains. Training read its set's live items when it started and
 * releases version 1 minutes or hours later; a request submitted in between removes its items from
 * the set, and the release takes them out of the fitted head first (lib/models/removed-while-training.ts).
 * The request gets a task for that model in the state `awaiting_release`, which the release
 * completes in its own transaction: the person's certificate then names the version and says how
 * many of their photos the training had read. The request waits for it (its certification runs
 * when no task is open). A model whose training fails releases nothing, and its waiting tasks are
 * dropped, so that their requests are certified without it.
 */

/** The tasks waiting for this model's first release, each with how many of its items the fitted head trained on. */
export async function awaitingTasks(tx: Executor, modelId: string, fittedIds: ReadonlySet<string>) {
  const rows = await tx
    .select()
    .from(removalTasks)
    .where(and(eq(removalTasks.modelId, modelId), eq(removalTasks.status, 'awaiting_release')));
  return rows.map((t) => ({ task: t, trainedOn: t.itemIds.filter((id) => fittedIds.has(id)).length }));
}

/** Completes the waiting tasks with the released version and queues their requests' certification (call prepareJobs(certifyJob) first). */
export async function completeAwaitingTasks(tx: Executor, tasks: { task: RemovalTask }[], versionId: string): Promise<void> {
  const moved = await moveTasks(
    tx,
    tasks.map((t) => t.task.id),
    'certified',
    { toVersionId: versionId },
  );
  for (const requestId of new Set(moved.map((t) => t.requestId))) await enqueue(certifyJob, { requestId }, { tx });
}

/**
 * A model that will release nothing (its training failed): its waiting tasks are deleted, each
 * request's audit trail says so, and their requests are certified without it (call
 * prepareJobs(certifyJob) first). The items stay removed from the set.
 */
export async function dropAwaitingTasks(tx: Executor, modelId: string, reason: string): Promise<void> {
  const dropped = await tx
    .delete(removalTasks)
    .where(and(eq(removalTasks.modelId, modelId), eq(removalTasks.status, 'awaiting_release')))
    .returning();
  for (const t of dropped) {
    const event = { action: 'request.model_dropped', subject: { type: 'removal_request', id: t.requestId }, data: { modelId, reason } } as const;
    await recordAuditEvent(tx, { actor: { type: 'system' }, event });
    await enqueue(certifyJob, { requestId: t.requestId }, { tx });
  }
}
