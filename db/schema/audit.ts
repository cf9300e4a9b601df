import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns';

/**
 * Append-only, hash-chained audit log: hash = SHA-256(prevHash ‖ canonical JSON of the event).
 * Rows are never updated or deleted; lib/audit/verify-audit-chain.ts recomputes the chain.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigserial({ mode: 'number' }).primaryKey(),
    id: uuid().notNull().defaultRandom().unique(),
    at: at().notNull(),
    actorType: text().notNull(),
    actorId: text(),
    organizationId: uuid(),
    action: text().notNull(),
    subjectType: text().notNull(),
    subjectId: text(),
    data: jsonb().notNull(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [index('audit_events_org_idx').on(t.organizationId, t.seq), index('audit_events_action_idx').on(t.action, t.seq)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
