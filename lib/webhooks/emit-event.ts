import crypto from 'node:crypto';
import { and, arrayContains, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from '@/db/schema';
import { log } from '@/lib/log/logger';
import type { WebhookEventType } from './event-types';

/** A Standard Webhooks message id: `msg_` + 24 random bytes, base64url (the `webhook-id` header). */
export function newMessageId(): string {
  return `msg_${crypto.randomBytes(18).toString('base64url')}`;
}

/**
 * Records an event and one pending delivery for every enabled endpoint of the organisation that
 * subscribed to its type, then delivers them at once from this process (the sweep catches anything
 * this misses). `endpointId` restricts it to one endpoint (a console ping). With `now` (a test's
 * clock), nothing is sent at once: the caller drives delivery with deliverDue.
 */
export async function emitEvent(opts: { organizationId: string; type: WebhookEventType; data: Record<string, unknown>; endpointId?: string; now?: Date }): Promise<{ eventId: string; deliveryIds: string[] }> {
  const db = await getDb();
  const now = opts.now ?? new Date();
  const eventId = newMessageId();
  const deliveryIds = await db.transaction(async (tx) => {
    await tx.insert(webhookEvents).values({ id: eventId, organizationId: opts.organizationId, type: opts.type, data: opts.data, createdAt: now });
    const endpoints = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.organizationId, opts.organizationId),
          isNull(webhookEndpoints.disabledAt),
          isNull(webhookEndpoints.deletedAt),
          opts.endpointId ? eq(webhookEndpoints.id, opts.endpointId) : arrayContains(webhookEndpoints.events, [opts.type]),
        ),
      );
    if (!endpoints.length) return [];
    const rows = await tx
      .insert(webhookDeliveries)
      .values(endpoints.map((e) => ({ eventId, endpointId: e.id, nextAttemptAt: now, createdAt: now })))
      .returning({ id: webhookDeliveries.id });
    return rows.map((r) => r.id);
  });
  if (deliveryIds.length && !opts.now) {
    // Imported here: the job module imports the delivery code, which imports this module's callers.
    const { requestDeliveries } = await import('./jobs');
    await requestDeliveries(deliveryIds).catch((err) => log.warn('could not queue webhook deliveries now; the sweep will', { eventId, error: String(err) }));
  }
  return { eventId, deliveryIds };
}
