import crypto from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@/lib/audit/canonical-json';
import { pae, type Envelope } from '@/lib/certificates/dsse';
import { PAYLOAD_TYPE, STATEMENT_TYPE } from '@/lib/certificates/predicate';

/**
 * A partner's deployment acknowledgement: an in-toto statement whose subject is the version's
 * weights, signed (DSSE, Ed25519) by a key the partner registered. It names the certificates that
 * this deployment puts into production: those whose removal the version contains and that no
 * earlier acknowledgement of the model named (docs/certificate.md, "Deployment acknowledgements").
 */
export const DEPLOYMENT_PREDICATE_TYPE = 'https://forgetme.dev/attestations/model-deployment/v1';

export type DeploymentFacts = {
  organizationId: string;
  modelId: string;
  modelName: string;
  version: number;
  weightsSha256: string;
  certificateIds: string[];
};

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID');

export const deploymentStatementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.tuple([z.object({ name: z.string(), digest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex sha256') }) })]),
  predicateType: z.literal(DEPLOYMENT_PREDICATE_TYPE),
  predicate: z.object({
    organizationId: uuid,
    modelId: uuid,
    modelName: z.string(),
    version: z.number().int().min(1),
    certificateIds: z.array(uuid).max(100_000),
  }),
});
export type DeploymentStatement = z.infer<typeof deploymentStatementSchema>;

/** The statement for these facts (certificate ids sorted, so equal facts give equal bytes). */
export function deploymentStatement(f: DeploymentFacts): DeploymentStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: `models/${f.modelId}/versions/${f.version}/weights`, digest: { sha256: f.weightsSha256 } }],
    predicateType: DEPLOYMENT_PREDICATE_TYPE,
    predicate: {
      organizationId: f.organizationId,
      modelId: f.modelId,
      modelName: f.modelName,
      version: f.version,
      certificateIds: [...f.certificateIds].sort(),
    },
  };
}

/** What the partner signs: the statement's canonical JSON as the DSSE payload, and its PAE (the exact bytes under the signature). */
export function statementToSign(s: DeploymentStatement): { payloadType: string; payload: string; pae: string } {
  const body = Buffer.from(canonicalJson(s), 'utf8');
  return { payloadType: PAYLOAD_TYPE, payload: body.toString('base64'), pae: pae(PAYLOAD_TYPE, body).toString('base64') };
}

export type PublicEd25519Jwk = { kty: 'OKP'; crv: 'Ed25519'; x: string };

/** Why an acknowledgement is refused: `unsigned` and `signature` are the signature's faults, `statement` the content's. */
export type AckFault = { kind: 'unsigned' | 'signature' | 'statement'; message: string };

/**
 * Reads a signed acknowledgement: the payload must be a deployment statement and one signature must
 * verify with one of `keys` (by key id). Returns the statement and the key, or the fault.
 */
export function readAcknowledgement<K extends { kid: string; publicJwk: PublicEd25519Jwk }>(
  env: Envelope,
  keys: K[],
): { ok: true; statement: DeploymentStatement; key: K } | { ok: false; fault: AckFault } {
  if (!env.signatures.length) return { ok: false, fault: { kind: 'unsigned', message: 'The acknowledgement carries no signature.' } };
  if (env.payloadType !== PAYLOAD_TYPE) {
    return { ok: false, fault: { kind: 'statement', message: `The payload type is "${env.payloadType}"; a deployment statement is ${PAYLOAD_TYPE}.` } };
  }
  let statement: DeploymentStatement;
  try {
    const parsed = deploymentStatementSchema.safeParse(JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')));
    if (!parsed.success) {
      const what = parsed.error.issues.map((i) => `${i.path.join('.') || 'statement'}: ${i.message}`).join('; ');
      return { ok: false, fault: { kind: 'statement', message: `The payload is not a deployment statement (${what}).` } };
    }
    statement = parsed.data;
  } catch {
    return { ok: false, fault: { kind: 'statement', message: 'The payload is not base64-encoded JSON.' } };
  }
  const byKid = new Map(keys.map((k) => [k.kid, k]));
  const known = env.signatures.filter((s) => byKid.has(s.keyid));
  if (!known.length) {
    const ids = env.signatures.map((s) => s.keyid).join(', ');
    return { ok: false, fault: { kind: 'signature', message: `No signature is by a deployment key registered by this organisation (key ids: ${ids}).` } };
  }
  const body = Buffer.from(env.payload, 'base64');
  for (const s of known) {
    const key = byKid.get(s.keyid)!;
    if (verifyEd25519(pae(env.payloadType, body), s.sig, key.publicJwk)) return { ok: true, statement, key };
  }
  return { ok: false, fault: { kind: 'signature', message: 'The signature does not verify: it was made over other bytes, or with another key.' } };
}

function verifyEd25519(message: Buffer, sigBase64: string, jwk: PublicEd25519Jwk): boolean {
  try {
    const key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    return crypto.verify(null, message, key, Buffer.from(sigBase64, 'base64'));
  } catch {
    return false;
  }
}

/** The SHA-256 of the payload bytes: one record per distinct statement. */
export function payloadDigest(env: Envelope): string {
  return crypto.createHash('sha256').update(Buffer.from(env.payload, 'base64')).digest('hex');
}
