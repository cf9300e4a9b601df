import crypto from 'node:crypto';
import { envelopeLeafHash } from '@/lib/certificates/bundle';
import { signEnvelope } from '@/lib/certificates/dsse';
import { PAYLOAD_TYPE, STATEMENT_TYPE } from '@/lib/certificates/predicate';
import { signTreeHead } from '@/lib/certificates/tree-head';
import type { Jwk } from '@/lib/certificates/verify-bundle';
import { exampleModelEntry } from './example-predicate';

/** Tests only: a signing key of their own, its JWKS, and complete one-leaf certificate bundles signed with it. */
const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
const key = { kid: 'k1', privateKey };
export const exampleJwks = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as Jwk), kid: 'k1' }] };
const hex = () => crypto.randomBytes(32).toString('hex');

/**
 * A complete one-leaf bundle for a statement of the given predicate type; `more` adds top-level
 * predicate fields (e.g. `firstReleases`) and further subjects' digests.
 */
export function exampleBundle(
  predicateType: string,
  version: string,
  extra: Record<string, unknown>,
  more: { predicate?: Record<string, unknown>; subjects?: string[] } = {},
) {
  const weights = hex();
  // Version 1 had neither `release` nor `evidence`; `extra` adds what a test wants.
  const { release: _r, evidence: _e, ...v1 } = exampleModelEntry(weights);
  const model = { ...v1, ...extra };
  const predicate = {
    version,
    certificateId: 'c',
    requestId: 'r',
    organization: { id: 'o', name: 'O' },
    issuedAt: new Date().toISOString(),
    datasets: [],
    models: [model],
    scope: 's',
    software: 't',
    ...more.predicate,
  };
  const subject = [weights, ...(more.subjects ?? [])].map((sha256, i) => ({ name: `model-${i}`, digest: { sha256 } }));
  const statement = { _type: STATEMENT_TYPE, subject, predicateType, predicate };
  const envelope = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key);
  const treeHead = signTreeHead({ size: 1, rootHash: envelopeLeafHash(envelope).toString('hex'), timestamp: new Date().toISOString() }, key);
  return { mediaType: 'application/vnd.forgetme.certificate.v1+json' as const, envelope, inclusionProof: { leafIndex: 0, treeSize: 1, hashes: [] }, treeHead };
}
