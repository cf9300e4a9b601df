import crypto from 'node:crypto';
import { bundleSchema, envelopeLeafHash, type Bundle } from './bundle';
import { verifyEnvelopeSignature } from './dsse';
import { verifyConsistency, verifyInclusion } from './merkle';
import { PAYLOAD_TYPE, PREDICATE_MAJORS, PREDICATE_TYPE, predicateSchema, predicateV2Schema, statementSchema, V1_NOTICE, type Predicate } from './predicate';
import { verifyTreeHeadSignature, type TreeHead } from './tree-head';
import { parseCheckpoint } from './checkpoint';
import { openNote, parseNote } from './signed-note';
import { checkWitnessed, type WitnessPolicy } from './witness-policy';
import { deploymentFindings, type DeploymentEvidence, type DeploymentFinding } from '@/lib/deployments/verify-deployments';

export type Jwk = crypto.JsonWebKey & { kid?: string; nbf?: number; exp?: number };
export type Check = { id: string; label: string; ok: boolean; detail: string };
/** `notices`: what a reader must know even when every check passes (a v1 certificate's guarantee did not hold against the partner). */
/** `deployments`: per model, whether the partner signed that a version without the photos runs (null when not looked up, offline). */
export type Verification = {
  ok: boolean;
  checks: Check[];
  predicate: Predicate | null;
  predicateMajor: number | null;
  notices: string[];
  deployments: DeploymentFinding[] | null;
};

/** What an online verifier adds: the log's latest signed head and a consistency proof to it, and the partner's deployment acknowledgements. */
/** A refusal a witness reported to the log (GET /api/v1/transparency/log/refusals), as far as a reader needs it. */
export type ReportedRefusal = { witness: string; refusedAt: string; reason: string };
export type OnlineEvidence = { latest: TreeHead; consistency: string[]; deployments?: DeploymentEvidence; refusals?: ReportedRefusal[] };

/** What a reader is told of witnesses' refusals: the log's history may not be the one every reader sees. */
export function refusalNotices(refusals: ReportedRefusal[]): string[] {
  return refusals
    .slice(0, 3)
    .map(
      (r) =>
        `Witness ${r.witness} reported that on ${r.refusedAt.slice(0, 10)} it refused to cosign a checkpoint of this log (${r.reason}). ` +
        'A log that shows different histories to different readers is what witnesses exist to catch: ask the platform and the witness what happened.',
    );
}

const ed25519Keys = (keys: Jwk[]) => keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && k.x).map((k) => Buffer.from(k.x!, 'base64url'));

/**
 * The bundle's C2SP checkpoint: a signed note by a published Ed25519 key under the checkpoint's
 * origin, naming the tree head's size and root, so that tools of the transparency ecosystem can
 * check the same log state (docs/certificate.md, "The transparency log").
 */
function checkCheckpoint(note: string, head: TreeHead, keys: Jwk[]): { ok: boolean; detail: string } {
  try {
    const text = parseNote(note).text;
    const c = parseCheckpoint(text);
    const ed25519 = keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && k.x);
    openNote(
      note,
      ed25519.map((k) => ({ name: c.origin, publicKey: Buffer.from(k.x!, 'base64url') })),
    );
    if (c.size !== head.size || c.rootHash.toString('hex') !== head.rootHash) {
      return { ok: false, detail: `The checkpoint names size ${c.size} and another root than the signed tree head: they are not the same log state.` };
    }
    return { ok: true, detail: `A signed note by the platform key for log ${c.origin} at size ${c.size}, with the tree head's root.` };
  } catch (err) {
    return { ok: false, detail: `The checkpoint does not verify: ${(err as Error).message}.` };
  }
}

/**
 * Verifies a certificate bundle, each check separately, offline given the JWKS: the signature, the
 * key's validity when the certificate was issued, the payload's schema and predicate version, the
 * inclusion proof, the tree head's signature; and, given online evidence, that the log still holds
 * it and was only appended to since (consistency with the latest head).
 */
