import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { models, removalRequests, removalTasks, type RemovalRequest } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { defineJob } from '@/lib/jobs/define-job';
import { enqueue } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log/logger';
import { certifyJob } from './certify-job';
import { IDLE_DAYS } from './consent';
import { failRequest } from './fail-request';
import { AWAITING_RELEASE_FAIL_MS, DEADLINES, moveRequest, OPEN_TASKS, SETTLED, type RequestStatus } from './lifecycle';
import { expireWatches } from './match-watch';
import { matchJob } from './matching';
import { purgeRequestData } from './retention';
import { unlearnJob } from './unlearn-job';

export type SweepReport = { withdrawn: number; failed: number; nudged: number; purged: number; watchesExpired: number };

const IDLE_MS = IDLE_DAYS * 86400_000;

/**
 * The backstop of the request lifecycle, run every five minutes: every request past its state's
 * deadline (lifecycle.ts, DEADLINES) is moved on. Before submission, an idle request is withdrawn;
 * a search or a removal that has not moved is re-queued (`nudge`), and ended as failed past its
 * last deadline (a request that waits only for models still training, for as long as a training
 * may live: AWAITING_RELEASE_FAIL_MS). Whatever the state, a settled request, or one idle for IDLE_DAYS, keeps no
 * biometric data. A crash anywhere (between a state change and its purge, say) is repaired here.
 */
export async function sweepRequests(now = new Date()): Promise<SweepReport> {
  const db = await getDb();
  const report: SweepReport = { withdrawn: 0, failed: 0, nudged: 0, purged: 0, watchesExpired: 0 };
  const before = (ms: number) => sql`${new Date(now.getTime() - ms).toISOString()}::timestamptz`;
  const open = (status: RequestStatus, ms: number) =>
    db
      .select()
      .from(removalRequests)
      .where(and(eq(removalRequests.status, status), lt(removalRequests.lastActivityAt, before(ms))));

  for (const status of ['draft', 'review'] as const) {
    for (const r of await open(status, DEADLINES[status].failMs!)) {
      const done = await db.transaction(async (tx) => {
        const row = await moveRequest(tx, r.id, 'withdrawn', { withdrawnAt: now }, [status]);
        if (row)
          await recordAuditEvent(tx, {
            actor: { type: 'system' },
            event: { action: 'request.withdrawn', subject: { type: 'removal_request', id: r.id }, data: {} },
          });
        return !!row;
      });
      if (done) report.withdrawn++;
    }
  }
  for (const status of ['matching', 'submitted', 'processing'] as const) {
    const { nudgeMs, failMs } = DEADLINES[status];
    for (const r of await open(status, nudgeMs!)) {
      const idleMs = now.getTime() - r.lastActivityAt.getTime();
      if (idleMs > failMs! && (idleMs > AWAITING_RELEASE_FAIL_MS || !(await waitsForTraining(r.id)))) {
        await failRequest(r.id, await deadlineFailure(r));
        report.failed++;
      } else {
        report.nudged += await nudge(r);
      }
    }
  }
  // Retention, whatever the state: settled, or idle for IDLE_DAYS, and still holding data.
  const unpurged = await db
    .select({ id: removalRequests.id, status: removalRequests.status })
    .from(removalRequests)
    .where(and(isNull(removalRequests.purgedAt), or(inArray(removalRequests.status, [...SETTLED]), lt(removalRequests.lastActivityAt, before(IDLE_MS)))));
  for (const r of unpurged) {
    await purgeRequestData(
      r.id,
      r.status === 'completed' ? 'completed' : r.status === 'withdrawn' ? 'withdrawn' : SETTLED.includes(r.status) ? 'failed' : 'idle',
    );
    report.purged++;
  }
  // A "tell me later" consent ends on its date, whatever its request's state.
  report.watchesExpired = await expireWatches(now);
  if (report.withdrawn + report.failed + report.nudged + report.purged + report.watchesExpired) log.info('removal sweep', report);
  return report;
}

/** Re-queues the job that moves this request on (each queue keeps one job per request or model). */
async function nudge(r: RemovalRequest): Promise<number> {
  const db = await getDb();
  if (r.status === 'matching') return (await enqueue(matchJob, { requestId: r.id })) ? 1 : 0;
  const tasks = await db
    .select()
    .from(removalTasks)
    .where(and(eq(removalTasks.requestId, r.id), inArray(removalTasks.status, [...OPEN_TASKS])));
  let sent = 0;
  // A task awaiting a first release moves with its model's training, which the training sweep
  // keeps going or fails (lib/models/training-sweep.ts: never again after a job that died with its
  // worker); either way the task is completed or dropped. Nothing to send for it here.
  const unlearning = tasks.filter((t) => t.status !== 'awaiting_release');
  for (const modelId of new Set(unlearning.map((t) => t.modelId))) if (await enqueue(unlearnJob, { modelId })) sent++;
  if (!tasks.length && (await enqueue(certifyJob, { requestId: r.id }))) sent++;
  if (sent) {
    const data = { status: r.status, jobs: sent };
    await recordAuditEvent(db, { actor: { type: 'system' }, event: { action: 'request.nudged', subject: { type: 'removal_request', id: r.id }, data } });
  }
  return sent;
}

/** Whether every open task of the request waits for the first release of a model that is still training. */
async function waitsForTraining(requestId: string): Promise<boolean> {
  const db = await getDb();
  const open = await db
    .select({ status: removalTasks.status, model: models.status })
    .from(removalTasks)
    .innerJoin(models, eq(models.id, removalTasks.modelId))
    .where(and(eq(removalTasks.requestId, requestId), inArray(removalTasks.status, [...OPEN_TASKS])));
  return open.length > 0 && open.every((t) => t.status === 'awaiting_release' && t.model === 'training');
}

async function deadlineFailure(r: RemovalRequest) {
  const db = await getDb();
  const hours = Math.round(DEADLINES[r.status].failMs! / 3600_000);
  const message = `Nothing moved this request on for ${hours} hour(s) despite retries.`;
  if (r.status === 'matching') return { stage: 'matching' as const, code: 'deadline', message };
  const [openTask] = await db
    .select({ id: removalTasks.id })
    .from(removalTasks)
    .where(and(eq(removalTasks.requestId, r.id), inArray(removalTasks.status, [...OPEN_TASKS])))
    .limit(1);
  return { stage: openTask ? ('unlearning' as const) : ('certification' as const), code: 'deadline', message };
}

export const sweepRequestsJob = defineJob({
  id: 'removals.sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'removals.sweep',
  policy: 'exclusive',
  cron: '*/5 * * * *',
  expireInSeconds: 30 * 60,
  handler: async () => void (await sweepRequests()),
});
