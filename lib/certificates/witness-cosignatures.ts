import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { checkpointCosignatures } from '@/db/schema';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { checkpointText, parseCheckpoint } from './checkpoint';
import { COSIGNATURE_TYPE, verifyCosignature } from './cosignature';
import { signedCheckpoint } from './log-tiles';
import { noteKeyId, parseNote, parseVerifierKey } from './signed-note';
import { consistencyProofBetween, treeHeadAt } from './transparency-log';
import type { Witnessed } from './witness-policy';

/**
 * The log's side of witnessing (docs/certificate.md, "Witnesses"): a configured witness sends its
 * cosignature of a checkpoint it checked; the log keeps it if the checkpoint is one it signed and
 * the cosignature verifies, and serves it with the checkpoint and in the bundles it covers.
 */
export async function addCosignature(input: { checkpoint: string; cosignature: string }): Promise<{ size: number; witness: string; signedAt: string }> {
  const refuse = (m: string) => new AppError('validation_failed', m);
  let text: string;
  let size: number;
  let signature;
  try {
    text = parseNote(input.checkpoint).text;
    const c = parseCheckpoint(text);
    size = c.size;
    if (c.origin !== env().logOrigin) throw new Error(`its origin is ${c.origin}, not this log's (${env().logOrigin})`);
    [signature] = parseNote(`${text}\n${input.cosignature.endsWith('\n') ? input.cosignature : `${input.cosignature}\n`}`).signatures;
  } catch (err) {
    throw refuse(`Not a cosigned checkpoint of this log: ${(err as Error).message}.`);
  }
  const head = await treeHeadAt(size).catch(() => null);
  if (!head || checkpointText({ origin: env().logOrigin, size, rootHash: Buffer.from(head.rootHash, 'hex') }) !== text) {
    throw new AppError('conflict', `This log never signed that checkpoint of size ${size}: the witness saw another log state.`);
  }
  const key = env()
    .witnesses.map((v) => parseVerifierKey(v, COSIGNATURE_TYPE))
    .find((k) => k.name === signature.name && noteKeyId(k.name, k.publicKey, COSIGNATURE_TYPE).equals(signature.keyId));
  if (!key) throw new AppError('forbidden', `${signature.name} is not a witness of this log (FORGETME_WITNESSES).`);
  const at = verifyCosignature(text, signature, key);
  if (at === null) throw new AppError('signature_invalid', `The cosignature by ${key.name} does not verify.`);
  if (at * 1000 > Date.now() + 5 * 60_000) throw refuse(`The cosignature is dated in the future (${new Date(at * 1000).toISOString()}).`);
  const db = await getDb();
  const signedAt = new Date(at * 1000);
  await db
    .insert(checkpointCosignatures)
    .values({
      size,
      witness: key.name,
      keyId: signature.keyId.toString('hex'),
      signedAt,
      line: `\u2014 ${signature.name} ${Buffer.concat([signature.keyId, signature.signature]).toString('base64')}\n`,
    })
    .onConflictDoNothing();
  return { size, witness: key.name, signedAt: signedAt.toISOString() };
}

/** The checkpoint of `size` (the latest by default) with the witnesses' cosignatures of it appended. */
export async function cosignedCheckpoint(size?: number): Promise<string | null> {
  const note = await signedCheckpoint(size);
  if (!note) return null;
  const n = Number(parseNote(note).text.split('\n')[1]);
  const db = await getDb();
  const lines = await db.select({ line: checkpointCosignatures.line }).from(checkpointCosignatures).where(eq(checkpointCosignatures.size, n));
  return note + lines.map((l) => l.line).join('');
}

/**
 * The latest checkpoint at or after `size` that enough witnesses cosigned (the quorum, or one when
 * none is configured), with a consistency proof from `size` to it; null when there is none yet.
 */
export async function witnessedSince(size: number): Promise<Witnessed | null> {
  const db = await getDb();
  const need = Math.max(1, env().witnessQuorum);
  const [row] = await db
    .select({ size: checkpointCosignatures.size })
    .from(checkpointCosignatures)
    .where(and(gte(checkpointCosignatures.size, size)))
    .groupBy(checkpointCosignatures.size)
    .having(sql`count(*) >= ${need}`)
    .orderBy(desc(checkpointCosignatures.size))
    .limit(1);
  if (!row) return null;
  const checkpoint = await cosignedCheckpoint(row.size);
  return checkpoint ? { checkpoint, consistency: await consistencyProofBetween(size, row.size) } : null;
}
