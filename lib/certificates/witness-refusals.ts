import { and, count, desc, eq, gte } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { witnessRefusals } from '@/db/schema';
import { env } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { parseCheckpoint } from './checkpoint';
import { COSIGNATURE_TYPE } from './cosignature';
import { parseNote, parseVerifierKey } from './signed-note';
import { verifyRefusal, type Refusal } from './witness-refusal';

/** Refusals one witness may report in an hour: more is not evidence, it is a flood. */
const PER_WITNESS_HOUR = 100;

export type StoredRefusal = { witness: string; refusedAt: string; reason: string; checkpoint: string; signature: string; receivedAt: string };

/**
 * A configured witness reports a checkpoint it refused to cosign (a rollback, a fork, a rewrite).
 * The log keeps the report, signed by the witness, whatever it says about the log: hiding it is
 * what a misbehaving log would want. Unknown witnesses and bad signatures are refused unstored.
 */
export async function addRefusal(input: Refusal & { signature: string }): Promise<{ witness: string; refusedAt: string; stored: boolean }> {
  const key = env()
    .witnesses.map((v) => parseVerifierKey(v, COSIGNATURE_TYPE))
    .find((k) => k.name === input.witness);
  if (!key) throw new AppError('forbidden', `${input.witness} is not a witness of this log (FORGETME_WITNESSES).`);
  if (!verifyRefusal(input, input.signature, key)) throw new AppError('signature_invalid', `The refusal's signature by ${key.name} does not verify.`);
  try {
    parseCheckpoint(parseNote(input.checkpoint).text);
  } catch (err) {
    throw new AppError('validation_failed', `The refused checkpoint is not a checkpoint: ${(err as Error).message}.`);
  }
  if (input.at * 1000 > Date.now() + 5 * 60_000) throw new AppError('validation_failed', 'The refusal is dated in the future.');
  const db = await getDb();
  const [{ n }] = await db
    .select({ n: count() })
    .from(witnessRefusals)
    .where(and(eq(witnessRefusals.witness, key.name), gte(witnessRefusals.receivedAt, new Date(Date.now() - 3_600_000))));
  if (n >= PER_WITNESS_HOUR) throw new AppError('rate_limited', `${key.name} reported ${n} refusals in the last hour; try again later.`);
  const refusedAt = new Date(input.at * 1000);
  const stored = await db
    .insert(witnessRefusals)
    .values({ witness: key.name, refusedAt, reason: input.reason, checkpoint: input.checkpoint, signature: input.signature })
    .onConflictDoNothing()
    .returning({ id: witnessRefusals.id });
  return { witness: key.name, refusedAt: refusedAt.toISOString(), stored: stored.length > 0 };
}

/** The latest refusals, newest first. */
export async function listRefusals(limit = 20): Promise<StoredRefusal[]> {
  const db = await getDb();
  const rows = await db.select().from(witnessRefusals).orderBy(desc(witnessRefusals.receivedAt)).limit(limit);
  return rows.map((r) => ({ ...r, refusedAt: r.refusedAt.toISOString(), receivedAt: r.receivedAt.toISOString() }));
}
