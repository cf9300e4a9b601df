import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { models, modelVersions } from './models';
import { organizations } from './organizations';
import type { Envelope } from '@/lib/certificates/dsse';

/**
 * A partner's Ed25519 public key for signing deployment acknowledgements. `kid` is its RFC 7638
 * thumbprint, the DSSE key id, unique within the organisation (another may register the same public
 * half, but cannot sign with it). Kept after revocation: acknowledgements signed before stay valid.
 */
export const deploymentKeys = pgTable(
  'deployment_keys',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    kid: text().notNull(),
    publicJwk: jsonb().$type<{ kty: 'OKP'; crv: 'Ed25519'; x: string }>().notNull(),
    createdAt: createdAt(),
    revokedAt: at(),
  },
  (t) => [uniqueIndex('deployment_keys_org_kid_key').on(t.organizationId, t.kid), index('deployment_keys_org_idx').on(t.organizationId)],
);

/**
 * A partner's signed statement that a model version runs in production, naming the certificates it
 * newly puts into production (lib/deployments/deployment-statement.ts). Append-only.
 */
export const deploymentAcknowledgements = pgTable(
  'deployment_acknowledgements',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    modelId: uuid()
      .notNull()
      .references(() => models.id),
    modelVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id),
    version: integer().notNull(),
    keyId: uuid()
      .notNull()
      .references(() => deploymentKeys.id),
    envelope: jsonb().$type<Envelope>().notNull(),
    /** SHA-256 of the envelope's payload bytes: the same statement is recorded once. */
    payloadSha256: text().notNull(),
    certificateIds: uuid().array().notNull(),
    acknowledgedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('deployment_acks_payload_key').on(t.payloadSha256),
    index('deployment_acks_model_idx').on(t.modelId, t.version),
    index('deployment_acks_certificates_idx').using('gin', t.certificateIds),
  ],
);

export type DeploymentKey = typeof deploymentKeys.$inferSelect;
export type DeploymentAcknowledgement = typeof deploymentAcknowledgements.$inferSelect;
