import { z } from 'zod';
import type { Predicate } from '@/lib/certificates/predicate';
import { readAcknowledgement } from './deployment-statement';

/**
 * What a platform publishes about a certificate's deployment (GET
 * /api/v1/transparency/certificates/{id}/deployments): the partner's signed acknowledgements that
 * name it, each with the public key it was registered under. The verifier trusts the platform to
 * relay which key the organisation registered, and checks everything else itself.
 */
export const deploymentEvidenceSchema = z.object({
  certificateId: z.string(),
  acknowledgements: z
    .array(
      z.object({
        envelope: z.object({
          payloadType: z.string(),
          payload: z.string(),
          signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })),
        }),
        acknowledgedAt: z.iso.datetime(),
        key: z.object({
          kid: z.string(),
          organizationId: z.string(),
          publicJwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
          revokedAt: z.iso.datetime().nullable(),
        }),
      }),
    )
    .max(1000),
});
export type DeploymentEvidence = z.infer<typeof deploymentEvidenceSchema>;

/** Per model of a certificate: deployed by the partner with a verified signature, not yet acknowledged, or an acknowledgement that does not verify. */
export type DeploymentFinding = {
  modelId: string;
  modelName: string;
  status: 'signed' | 'not_acknowledged' | 'invalid';
  /** The version acknowledged and when forgetme received the signature (status `signed`). */
  version?: number;
  acknowledgedAt?: string;
  kid?: string;
  detail: string;
};

/**
 * Checks each acknowledgement against the certificate: the partner's signature over the statement
 * (by the key relayed for the certificate's organisation), the statement's organisation and model,
 * a version at least the certificate's new version (it contains the removal), and the certificate's
 * id among those the statement names.
 */
export function deploymentFindings(predicate: Predicate, evidence: DeploymentEvidence): DeploymentFinding[] {
  const org = predicate.organization;
  // The versions the certificate names: each removal's new version, and each first release (predicate 2.5).
  const released = [
    ...predicate.models.map((m) => ({ modelId: m.modelId, modelName: m.modelName, version: m.after.version })),
    ...(predicate.firstReleases ?? []).map((f) => ({ modelId: f.modelId, modelName: f.modelName, version: f.version })),
  ];
  return released.map((m) => {
    const base = { modelId: m.modelId, modelName: m.modelName };
    const faults: string[] = [];
    for (const a of evidence.acknowledgements) {
      if (claimedModelId(a.envelope.payload) !== m.modelId) continue;
      const read = readAcknowledgement(a.envelope, [a.key]);
      if (!read.ok) {
        faults.push(read.fault.message);
        continue;
      }
      const p = read.statement.predicate;
      if (a.key.organizationId !== org.id || p.organizationId !== org.id) faults.push(`an acknowledgement is signed for another organisation than ${org.name}`);
      else if (p.version < m.version) faults.push(`an acknowledgement is of version ${p.version}, older than the certificate's version ${m.version}`);
      else if (!p.certificateIds.includes(predicate.certificateId)) faults.push('an acknowledgement of this model does not name this certificate');
      else {
        const digest = read.statement.subject[0].digest.sha256;
        return {
          ...base,
          status: 'signed',
          version: p.version,
          acknowledgedAt: a.acknowledgedAt,
          kid: a.key.kid,
          detail:
            `Deployed by ${org.name}, signed: version ${p.version} (weights ${digest.slice(0, 12)}…) runs in production, ` +
            `acknowledged ${a.acknowledgedAt} with ${org.name}'s key ${a.key.kid}.`,
        } satisfies DeploymentFinding;
      }
    }
    if (faults.length) return { ...base, status: 'invalid', detail: `The deployment acknowledgement does not verify: ${faults.join('; ')}.` };
    return {
      ...base,
      status: 'not_acknowledged',
      detail: `Not yet acknowledged: ${org.name} has not signed that a version without these photos (version ${m.version} or later) runs in production.`,
    };
  });
}

/** The model an acknowledgement says it is about, before anything is verified (to sort acknowledgements by model). */
function claimedModelId(payload: string): string | null {
  try {
    const modelId = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'))?.predicate?.modelId;
    return typeof modelId === 'string' ? modelId : null;
  } catch {
    return null;
  }
}
