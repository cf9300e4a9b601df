import { z } from 'zod';
import type { DeploymentAcknowledgement, DeploymentKey } from '@/db/schema';
import { deploymentStatementSchema } from './deployment-statement';

const envelopeSchema = z.object({
  payloadType: z.string().max(200),
  payload: z
    .string()
    .min(1)
    .max(8 * 1024 * 1024),
  signatures: z.array(z.object({ keyid: z.string().max(200), sig: z.string().max(200) })).max(10),
});

/** The body of an acknowledgement: the DSSE envelope the partner signed. */
export const acknowledgeBodySchema = z.object({ envelope: envelopeSchema });

export const acknowledgementSchema = z.object({
  id: z.uuid(),
  modelId: z.uuid(),
  version: z.number().int(),
  certificateIds: z.array(z.uuid()).describe('The certificates this deployment put into production'),
  acknowledgedAt: z.iso.datetime().describe('When forgetme received and verified the signed acknowledgement'),
  key: z.object({ id: z.uuid(), kid: z.string(), name: z.string(), revokedAt: z.iso.datetime().nullable() }),
  envelope: envelopeSchema,
});
export type AcknowledgementView = z.infer<typeof acknowledgementSchema>;

export function acknowledgementView(a: DeploymentAcknowledgement, k: DeploymentKey): AcknowledgementView {
  return {
    id: a.id,
    modelId: a.modelId,
    version: a.version,
    certificateIds: a.certificateIds,
    acknowledgedAt: a.acknowledgedAt.toISOString(),
    key: { id: k.id, kid: k.kid, name: k.name, revokedAt: k.revokedAt?.toISOString() ?? null },
    envelope: a.envelope,
  };
}

export const statementToSignSchema = z.object({
  statement: deploymentStatementSchema,
  payloadType: z.string(),
  payload: z.string().describe("The DSSE payload: the statement's canonical JSON, base64"),
  pae: z.string().describe('The bytes to sign with Ed25519: DSSE PAE(payloadType, payload), base64'),
  acknowledgements: z.array(acknowledgementSchema),
});
export type StatementToSign = z.infer<typeof statementToSignSchema>;
