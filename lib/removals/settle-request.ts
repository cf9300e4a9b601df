import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { users, type RequestFailure } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/config/env';
import { failpoint } from '@/lib/jobs/failpoint';
import { requestDelivery } from '@/lib/mail/jobs';
import { queueEmail } from '@/lib/mail/queue-email';
import { removalCompletedMail, removalFailedMail } from '@/lib/mail/templates';
import { deliverRecorded, recordEvent } from '@/lib/webhooks/emit-event';
import { moveRequest } from './lifecycle';
import { purgeRequestData } from './retention';

export type Settlement = {
  status: 'completed' | 'partially_failed' | 'failed';
  /** Why it failed, for the two failure outcomes. */
  failure: RequestFailure | null;
  /** Every certificate of the request; `fresh` ones are announced (`certificate.issued`), earlier ones were already. */
  issued: { organizationId: string; certificateId: string; fresh: boolean }[];
  /** Per partner organisation, the models whose removal failed (told by `removal.failed`). */
  failedModels: Map<string, string[]>;
};

type Settled = { requestId: string; emailId: string | null; deliveryIds: string[]; reason: 'completed' | 'failed' };

/**
 * Ends a request in one transaction: its final state, the audit event, the person's e-mail and
 * the partners' webhooks are written together or not at all. Returns null when another writer
 * settled it first. After commit, the caller hands the result to finishSettlement.
 */
export async function settleRequest(tx: Executor, requestId: string, s: Settlement): Promise<Settled | null> {
  const fields = s.status === 'completed' ? { completedAt: new Date(), error: null } : { error: s.failure };
  const r = await moveRequest(tx, requestId, s.status, fields);
  if (!r) return null;
  const failedTasks = [...s.failedModels.values()].flat().length;
  if (s.status === 'completed') {
    const data = { certificates: s.issued.length };
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      event: { action: 'request.completed', subject: { type: 'removal_request', id: requestId }, data },
    });
  } else {
    const f = s.failure ?? { stage: 'unlearning', code: 'failed', message: 'The removal failed.' };
    const data = { stage: f.stage, code: f.code, partial: s.status === 'partially_failed', certificates: s.issued.length, failedTasks };
    await recordAuditEvent(tx, { actor: { type: 'system' }, event: { action: 'request.failed', subject: { type: 'removal_request', id: requestId }, data } });
  }
  const [u] = await tx.select({ email: users.email, deletedAt: users.deletedAt }).from(users).where(eq(users.id, r.userId));
  const link = `${env().publicUrl}/me/requests/${requestId}`;
  const mail =
    s.status === 'completed'
      ? removalCompletedMail({ link, certificates: s.issued.length })
      : removalFailedMail({ link, certificates: s.issued.length, stage: s.failure?.stage ?? 'unlearning' });
  // A person who deleted their account has no address left to tell.
  const emailId = u.deletedAt ? null : await queueEmail(tx, u.email, mail);
  const deliveryIds: string[] = [];
  for (const i of s.issued.filter((c) => c.fresh)) {
    const data = { requestId, certificateId: i.certificateId };
    deliveryIds.push(...(await recordEvent(tx, { organizationId: i.organizationId, type: 'certificate.issued', data })).deliveryIds);
  }
  for (const [organizationId, modelIds] of s.failedModels) {
    const data = { requestId, stage: s.failure?.stage ?? 'unlearning', code: s.failure?.code ?? 'failed', models: modelIds };
    deliveryIds.push(...(await recordEvent(tx, { organizationId, type: 'removal.failed', data })).deliveryIds);
  }
  return { requestId, emailId, deliveryIds, reason: s.status === 'completed' ? 'completed' : 'failed' };
}

/**
 * After the settling transaction committed: sends the e-mail and the webhooks now, and deletes the
 * biometric data. A crash before the end loses nothing: the mail and webhook sweeps send what is
 * pending, and the removal sweep purges every settled request that still has data.
 */
export async function finishSettlement(settled: Settled | null): Promise<void> {
  if (!settled) return;
  failpoint('settle.before-purge');
  if (settled.emailId) await requestDelivery(settled.emailId);
  await deliverRecorded(settled.deliveryIds);
  await purgeRequestData(settled.requestId, settled.reason);
}
