import { bigint, boolean, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ChainVerification } from '@/lib/audit/verify-audit-chain';
import type { LogAudit } from '@/lib/certificates/log-audit';
import { at, id } from './columns';

/** What a full check found, by kind (the `kind` column repeats the discriminant, for the index). */
export type IntegrityFindings = { kind: 'audit_chain'; chain: ChainVerification } | { kind: 'transparency_log'; log: LogAudit };

/**
 * Full integrity checks of the audit chain and the transparency log, run by a background job
 * (lib/integrity/integrity-job.ts). They read every event or entry, so pages show the latest one
 * and check live only what was added since.
 */
export const integrityChecks = pgTable(
  'integrity_checks',
  {
    id: id(),
    kind: text({ enum: ['audit_chain', 'transparency_log'] }).notNull(),
    startedAt: at().notNull(),
    finishedAt: at().notNull(),
    /** The last audit event's seq, or the log size, that the check covered. */
    covered: bigint({ mode: 'number' }).notNull(),
    /** The chain hash at `covered`, or the log's root at that size (null: empty, or not computable). */
    headHash: text(),
    ok: boolean().notNull(),
    findings: jsonb().$type<IntegrityFindings>().notNull(),
  },
  (t) => [index('integrity_checks_kind_idx').on(t.kind, t.finishedAt)],
);

/**
 * Refusals that the log's witnesses reported (lib/certificates/witness-refusals.ts): a checkpoint
 * the witness would not cosign, why, and the witness's signature over both. Kept for good: they
 * are evidence about the log, shown on the compliance log page and served publicly.
 */
export const witnessRefusals = pgTable(
  'witness_refusals',
  {
    id: id(),
    witness: text().notNull(),
    refusedAt: at().notNull(),
    reason: text().notNull(),
    checkpoint: text().notNull(),
    signature: text().notNull(),
    receivedAt: at().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('witness_refusals_signature_key').on(t.signature), index('witness_refusals_received_idx').on(t.receivedAt)],
);
