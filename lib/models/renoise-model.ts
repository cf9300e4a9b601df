import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { models, modelVersions } from '@/db/schema';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { defineJob } from '@/lib/jobs/define-job';
import { log } from '@/lib/log/logger';
import { removalBudget } from '@/lib/unlearning/budget';
import { norm2 } from '@/lib/unlearning/linalg';
import { drawNoiseSalt, drawSecretNoise } from '@/lib/unlearning/secret-noise';
import { toSharedF64 } from '@/lib/unlearning/shared';
import { fitClasses, range } from '@/lib/unlearning/train';
import { emitEvent } from '@/lib/webhooks/emit-event';
import { storeModelFiles, loadModelFiles } from './version-files';
import type { RenoiseReport } from './version-report';

export const RENOISE_REASON =
  'The noise of earlier versions was derived from a seed that the partner chose or could read, so their removal guarantee did not hold against the partner. ' +
  'This version is the same model retrained on the same data with fresh secret noise; certificates from now on rest on it.';

/**
 * Re-noises a model whose latest version has seeded noise: draws fresh secret noise, refits every
 * class to its optimum from the current weights (damped Newton, exact Hessians), and releases the
 * result as a new version (reason `renoise`), announced by audit event and `model.version_created`.
 * Idempotent: a model whose latest version is not seeded is left alone; a second run racing the
 * first loses on the version's uniqueness. Returns whether it released a version.
 */
export async function renoiseModel(modelId: string): Promise<boolean> {
  const db = await getDb();
  const [model] = await db.select().from(models).where(eq(models.id, modelId));
  const [current] = await db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.version)).limit(1);
  if (!model || !current || current.noiseSource !== 'seeded') return false;
  const started = performance.now();
  const loaded = await loadModelFiles(current);
  if (loaded.model.kind !== 'newton-certified') return false;
  const m = loaded.model;
  m.noise = toSharedF64(drawSecretNoise(m.params.sigma, m.noise.length));
  m.noiseSalt = drawNoiseSalt();
  m.noiseSource = 'secret';
  await fitClasses(m, range(m.classes.length));
  m.hessiansExact = m.hessians !== null;
  const budget = removalBudget(m.params);
  const residual = norm2(m.residual);
  const stored = await storeModelFiles(m, { parentSha256: current.weightsSha256, residual, budget });
  const report: RenoiseReport = {
    schema: 2,
    kind: 'renoise',
    reason: RENOISE_REASON,
    fromVersion: current.version,
    residual,
    budget,
    seconds: (performance.now() - started) / 1000,
  };
  const released = await db.transaction(async (tx) => {
    const [v] = await tx
      .insert(modelVersions)
      .values({
        modelId,
        version: current.version + 1,
        parentId: current.id,
        reason: 'renoise',
        noiseSource: 'secret',
        files: stored.files,
        weightsSha256: stored.weightsSha256,
        classes: m.classes.length,
        samples: m.ids.length,
        accuracy: current.accuracy,
        holdoutSha256: current.holdoutSha256,
        budgetUsed: residual / budget,
        report,
      })
      .onConflictDoNothing()
      .returning();
    if (!v) return null;
    const event = {
      action: 'model.version_released',
      subject: { type: 'model_version', id: v.id },
      data: { modelId, version: v.version, reason: 'renoise' },
    } as const;
    await recordAuditEvent(tx, { actor: { type: 'system' }, organizationId: model.organizationId, event });
    return v;
  });
  if (!released) return false;
  log.info('model re-noised', { modelId, version: released.version, seconds: report.seconds });
  await emitEvent({
    organizationId: model.organizationId,
    type: 'model.version_created',
    data: { modelId, versionId: released.id, version: released.version, reason: 'renoise', requestIds: [] },
  });
  return true;
}

/** Models whose latest version still rests on seeded noise. */
export async function seededModels(): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: models.id })
    .from(models)
    .where(
      and(
        eq(models.kind, 'newton-certified'),
        sql`(select ${modelVersions.noiseSource} from ${modelVersions} where ${modelVersions.modelId} = ${models.id}
             order by ${modelVersions.version} desc limit 1) = 'seeded'`,
      ),
    );
  return rows.map((r) => r.id);
}

/** At start-up and every ten minutes: re-noise every model that still rests on seeded noise, one at a time. */
export const renoiseSweepJob = defineJob({
  id: 'models.renoise-sweep',
  version: 1,
  schema: z.object({}),
  key: () => 'models.renoise-sweep',
  policy: 'exclusive',
  retryLimit: 3,
  retryDelaySeconds: 60,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 30,
  cron: '*/10 * * * *',
  handler: async () => {
    for (const id of await seededModels()) await renoiseModel(id);
  },
});
