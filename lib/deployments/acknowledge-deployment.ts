import { and, desc, eq, isNull, lte, notExists, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { certificates, deploymentAcknowledgements, deploymentKeys, models, modelVersions, removalTasks, type DeploymentKey } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Envelope } from '@/lib/certificates/dsse';
import { AppError } from '@/lib/errors/app-error';
import { requireModel, requireVersion } from '@/lib/models/get-models';
import { deliverRecorded, recordEvent } from '@/lib/webhooks/emit-event';
import { acknowledgementView, type AcknowledgementView, type StatementToSign } from './acknowledgement-view';
import { acknowledgementsOf } from './model-acknowledgements';
import { deploymentStatement, payloadDigest, readAcknowledgement, statementToSign } from './deployment-statement';

/**
 * The certificates version `version` of a model puts into production: issued to this organisation
 * for a removal whose task ended at this version or an earlier one, and named by no acknowledgement
 * of the model yet. A held-out removal (no new version) ends at the version it found, so it counts too.
 */
async function servedCertificateIds(tx: Executor, organizationId: string, modelId: string, version: number): Promise<string[]> {
  const acked = tx
    .select({ one: sql`1` })
    .from(deploymentAcknowledgements)
    .where(and(eq(deploymentAcknowledgements.modelId, modelId), sql`${certificates.id} = any(${deploymentAcknowledgements.certificateIds})`));
  const rows = await tx
    .select({ id: certificates.id })
    .from(certificates)
    .innerJoin(removalTasks, and(eq(removalTasks.requestId, certificates.requestId), eq(removalTasks.modelId, modelId)))
    .innerJoin(modelVersions, eq(modelVersions.id, removalTasks.toVersionId))
    .where(and(eq(certificates.organizationId, organizationId), lte(modelVersions.version, version), notExists(acked)));
  return rows.map((r) => r.id).sort();
}

/** What the partner signs to acknowledge a version, and the acknowledgements of that version so far. */
export async function deploymentStatementFor(organizationId: string, modelId: string, version: number): Promise<StatementToSign> {
  const db = await getDb();
  const model = await requireModel(db, organizationId, modelId);
  const v = await requireVersion(db, organizationId, modelId, version);
  const certificateIds = await servedCertificateIds(db, organizationId, modelId, version);
  const statement = deploymentStatement({ organizationId, modelId, modelName: model.name, version, weightsSha256: v.weightsSha256, certificateIds });
  return { statement, ...statementToSign(statement), acknowledgements: await acknowledgementsOf(db, modelId, version) };
}

function refuseSignature(fault: { kind: string; message: string }, revoked: DeploymentKey[], env: Envelope): never {
  const kid = env.signatures.map((s) => s.keyid).find((k) => revoked.some((r) => r.kid === k));
  const was = kid ? revoked.find((r) => r.kid === kid)! : null;
  if (was && fault.kind === 'signature') {
    throw new AppError(
      'signature_invalid',
      `The signing key ${was.kid} ("${was.name}") was revoked on ${was.revokedAt!.toISOString()}; sign with an active key.`,
    );
  }
  throw new AppError(fault.kind === 'statement' ? 'validation_failed' : 'signature_invalid', fault.message);
}

/**
 * Records a partner's signed acknowledgement that a version runs in production. Refused: an
 * unsigned or wrongly signed envelope, a key not registered (and active) in this organisation, a
 * statement about another organisation, model, version or weights, a certificate the version does
 * not serve or that an earlier acknowledgement named, and a version older than one acknowledged
 * (a rollback would put removed photos back). The same statement twice is recorded once.
 */
