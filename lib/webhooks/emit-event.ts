import crypto from 'node:crypto';
import { and, arrayContains, eq, isNull } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from '@/db/schema';
import { log } from '@/lib/log/logger';
import type { WebhookEventType } from './event-types';

/** A Standard Webhooks message id: `msg_` + 24 random bytes, base64url (the `webhook-id` header). */
export function newMessageId(): string {
  return `msg_${crypto.randomBytes(18).toString('base64url')}`;
}

type EventInput = { organizationId: string; type: WebhookEventType; data: Record<string, unknown>; endpointId?: string; now?: Date };

/**
 * Records an event and one pending delivery for every enabled endpoint of the organisation that
 * subscribed to its type, in the caller's transaction: the event exists if and only if the state
 * change that caused it commits. `endpointId` restricts it to one endpoint (a console ping).
 * Returns the delivery ids; the webhook sweep delivers them if the caller does not (deliverRecorded).
 */
export async function recordEvent(tx: Executor, opts: EventInput): Promise<{ eventId: string; deliveryIds: string[] }> {
  const now = opts.now ?? new Date();
  const eventId = newMessageId();
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
  if (!endpoints.length) return { eventId, deliveryIds: [] };
  const rows = await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ eventId, endpointId: e.id, nextAttemptAt: now, createdAt: now })))
    .returning({ id: webhookDeliveries.id });
  return { eventId, deliveryIds: rows.map((r) => r.id) };
}

/** Delivers recorded deliveries at once from this process, after their transaction committed; the sweep catches anything this misses. */
export async function deliverRecorded(deliveryIds: string[]): Promise<void> {
  if (!deliveryIds.length) return;
  // Imported here: the job module imports the delivery code, which imports this module's callers.
  const { requestDeliveries } = await import('./jobs');
  await requestDeliveries(deliveryIds).catch((err) => log.warn('could not queue webhook deliveries now; the sweep will', { error: String(err) }));
}

/**
 * Records an event in its own transaction (recordEvent) and delivers it at once. With `now` (a
 * test's clock), nothing is sent at once: the caller drives delivery with deliverDue.
 */
export async function emitEvent(opts: EventInput): Promise<{ eventId: string; deliveryIds: string[] }> {
  const db = await getDb();
  const recorded = await db.transaction((tx) => recordEvent(tx, opts));
  if (!opts.now) await deliverRecorded(recorded.deliveryIds);
  return recorded;
}
