import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { modelVersions, type ModelVersion } from '@/db/schema';
import { blobPath, hasBlob } from '@/lib/blobs/blob-store';
import { getJwks } from '@/lib/crypto/get-jwks';
import { AppError, isAppError } from '@/lib/errors/app-error';
import { openStoredFile } from '@/lib/models/version-files';
import { predicateV2Schema } from './predicate';
import { replayRelease } from './replay-release';
import { verifyBundle, type Check, type Jwk } from './verify-bundle';

/**
 * `forgetme audit replay`: the platform auditor's re-check of a certificate against the stored
 * model files. The bundle must be genuine (signed by this platform's keys, predicate v2); each
 * model's versions before and after are read raw from the blob store (the noise unsealed with the
 * data key) into a private scratch directory and replayed (replay-release.ts). Read-only: nothing
 * is written but the scratch directory, removed at the end. Input that cannot be replayed (not a
 * bundle, another platform's key, a v1 certificate, purged files) is an AppError: exit 2.
 */
export async function replayCertificate(bundle: unknown): Promise<{ ok: boolean; checks: Check[] }> {
  const jwks = (await getJwks()) as { keys: Jwk[] };
  const v = verifyBundle(bundle, jwks);
  const failed = (id: string) => v.checks.find((c) => c.id === id && !c.ok);
  if (failed('format')) throw new AppError('validation_failed', `Not a complete forgetme certificate bundle: ${failed('format')!.detail}`);
  if (failed('signature'))
    throw new AppError(
      'validation_failed',
      `The certificate is not signed by this platform's keys, so there is nothing of ours to replay: ${failed('signature')!.detail}`,
    );
  if (failed('schema') || !v.predicate)
    throw new AppError('validation_failed', `The certificate's content cannot be read: ${failed('schema')?.detail ?? 'no predicate'}`);
  if (v.predicateMajor !== 2)
    throw new AppError(
      'validation_failed',
      'This is a version-1 certificate: it carries no commitments to replay (and its guarantee did not hold against the partner).',
    );
  const predicate = predicateV2Schema.parse(v.predicate);
  const checks: Check[] = [...v.checks];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'forgetme-replay-'));
  try {
    for (const entry of predicate.models) {
      const [before, after] = await Promise.all([version(entry.modelId, entry.before.version), version(entry.modelId, entry.after.version)]);
      const beforeDir = await materialise(before, path.join(scratch, `${entry.modelId}-${before.version}`));
      const afterDir = await materialise(after, path.join(scratch, `${entry.modelId}-${after.version}`));
      checks.push(...replayRelease({ beforeDir, afterDir, entry }));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { ok: checks.every((c) => c.ok), checks };
}

async function version(modelId: string, n: number): Promise<ModelVersion> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, n)));
  if (!row) throw new AppError('not_found', `Model ${modelId} has no version ${n} on this platform.`);
  return row;
}

/** A version's files as stored, raw (not checked: the replay checks them), the noise unsealed. */
async function materialise(v: ModelVersion, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, sha] of Object.entries(v.files)) {
    if (!(await hasBlob(sha))) {
      throw new AppError(
        'blob_missing',
        `The stored files of model version ${v.version} were purged (${name} is gone): this certificate can no longer be replayed.`,
      );
    }
    const raw = await fs.promises.readFile(blobPath(sha));
    let bytes: Buffer;
    try {
      bytes = openStoredFile(name, raw, v.noiseSource);
    } catch (err) {
      if (isAppError(err) && err.code === 'decryption_failed') continue; // an altered sealed file: the noise check reports it
      throw err;
    }
    await fs.promises.writeFile(path.join(dir, name), bytes, { mode: 0o600 });
  }
  return dir;
}
