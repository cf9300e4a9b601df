import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { getDb } from '@/db/client';
import { memberships, users, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookDelivery } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/config/env';
import { queueEmail } from '@/lib/mail/queue-email';
import { requestDelivery } from '@/lib/mail/jobs';
import { webhookDisabledMail } from '@/lib/mail/templates';
import { log } from '@/lib/log/logger';
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from './event-types';
import { postWebhook } from './post-webhook';
import { failpoint } from '@/lib/jobs/failpoint';
import { openSecret } from './secrets';

/** A claimed delivery is leased for this long, so a concurrent sweep does not send it twice. */
const LEASE_MS = 60_000;

/** The exact body the receiver gets, and signs over: `{ type, timestamp, data }`. */
export function webhookBody(event: { type: string; data: unknown; createdAt: Date }): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

/**
 * Makes one attempt of a delivery: signs the body (with the current secret, and the previous one
 * while its overlap lasts), POSTs it, and records the attempt. On failure, schedules the next
 * attempt from RETRY_DELAYS_SECONDS or, after the last, fails the delivery; an endpoint failing
 * for five days is disabled and its organisation's admins are told by e-mail. `manual` (a replay
 * from the console or the API) sends once more with the same `webhook-id`, whatever the status.
 * Returns the delay before the next attempt, if one is scheduled.
 */
export async function attemptDelivery(
  deliveryId: string,
  opts: { now?: Date; manual?: boolean } = {},
): Promise<{ succeeded: boolean; retryInSeconds: number | null }> {
  const now = opts.now ?? new Date();
  const db = await getDb();
  const [claimed] = opts.manual
    ? await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))
    : await db
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
        .returning();
  if (!claimed) return { succeeded: false, retryInSeconds: null };
  const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, claimed.eventId));
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, claimed.endpointId));
  if (!opts.manual && (endpoint.disabledAt || endpoint.deletedAt)) {
    await db.update(webhookDeliveries).set({ status: 'failed', nextAttemptAt: null }).where(eq(webhookDeliveries.id, claimed.id));
    return { succeeded: false, retryInSeconds: null };
  }

  const body = webhookBody(event);
  const secrets = [openSecret(endpoint.secretSealed, endpoint.id)];
  if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now)
    secrets.push(openSecret(endpoint.previousSecretSealed, endpoint.id));
  const signature = secrets.map((s) => new Webhook(s).sign(event.id, now, body)).join(' ');
  const outcome = await postWebhook(endpoint.url, body, {
    'webhook-id': event.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  });
  failpoint('webhook.after-send');
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const attempt = claimed.attempts + 1;
  const retryIn = !ok && !opts.manual && attempt < MAX_ATTEMPTS ? RETRY_DELAYS_SECONDS[attempt - 1] : null;

  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({ deliveryId: claimed.id, attempt, manual: !!opts.manual, ...outcome, createdAt: now });
    // A failed manual replay leaves the delivery's own schedule as it was.
    const status: WebhookDelivery['status'] = ok ? 'succeeded' : opts.manual ? claimed.status : retryIn !== null ? 'pending' : 'failed';
    const nextAttemptAt = ok ? null : opts.manual ? claimed.nextAttemptAt : retryIn !== null ? new Date(now.getTime() + retryIn * 1000) : null;
    await tx.update(webhookDeliveries).set({ attempts: attempt, lastAttemptAt: now, status, nextAttemptAt }).where(eq(webhookDeliveries.id, claimed.id));
    if (ok) {
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id));
      return;
    }
    await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
      .where(eq(webhookEndpoints.id, endpoint.id));
  });
  if (!ok) await disableIfFailingTooLong(endpoint.id, now);
  return { succeeded: ok, retryInSeconds: retryIn };
}

async function disableIfFailingTooLong(endpointId: string, now: Date): Promise<void> {
  const db = await getDb();
  const reason = 'Every delivery failed for 5 days.';
  const [disabled] = await db
    .update(webhookEndpoints)
    .set({ disabledAt: now, disabledReason: reason })
    .where(
      and(
        eq(webhookEndpoints.id, endpointId),
        isNull(webhookEndpoints.disabledAt),
        lte(webhookEndpoints.failingSince, new Date(now.getTime() - DISABLE_AFTER_MS)),
      ),
    )
    .returning();
  if (!disabled) return;
  log.warn('webhook endpoint disabled after 5 days of failures', { endpointId });
  const emailIds = await db.transaction(async (tx) => {
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      organizationId: disabled.organizationId,
      event: { action: 'webhook_endpoint.disabled', subject: { type: 'webhook_endpoint', id: endpointId }, data: { reason } },
    });
    const admins = await tx
      .select({ email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, disabled.organizationId), eq(memberships.role, 'admin')));
    const link = `${env().publicUrl}/partner/webhooks/${endpointId}`;
    return Promise.all(admins.map((a) => queueEmail(tx, a.email, webhookDisabledMail({ link }))));
  });
  for (const id of emailIds) await requestDelivery(id);
}

/**
 * Attempts every delivery due at `now` minus `graceMs` (the sweep leaves the delivery jobs that
 * long to do it first; tests drive it with their own clock).
 */
export async function deliverDue(now = new Date(), opts: { graceMs?: number; limit?: number } = {}): Promise<number> {
  const dueBy = new Date(now.getTime() - (opts.graceMs ?? 0));
  const db = await getDb();
  const due = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, dueBy)))
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(opts.limit ?? 100);
  for (const d of due) await attemptDelivery(d.id, { now });
  return due.length;
}
