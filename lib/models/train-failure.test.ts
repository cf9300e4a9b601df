import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditEvents, datasets, models } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { failTraining } from './train-job';

setUpTestEnvironment();

describeEachDriver('training that cannot finish', () => {
  test('a model whose training job runs out of retries fails with the error, once, audited', async () => {
    const db = await getDb();
    const org = await seedPartner();
    const [ds] = await db.insert(datasets).values({ organizationId: org.organization.id, name: 'd' }).returning();
    const [m] = await db
      .insert(models)
      .values({ organizationId: org.organization.id, datasetId: ds.id, name: 'm', kind: 'newton-certified', params: {} })
      .returning();
    await failTraining(m.id, { code: 'job_failed', message: 'out of memory' });
    await failTraining(m.id, { code: 'again', message: 'a second call changes nothing' });
    const [after] = await db.select().from(models).where(eq(models.id, m.id));
    assert.equal(after.status, 'failed');
    assert.deepEqual(after.error, { code: 'job_failed', message: 'out of memory' });
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, m.id), eq(auditEvents.action, 'model.training_failed')));
    assert.equal(events.length, 1);
  });
});
