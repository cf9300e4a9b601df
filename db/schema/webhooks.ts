import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { organizations } from './organizations';

export const deliveryStatus = pgEnum('webhook_delivery_status', ['pending', 'succeeded', 'failed']);

/**
 * Where a partner receives events. Secrets are sealed (AES-GCM); after a rotation the previous
 * secret keeps signing alongside the new one until `previousSecretExpiresAt`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    url: text().notNull(),
    description: text().notNull().default(''),
    events: text().array().notNull(),
    secretSealed: text().notNull(),
    previousSecretSealed: text(),
    previousSecretExpiresAt: at(),
    /** When deliveries to it started failing without a success since (null while healthy). */
    failingSince: at(),
    disabledAt: at(),
    disabledReason: text(),
    /** Deleted endpoints get nothing and are hidden; their delivery log stays for the audit. */
    deletedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.organizationId)],
);

/** An event, thin (ids, never biometric data); its id is the `webhook-id` of every delivery. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: text().primaryKey(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    type: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_events_org_idx').on(t.organizationId, t.createdAt)],
);

/** One event to one endpoint, with its retry schedule. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    eventId: text()
      .notNull()
      .references(() => webhookEvents.id),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id),
    status: deliveryStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: at(),
    lastAttemptAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('webhook_deliveries_event_endpoint_key').on(t.eventId, t.endpointId), index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt)],
);

/** Every HTTP attempt of a delivery, for the delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer().notNull(),
    manual: boolean().notNull().default(false),
    statusCode: integer(),
    latencyMs: integer().notNull(),
    responseExcerpt: text(),
    error: text(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.createdAt)],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