export async function acknowledgeDeployment(opts: {
  organizationId: string;
  actor: Actor;
  modelId: string;
  version: number;
  envelope: Envelope;
}): Promise<AcknowledgementView> {
  const db = await getDb();
  const { view, deliveryIds } = await db.transaction(async (tx) => {
    const v = await requireVersion(tx, opts.organizationId, opts.modelId, opts.version);
    // One acknowledgement of a model at a time: the certificates it names are named once.
    await tx.select({ id: models.id }).from(models).where(eq(models.id, opts.modelId)).for('update');
    const keys = await tx.select().from(deploymentKeys).where(eq(deploymentKeys.organizationId, opts.organizationId));
    const read = readAcknowledgement(
      opts.envelope,
      keys.filter((k) => !k.revokedAt),
    );
    if (!read.ok)
      refuseSignature(
        read.fault,
        keys.filter((k) => k.revokedAt),
        opts.envelope,
      );
    const p = read.statement.predicate;
    const digest = payloadDigest(opts.envelope);
    const [same] = await tx.select().from(deploymentAcknowledgements).where(eq(deploymentAcknowledgements.payloadSha256, digest));
    if (same)
      return {
        view: acknowledgementView(
          same,
          keys.find((k) => k.id === same.keyId)!,
        ),
        deliveryIds: [],
      };
    const about = `version ${p.version} of model ${p.modelId} (organisation ${p.organizationId})`;
    if (p.organizationId !== opts.organizationId || p.modelId !== opts.modelId || p.version !== opts.version) {
      throw new AppError('validation_failed', `The signed statement is about ${about}, not version ${opts.version} of this model.`);
    }
    if (read.statement.subject[0].digest.sha256 !== v.weightsSha256) {
      throw new AppError(
        'validation_failed',
        `The signed statement names weights ${read.statement.subject[0].digest.sha256}; version ${v.version}'s are ${v.weightsSha256}.`,
      );
    }
    const [latest] = await tx
      .select({ version: deploymentAcknowledgements.version })
      .from(deploymentAcknowledgements)
      .where(eq(deploymentAcknowledgements.modelId, opts.modelId))
      .orderBy(desc(deploymentAcknowledgements.version))
      .limit(1);
    if (latest && latest.version > v.version) {
      throw new AppError(
        'conflict',
        `Version ${latest.version} is already acknowledged as deployed; version ${v.version} is older and would bring back photos removed since.`,
      );
    }
    const served = new Set(await servedCertificateIds(tx, opts.organizationId, opts.modelId, v.version));
    const stray = p.certificateIds.find((id) => !served.has(id));
    if (stray) {
      throw new AppError(
        'conflict',
        `Certificate ${stray} is not one this deployment puts into production (another version serves it, or an earlier acknowledgement named it). ` +
          'Fetch the statement again and sign that.',
      );
    }
    if (!p.certificateIds.length && latest?.version === v.version) {
      const [last] = await acknowledgementsOf(tx, opts.modelId, v.version);
      return { view: last, deliveryIds: [] };
    }
    const [row] = await tx
      .insert(deploymentAcknowledgements)
      .values({
        organizationId: opts.organizationId,
        modelId: opts.modelId,
        modelVersionId: v.id,
        version: v.version,
        keyId: read.key.id,
        envelope: opts.envelope,
        payloadSha256: digest,
        certificateIds: p.certificateIds,
      })
      .returning();
    await tx
      .update(modelVersions)
      .set({ deployedAt: row.acknowledgedAt })
      .where(and(eq(modelVersions.id, v.id), isNull(modelVersions.deployedAt)));
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: {
        action: 'model_version.deployment_acknowledged',
        subject: { type: 'model_version', id: v.id },
        data: { modelId: opts.modelId, version: v.version, kid: read.key.kid, certificates: p.certificateIds.length },
      },
    });
    const data = {
      modelId: opts.modelId,
      version: v.version,
      weightsSha256: v.weightsSha256,
      certificateIds: p.certificateIds,
      kid: read.key.kid,
      acknowledgedAt: row.acknowledgedAt.toISOString(),
    };
    const event = await recordEvent(tx, { organizationId: opts.organizationId, type: 'certificate.deployment_acknowledged', data });
    return { view: acknowledgementView(row, read.key), deliveryIds: event.deliveryIds };
  });
  await deliverRecorded(deliveryIds);
  return view;
}
