import { and, asc, eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { assertUnderLimit, hitRateLimit } from '@/lib/auth/rate-limit';
import { AppError } from '@/lib/errors/app-error';
import { decodeCursor, keyset, page, type PageQuery } from '@/lib/http/pagination';
import { notFound } from '@/lib/http/org-scope';
import { attemptDelivery } from './deliver';
import { requireEndpoint } from './endpoints';
import type { DeliveryView } from './schemas';

type Row = {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  status: DeliveryView['status'];
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
};

async function withLog(rows: Row[]): Promise<DeliveryView[]> {
  const db = await getDb();
  const attempts = rows.length
    ? await db
        .select()
        .from(webhookAttempts)
        .where(
          inArray(
            webhookAttempts.deliveryId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(webhookAttempts.attempt))
    : [];
  return rows.map((r) => ({
    ...r,
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    log: attempts
      .filter((a) => a.deliveryId === r.id)
      .map((a) => ({
        attempt: a.attempt,
        manual: a.manual,
        statusCode: a.statusCode,
        latencyMs: a.latencyMs,
        responseExcerpt: a.responseExcerpt,
        error: a.error,
        at: a.createdAt.toISOString(),
      })),
  }));
}

const columns = {
  id: webhookDeliveries.id,
  eventId: webhookDeliveries.eventId,
  eventType: webhookEvents.type,
  endpointId: webhookDeliveries.endpointId,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  createdAt: webhookDeliveries.createdAt,
};

/** An endpoint's deliveries, newest first, each with its attempt log. */
export async function listDeliveries(organizationId: string, endpointId: string, q: PageQuery) {
  const db = await getDb();
  await requireEndpoint(db, organizationId, endpointId);
  const k = keyset(webhookDeliveries.createdAt, webhookDeliveries.id, decodeCursor(q.cursor));
  const rows = await db
    .select(columns)
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  const p = page(rows, q.limit, (r) => r);
  return { data: await withLog(p.data), nextCursor: p.nextCursor };
}

export async function getDelivery(organizationId: string, deliveryId: string): Promise<DeliveryView> {
  const db = await getDb();
  const [row] = await db
    .select(columns)
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookEndpoints.organizationId, organizationId)));
  if (!row) throw notFound('webhook delivery');
  return (await withLog([row]))[0];
}

/** Replays an organisation may send per minute (each is an outbound request from forgetme's network). */
export const REPLAYS_PER_MINUTE = 30;

/**
 * Sends a delivery again now, to an endpoint that is neither deleted nor disabled, within
 * REPLAYS_PER_MINUTE, with the same `webhook-id` (receivers de-duplicate on it), and logs it.
 */
export async function replayDelivery(opts: { organizationId: string; actor: Actor; deliveryId: string; now?: Date }): Promise<DeliveryView> {
  const view = await getDelivery(opts.organizationId, opts.deliveryId);
  const db = await getDb();
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, view.endpointId));
  if (endpoint.deletedAt) throw new AppError('conflict', "This delivery's endpoint was deleted; a delivery cannot be replayed to it.");
  if (endpoint.disabledAt) throw new AppError('conflict', "This delivery's endpoint is disabled; enable it again first, then replay.");
  const limit = { key: `webhook-replay:${opts.organizationId}`, max: REPLAYS_PER_MINUTE, windowSeconds: 60 };
  await assertUnderLimit(limit, `At most ${REPLAYS_PER_MINUTE} deliveries can be replayed per minute; wait a minute and try again.`);
  await hitRateLimit(limit);
  await recordAuditEvent(db, {
    actor: opts.actor,
    organizationId: opts.organizationId,
    event: { action: 'webhook_delivery.replayed', subject: { type: 'webhook_delivery', id: view.id }, data: { eventId: view.eventId } },
  });
  await attemptDelivery(view.id, { now: opts.now, manual: true });
  return getDelivery(opts.organizationId, opts.deliveryId);
}
