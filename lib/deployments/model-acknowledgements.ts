import { and, desc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { deploymentAcknowledgements, deploymentKeys } from '@/db/schema';
import { requireModel } from '@/lib/models/get-models';
import { acknowledgementView, type AcknowledgementView } from './acknowledgement-view';

/** A model's signed acknowledgements, newest first; of one version when `version` is given. */
export async function acknowledgementsOf(tx: Executor, modelId: string, version?: number): Promise<AcknowledgementView[]> {
  const rows = await tx
    .select({ ack: deploymentAcknowledgements, key: deploymentKeys })
    .from(deploymentAcknowledgements)
    .innerJoin(deploymentKeys, eq(deploymentKeys.id, deploymentAcknowledgements.keyId))
    .where(and(eq(deploymentAcknowledgements.modelId, modelId), version === undefined ? undefined : eq(deploymentAcknowledgements.version, version)))
    .orderBy(desc(deploymentAcknowledgements.acknowledgedAt));
  return rows.map((r) => acknowledgementView(r.ack, r.key));
}

/** The acknowledgements of an organisation's model (the console's model page). */
export async function modelAcknowledgements(organizationId: string, modelId: string): Promise<AcknowledgementView[]> {
  const db = await getDb();
  await requireModel(db, organizationId, modelId);
  return acknowledgementsOf(db, modelId);
}
