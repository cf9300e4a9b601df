import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { getDb, type Executor } from '@/db/client';
import { webhookEndpoints, type WebhookEndpoint } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { decodeCursor, keyset, page, type PageQuery } from '@/lib/http/pagination';
import { notFound } from '@/lib/http/org-scope';
import { SECRET_OVERLAP_MS } from './event-types';
import type { createEndpointSchema, EndpointView, updateEndpointSchema } from './schemas';
import { newWebhookSecret, sealSecret } from './secrets';
import { checkWebhookUrl } from './ssrf-guard';

export function endpointView(e: WebhookEndpoint, now = new Date()): EndpointView {
  const overlap = e.previousSecretExpiresAt && e.previousSecretExpiresAt > now ? e.previousSecretExpiresAt.toISOString() : null;
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: !e.disabledAt,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince?.toISOString() ?? null,
    previousSecretValidUntil: overlap,
    createdAt: e.createdAt.toISOString(),
  };
}

export async function requireEndpoint(tx: Executor, organizationId: string, id: string): Promise<WebhookEndpoint> {
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, organizationId), isNull(webhookEndpoints.deletedAt)));
  if (!row) throw notFound('webhook endpoint');
  return row;
}

/** Registers an endpoint; the signing secret is returned once, here, and stored sealed. */
export async function createEndpoint(opts: { organizationId: string; actor: Actor; input: z.infer<typeof createEndpointSchema> }) {
  const url = await checkWebhookUrl(opts.input.url);
  const secret = newWebhookSecret();
  const id = crypto.randomUUID();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id,
        organizationId: opts.organizationId,
        url: url.toString(),
        description: opts.input.description,
        events: [...new Set(opts.input.events)],
        secretSealed: sealSecret(secret, id),
      })
      .returning();
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'webhook_endpoint.created', subject: { type: 'webhook_endpoint', id }, data: { url: row.url, events: row.events } },
    });
    return { endpoint: endpointView(row), secret };
  });
}

export async function updateEndpoint(opts: { organizationId: string; actor: Actor; id: string; input: z.infer<typeof updateEndpointSchema> }) {
  const url = opts.input.url !== undefined ? (await checkWebhookUrl(opts.input.url)).toString() : undefined;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await requireEndpoint(tx, opts.organizationId, opts.id);
    const enable = opts.input.enabled;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        url: url ?? current.url,
        description: opts.input.description ?? current.description,
        events: opts.input.events ? [...new Set(opts.input.events)] : current.events,
        ...(enable === true ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
        ...(enable === false && !current.disabledAt ? { disabledAt: new Date(), disabledReason: 'Disabled by a member of the organisation.' } : {}),
      })
      .where(eq(webhookEndpoints.id, current.id))
      .returning();
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: {
        action: 'webhook_endpoint.updated',
        subject: { type: 'webhook_endpoint', id: row.id },
        data: { url: row.url, events: row.events, enabled: !row.disabledAt },
      },
    });
    return endpointView(row);
  });
}

/**
 * A new secret, returned once; the previous one keeps signing alongside it (two signatures in
 * `webhook-signature`) for SECRET_OVERLAP_MS, so the partner can switch without losing events.
 */
export async function rotateEndpointSecret(opts: { organizationId: string; actor: Actor; id: string; now?: Date }) {
  const now = opts.now ?? new Date();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await requireEndpoint(tx, opts.organizationId, opts.id);
    const secret = newWebhookSecret();
    const until = new Date(now.getTime() + SECRET_OVERLAP_MS);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secretSealed: sealSecret(secret, current.id), previousSecretSealed: current.secretSealed, previousSecretExpiresAt: until })
      .where(eq(webhookEndpoints.id, current.id))
      .returning();
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: {
        action: 'webhook_endpoint.secret_rotated',
        subject: { type: 'webhook_endpoint', id: row.id },
        data: { previousValidUntil: until.toISOString() },
      },
    });
    return { endpoint: endpointView(row, now), secret };
  });
}

/** Stops deliveries to the endpoint for good; its delivery log is kept. */
export async function deleteEndpoint(opts: { organizationId: string; actor: Actor; id: string }) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const current = await requireEndpoint(tx, opts.organizationId, opts.id);
    await tx.update(webhookEndpoints).set({ deletedAt: new Date() }).where(eq(webhookEndpoints.id, current.id));
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'webhook_endpoint.deleted', subject: { type: 'webhook_endpoint', id: current.id }, data: {} },
    });
  });
}

export async function listEndpoints(organizationId: string, q: PageQuery) {
  const db = await getDb();
  const k = keyset(webhookEndpoints.createdAt, webhookEndpoints.id, decodeCursor(q.cursor));
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, organizationId), isNull(webhookEndpoints.deletedAt), k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => endpointView(r));
}

export async function getEndpoint(organizationId: string, id: string): Promise<EndpointView> {
  const db = await getDb();
  return endpointView(await requireEndpoint(db, organizationId, id));
}
