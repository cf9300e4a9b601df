import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { certificates } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { getSigningKey } from '@/lib/crypto/signing-key';
import { envelopeLeafHash } from './bundle';
import { signEnvelope } from './dsse';
import { PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, type PredicateV2 } from './predicate';
import { appendLeaf } from './transparency-log';

export type Subject = { name: string; digest: { sha256: string } };

/**
 * Signs a removal statement as a DSSE envelope with the platform key, appends it to the
 * transparency log and stores the certificate, in one transaction. Idempotent per (request,
 * organisation): a second call returns the certificate already issued.
 */
export async function signCertificate(opts: {
  certificateId: string;
  requestId: string;
  organizationId: string;
  subject: Subject[];
  predicate: PredicateV2;
  submittedAt?: Date | null;
}) {
  const db = await getDb();
  const [existing] = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.requestId, opts.requestId), eq(certificates.organizationId, opts.organizationId)));
  if (existing) return existing;
  const statement = { _type: STATEMENT_TYPE, subject: opts.subject, predicateType: PREDICATE_TYPE, predicate: opts.predicate };
  const envelope = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), await getSigningKey());
  const first = opts.predicate.firstReleases ?? [];
  return db.transaction(async (tx) => {
    const { leafIndex } = await appendLeaf(tx, envelopeLeafHash(envelope), opts.certificateId);
    const [row] = await tx
      .insert(certificates)
      .values({
        id: opts.certificateId,
        requestId: opts.requestId,
        organizationId: opts.organizationId,
        envelope,
        leafIndex,
        issuedAt: new Date(opts.predicate.issuedAt),
        methods: [...new Set([...opts.predicate.models.map((m) => m.method), ...first.flatMap((f) => (f.method ? [f.method] : []))])],
        modelIds: [...opts.predicate.models.map((m) => m.modelId), ...first.map((f) => f.modelId)],
        datasetIds: opts.predicate.datasets.map((d) => d.id),
        removedItems: opts.predicate.datasets.reduce((n, d) => n + d.removedItems, 0),
        submittedAt: opts.submittedAt ?? null,
      })
      .returning();
    await recordAuditEvent(tx, {
      actor: { type: 'system' },
      organizationId: opts.organizationId,
      event: { action: 'certificate.issued', subject: { type: 'certificate', id: row.id }, data: { requestId: opts.requestId, leafIndex } },
    });
    return row;
  });
}
