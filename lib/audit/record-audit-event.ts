import crypto from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { canonicalJson } from './canonical-json';
import type { Actor, AuditEvent } from './events';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_CHAIN_LOCK = 7243_0002;

export type ChainedFields = {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  organizationId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: unknown;
  prevHash: string;
};

/** hash = SHA-256(prevHash ‖ canonical JSON of the event's fields). */
export function auditEventHash(e: ChainedFields): string {
  const body = canonicalJson({
    id: e.id,
    at: e.at.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    organizationId: e.organizationId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    data: e.data,
    prevHash: e.prevHash,
  });
  return crypto.createHash('sha256').update(e.prevHash).update(body).digest('hex');
}

/**
 * Appends one event to the chain. Call it with the transaction that makes the change, so the
 * change and its record commit together; appends are serialised by a transaction-scoped lock.
 */
export async function recordAuditEvent(tx: Executor, opts: { actor: Actor; organizationId?: string | null; event: AuditEvent }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  const fields: ChainedFields = {
    id: crypto.randomUUID(),
    at: new Date(),
    actorType: opts.actor.type,
    actorId: opts.actor.id ?? null,
    organizationId: opts.organizationId ?? null,
    action: opts.event.action,
    subjectType: opts.event.subject.type,
    subjectId: opts.event.subject.id,
    data: opts.event.data,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.insert(auditEvents).values({ ...fields, data: fields.data as object, hash: auditEventHash(fields) });
}