export function verifyBundle(input: unknown, jwks: { keys: Jwk[] }, online?: OnlineEvidence, policy?: WitnessPolicy): Verification {
  const checks: Check[] = [];
  const add = (id: string, label: string, ok: boolean, detail: string) => checks.push({ id, label, ok, detail });
  const parsed = bundleSchema.safeParse(input);
  if (!parsed.success) {
    add(
      'format',
      'Certificate file',
      false,
      `Not a forgetme certificate bundle: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}.`,
    );
    return { ok: false, checks, predicate: null, predicateMajor: null, notices: [], deployments: null };
  }
  add('format', 'Certificate file', true, 'A forgetme certificate bundle, version 1.');
  const b = parsed.data as Bundle;
  const byKid = new Map(jwks.keys.filter((k) => k.kid).map((k) => [k.kid!, k]));

  // Signature.
  const signer = b.envelope.signatures.find((s) => byKid.has(s.keyid) && verifyEnvelopeSignature(b.envelope, s, byKid.get(s.keyid)!));
  if (signer)
    add('signature', 'Signature', true, `Signed by the platform key ${signer.keyid} (Ed25519, DSSE); ${b.envelope.signatures.length} signature(s) present.`);
  else {
    const known = b.envelope.signatures.some((s) => byKid.has(s.keyid));
    add(
      'signature',
      'Signature',
      false,
      known
        ? 'The signature does not match the content: the certificate was altered after signing, or the signature was replaced.'
        : `No signature is by a published key (key ids: ${b.envelope.signatures.map((s) => s.keyid).join(', ')}).`,
    );
  }

  // Payload.
  let predicate: Predicate | null = null;
  let predicateMajor: number | null = null;
  const notices: string[] = [];
  let issuedAt: Date | null = null;
  try {
    if (b.envelope.payloadType !== PAYLOAD_TYPE) throw new Error(`the payload type is ${b.envelope.payloadType}, expected ${PAYLOAD_TYPE}`);
    const statement = statementSchema.parse(JSON.parse(Buffer.from(b.envelope.payload, 'base64').toString('utf8')));
    const m = /\/v(\d+)$/.exec(statement.predicateType);
    if (!statement.predicateType.startsWith(PREDICATE_TYPE.replace(/v\d+$/, '')) || !m)
      throw new Error(`the predicate type ${statement.predicateType} is not forgetme's`);
    const major = Number(m[1]);
    if (!PREDICATE_MAJORS.some((v) => v === major)) {
      throw new Error(`predicate version ${m[1]} is not supported by this verifier (it knows versions ${PREDICATE_MAJORS.join(' and ')})`);
    }
    predicate = major === 2 ? predicateV2Schema.parse(statement.predicate) : predicateSchema.parse(statement.predicate);
    predicateMajor = major;
    if (major === 1) notices.push(V1_NOTICE);
    issuedAt = new Date(predicate.issuedAt);
    const afterDigests = new Set(statement.subject.map((s) => s.digest.sha256));
    const released = [
      ...predicate.models.map((mo) => ({ name: mo.modelName, sha256: mo.after.weightsSha256 })),
      ...(predicate.firstReleases ?? []).map((f) => ({ name: f.modelName, sha256: f.weightsSha256 })),
    ];
    const missing = released.filter((mo) => !afterDigests.has(mo.sha256));
    if (missing.length) throw new Error(`the subjects do not name the new weights of ${missing.map((x) => x.name).join(', ')}`);
    add(
      'schema',
      'Content',
      true,
      `An in-toto statement with the face-removal predicate v${predicate.version}: ${released.length} model(s), ` +
        `${predicate.datasets.reduce((s, d) => s + d.removedItems, 0)} item(s) removed.`,
    );
  } catch (err) {
    const msg =
      err instanceof Error && 'issues' in err
        ? (err as { issues: { path: PropertyKey[]; message: string }[] }).issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : (err as Error).message;
    add('schema', 'Content', false, `The payload is not a valid removal statement: ${msg}.`);
  }

  // Key validity at issue time.
  const key = signer ? byKid.get(signer.keyid)! : null;
  if (!key || !issuedAt)
    add('key_validity', 'Key valid when issued', false, key ? 'The issue date could not be read.' : 'No verified signature to check the key of.');
  else {
    const t = issuedAt.getTime() / 1000;
    const ok = (key.nbf === undefined || t >= key.nbf - 300) && (key.exp === undefined || t <= key.exp);
    add(
      'key_validity',
      'Key valid when issued',
      ok,
      ok ? `Key ${key.kid} was in service on ${issuedAt.toISOString()}.` : `Key ${key.kid} was not in service on ${issuedAt.toISOString()}.`,
    );
  }

  // Tree head signature.
  const headKey = byKid.get(b.treeHead.keyid);
  const headOk = !!headKey && verifyTreeHeadSignature(b.treeHead, headKey);
  add(
    'tree_head',
    'Signed tree head',
    headOk,
    headOk
      ? `The log head (size ${b.treeHead.size}, ${b.treeHead.timestamp}) is signed by ${b.treeHead.keyid}.`
      : "The log head's signature does not verify with a published key.",
  );

  if (b.checkpoint !== undefined) {
    const c = checkCheckpoint(b.checkpoint, b.treeHead, jwks.keys);
    add('checkpoint', 'Checkpoint (C2SP)', c.ok, c.detail);
  }
  if (b.witnessed) {
    const w = checkWitnessed(b.witnessed, b.treeHead, ed25519Keys(jwks.keys), policy ?? { keys: [], quorum: 0 });
    add('witnessed', 'Witnessed', w.ok, w.detail);
  } else if (policy?.quorum) {
    add('witnessed', 'Witnessed', false, `No checkpoint covering this certificate carries the ${policy.quorum} witness cosignature(s) required yet.`);
  }

  // Inclusion.
  const p = b.inclusionProof;
  const included =
    p.treeSize === b.treeHead.size &&
    verifyInclusion(
      envelopeLeafHash(b.envelope),
      p.leafIndex,
      p.treeSize,
      p.hashes.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(b.treeHead.rootHash, 'hex'),
    );
  add(
    'inclusion',
    'In the transparency log',
    included,
    included
      ? `Entry ${p.leafIndex} of the log of ${p.treeSize}.`
      : 'The inclusion proof does not lead from this certificate to the signed tree head: it belongs to another certificate or another tree.',
  );

  // Consistency with the latest head (online).
  if (online) {
    const latestKey = byKid.get(online.latest.keyid);
    const latestSigned = !!latestKey && verifyTreeHeadSignature(online.latest, latestKey);
    const consistent =
      latestSigned &&
      verifyConsistency(
        b.treeHead.size,
        online.latest.size,
        online.consistency.map((h) => Buffer.from(h, 'hex')),
        Buffer.from(b.treeHead.rootHash, 'hex'),
        Buffer.from(online.latest.rootHash, 'hex'),
      );
    add(
      'consistency',
      'Log not rewritten since',
      consistent,
      consistent
        ? `The log's latest head (size ${online.latest.size}) extends the head in the certificate.`
        : "The log's latest head is not an extension of the head in the certificate: the log was rewritten, or the evidence is wrong.",
    );
  }
  // Deployment is reported, not checked: a certificate not yet deployed is still genuine.
  const deployments = predicate && online?.deployments ? deploymentFindings(predicate, online.deployments) : null;
  if (online?.refusals) notices.push(...refusalNotices(online.refusals));
  return { ok: checks.every((c) => c.ok), checks, predicate, predicateMajor, notices, deployments };
}
