import { getDb } from '@/db/client';
import { removalRequests } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors/app-error';
import { CONSENT_VERSION } from './consent';

/** Opens a request once the person has agreed to the consent text (nothing is processed before). */
export async function startRequest(opts: { userId: string; consent: boolean; consentVersion: string }) {
  if (!opts.consent) throw new AppError('validation_failed', 'Please read and agree to how your photos will be used before starting.');
  if (opts.consentVersion !== CONSENT_VERSION) throw new AppError('conflict', 'The consent text has changed since you opened this page; please read it again.');
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [r] = await tx.insert(removalRequests).values({ userId: opts.userId, consentVersion: CONSENT_VERSION, consentedAt: new Date() }).returning();
    await recordAuditEvent(tx, {
      actor: { type: 'user', id: opts.userId },
      event: { action: 'request.created', subject: { type: 'removal_request', id: r.id }, data: { consentVersion: CONSENT_VERSION } },
    });
    return r;
  });
}
