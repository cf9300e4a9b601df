import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { deploymentAcknowledgements, deploymentKeys } from '@/db/schema';
import type { DeploymentEvidence } from './verify-deployments';

/**
 * The signed acknowledgements that name a certificate, with the public keys they were registered
 * under (public: whoever holds a certificate may check its deployment). Any id gives an answer, an
 * empty one when nothing names it, so the endpoint does not tell which certificate ids exist.
 */
export async function deploymentEvidence(certificateId: string): Promise<DeploymentEvidence> {
  const db = await getDb();
  const rows = await db
    .select({ ack: deploymentAcknowledgements, key: deploymentKeys })
    .from(deploymentAcknowledgements)
    .innerJoin(deploymentKeys, eq(deploymentKeys.id, deploymentAcknowledgements.keyId))
    .where(sql`${deploymentAcknowledgements.certificateIds} @> array[${certificateId}]::uuid[]`)
    .orderBy(deploymentAcknowledgements.acknowledgedAt)
    .limit(1000);
  return {
    certificateId,
    acknowledgements: rows.map(({ ack, key }) => ({
      envelope: ack.envelope,
      acknowledgedAt: ack.acknowledgedAt.toISOString(),
      key: { kid: key.kid, organizationId: key.organizationId, publicJwk: key.publicJwk, revokedAt: key.revokedAt?.toISOString() ?? null },
    })),
  };
}
