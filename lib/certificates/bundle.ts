import crypto from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@/lib/audit/canonical-json';
import type { Envelope } from './dsse';
import { leafHash } from './merkle';
import type { TreeHead } from './tree-head';
import type { Witnessed } from './witness-policy';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

/** certificate.json: everything a verifier needs offline, besides the platform's JWKS. */
export const bundleSchema = z.object({
  mediaType: z.literal('application/vnd.forgetme.certificate.v1+json'),
  envelope: z.object({ payloadType: z.string(), payload: z.string().min(1), signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })).min(1) }),
  inclusionProof: z.object({ leafIndex: z.number().int().min(0), treeSize: z.number().int().min(1), hashes: z.array(hex32) }),
  treeHead: z.object({ size: z.number().int().min(1), rootHash: hex32, timestamp: z.iso.datetime(), keyid: z.string(), signature: z.string() }),
  /** The log at the tree head's size as a C2SP checkpoint (a signed note); absent from bundles made before checkpoints. */
  checkpoint: z.string().max(65536).optional(),
  /** A later checkpoint that witnesses cosigned, with a consistency proof from the tree head to it (bundles downloaded after a witness ran). */
  witnessed: z.object({ checkpoint: z.string().max(65536), consistency: z.array(hex32).max(64) }).optional(),
});

export type Bundle = {
  mediaType: 'application/vnd.forgetme.certificate.v1+json';
  envelope: Envelope;
  inclusionProof: { leafIndex: number; treeSize: number; hashes: string[] };
  treeHead: TreeHead;
  checkpoint?: string;
  witnessed?: Witnessed;
};

/** The log leaf of an envelope: SHA-256 of its canonical JSON (sorted keys, no spaces). */
export function envelopeDigest(env: Envelope): Buffer {
  return crypto.createHash('sha256').update(canonicalJson(env)).digest();
}

export function envelopeLeafHash(env: Envelope): Buffer {
  return leafHash(envelopeDigest(env));
}

const withTreeHead = z.object({ treeHead: z.object({ size: z.number().int().min(1) }) });

/** The size of the log head a bundle carries, or null when the file has none (verifyBundle then refuses it). */
export function bundleTreeSize(bundle: unknown): number | null {
  const parsed = withTreeHead.safeParse(bundle);
  return parsed.success ? parsed.data.treeHead.size : null;
}

const withCertificateId = z.object({ envelope: z.object({ payload: z.string() }) });

/** The certificate id a bundle's payload states, read without verifying anything (to look up what concerns it), or null. */
export function bundleCertificateId(bundle: unknown): string | null {
  const parsed = withCertificateId.safeParse(bundle);
  if (!parsed.success) return null;
  try {
    const id = JSON.parse(Buffer.from(parsed.data.envelope.payload, 'base64').toString('utf8'))?.predicate?.certificateId;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
