import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { closeDb, openDatabase, setDbHandleForTests, type DbHandle } from '@/db/client';
import { certificates, datasetItems, datasets, faces, logLeaves, modelVersions, removalRequests, removalTasks, requestMatches } from '@/db/schema';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { env } from '@/lib/config/env';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { stopBoss } from '@/lib/jobs/boss';
import { createModel } from '@/lib/models/create-model';
import { publicCentre } from '@/lib/models/public-centre';
import { runTraining } from '@/lib/models/train-job';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { syntheticFaces } from '@/lib/unlearning/synthetic';
import { submitRequest } from './submit-request';

const { dataDir } = setUpTestEnvironment();

/**
 * The crash test of the removal workflow (PostgreSQL, a separate `npm run worker` process): the
 * worker is killed with SIGKILL in the middle of the unlearning job (new model files stored, not yet
 * released), then a second worker is killed after signing the certificate but before the request
 * completes; a third finishes. The request completes once: one new model version, one certificate,
 * one log entry.
 */
describe('crash recovery [postgres, separate worker]', { skip: !env().testDatabaseUrl && 'TEST_DATABASE_URL is not set' }, () => {
  let url = '';
  let handle: DbHandle;
  const name = `forgetme_crash_${crypto.randomBytes(4).toString('hex')}`;
  before(async () => {
    const admin = new pg.Client({ connectionString: env().testDatabaseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(env().testDatabaseUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
    handle = await openDatabase({ driver: 'postgres', url });
    setDbHandleForTests(handle);
  });
  after(async () => {
    await stopBoss();
    await closeDb();
    const admin = new pg.Client({ connectionString: env().testDatabaseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  function worker(failpoint?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stop: () => void }> & { child: ReturnType<typeof spawn> } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        FORGETME_DATA_DIR: dataDir,
        FORGETME_LOG_LEVEL: 'warn',
        FORGETME_WORKER_THREADS: '2',
        ...(failpoint ? { FORGETME_FAILPOINT: failpoint } : { FORGETME_FAILPOINT: '' }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stop: () => void }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, stop: () => {} })),
    );
    return Object.assign(done, { child });
  }

  test('killed mid-unlearning and mid-certification, the request completes once', { timeout: 300_000 }, async () => {
    const db = handle.db;
    const org = await seedPartner();
    const actor = { type: 'user', id: org.admin.id } as const;
    const [ds] = await db.insert(datasets).values({ organizationId: org.organization.id, name: 'synthetic' }).returning();
    const s = syntheticFaces({ identities: 80, perIdentity: 25, seed: 11 });
    const centre = publicCentre();
    const rows = s.ids.map((id, i) => ({
      id: crypto.randomUUID(),
      externalId: id,
      label: s.labels[i],
      sha: crypto.randomBytes(32).toString('hex'),
      x: Array.from(s.x.subarray(i * 128, (i + 1) * 128), (v, j) => (v - s.centre[j]) * 0.05 + centre[j]),
    }));
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await db
        .insert(datasetItems)
        .values(chunk.map((r) => ({ id: r.id, datasetId: ds.id, externalId: r.externalId, label: r.label, sha256: r.sha, status: 'embedded' as const })));
      await db.insert(faces).values(
        chunk.map((r) => ({
          itemId: r.id,
          datasetId: ds.id,
          faceIndex: 0,
          box: [0, 0, 100, 100],
          score: 0.9,
          embedding: r.x,
          embeddingModel: EMBEDDING_MODEL,
        })),
      );
    }
    const model = await createModel({
      organizationId: org.organization.id,
      actor,
      input: {
        name: 'Synthetic head',
        datasetId: ds.id,
        kind: 'newton-certified',
        params: { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 5 },
      },
    });
    await runTraining(model.id);

    const person = await seedIndividual();
    const [req] = await db.insert(removalRequests).values({ userId: person.id, status: 'review', consentVersion: 'test', consentedAt: new Date() }).returning();
    const target = rows.filter((r) => r.label === s.labels[0]);
    const facesOfTarget = await db
      .select({ id: faces.id, itemId: faces.itemId })
      .from(faces)
      .where(sql`${faces.itemId} in ${target.map((t) => t.id)}`);
    const matches = await db
      .insert(requestMatches)
      .values(facesOfTarget.map((f) => ({ requestId: req.id, faceId: f.id, itemId: f.itemId, datasetId: ds.id, distance: 0.2, tier: 'shown' as const })))
      .returning();
    await submitRequest({ userId: person.id, requestId: req.id, input: { confirmedMatchIds: matches.map((m) => m.id), includePossible: false, attest: true } });
    await stopBoss();

    const first = await worker('unlearn.before-release');
    assert.equal(first.signal, 'SIGKILL', 'the first worker died at the failpoint');
    assert.equal((await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id))).length, 1, 'nothing was released');
    assert.deepEqual(
      (await db.select({ s: removalTasks.status }).from(removalTasks).where(eq(removalTasks.requestId, req.id))).map((t) => t.s),
      ['unlearning'],
    );

    const second = await worker('certify.after-sign');
    assert.equal(second.signal, 'SIGKILL', 'the second worker died after signing');
    assert.equal((await db.select().from(certificates).where(eq(certificates.requestId, req.id))).length, 1);
    const [mid] = await db.select().from(removalRequests).where(eq(removalRequests.id, req.id));
    assert.notEqual(mid.status, 'completed');

    const third = worker();
    try {
      for (let i = 0; i < 240; i++) {
        const [r] = await db.select({ status: removalRequests.status }).from(removalRequests).where(eq(removalRequests.id, req.id));
        if (r.status === 'completed') break;
        await new Promise((res) => setTimeout(res, 500));
      }
    } finally {
      third.child.kill('SIGTERM');
      await third;
    }
    const [end] = await db.select().from(removalRequests).where(eq(removalRequests.id, req.id));
    assert.equal(end.status, 'completed');
    assert.deepEqual(
      (await db.select({ v: modelVersions.version }).from(modelVersions).where(eq(modelVersions.modelId, model.id))).map((v) => v.v).sort(),
      [1, 2],
      'one new version',
    );
    assert.equal((await db.select().from(certificates).where(eq(certificates.requestId, req.id))).length, 1, 'one certificate');
    assert.equal((await db.select().from(logLeaves)).length, 1, 'one log entry');
  });
});
