import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { datasetItems } from '@/db/schema';
import { seedPartner } from '@/db/seed/factories';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { createDataset } from './create-dataset';
import { stageUpload, storeFiles } from './stage-upload';

setUpTestEnvironment();

const FILES = ['Abdullah_Gul_0001.jpg', 'Abdullah_Gul_0004.jpg', 'Adrien_Brody_0001.jpg'];
const bytes = (f: string) => fs.readFileSync(path.join('lib/faces/fixtures', f));

async function upload(org: Awaited<ReturnType<typeof seedPartner>>, datasetId: string, names: string[], prefix: string) {
  const actor = { type: 'user', id: org.admin.id } as const;
  const rows = names.map((file) => ({ externalId: `${prefix}-${file}`, label: file.split('_0')[0], file }));
  const files = await storeFiles(new Map(names.map((f) => [f, bytes(f)])));
  return stageUpload({ organizationId: org.organization.id, datasetId, actor, rows, files });
}

async function dataset(org: Awaited<ReturnType<typeof seedPartner>>, name: string) {
  return createDataset({ organizationId: org.organization.id, actor: { type: 'user', id: org.admin.id }, input: { name, description: '' } });
}

describeEachDriver('an image a removal request removed', () => {
  test('is refused when the organisation uploads it again, in any of its sets; another partner is told nothing', async () => {
    const a = await seedPartner();
    const first = await dataset(a, 'Archive 2025');
    assert.equal((await upload(a, first.id, FILES, 'v1')).created, 3);
    // What a submitted request does to an item (lib/removals/submit-request.ts).
    const db = await getDb();
    await db.update(datasetItems).set({ removedAt: new Date() }).where(eq(datasetItems.externalId, 'v1-Abdullah_Gul_0001.jpg'));

    // The whole archive registered again as a new set: all but the removed image.
    const second = await dataset(a, 'Archive 2026');
    const again = await upload(a, second.id, FILES, 'v2');
    assert.equal(again.created, 2);
    assert.deepEqual(
      again.skipped.map((s) => [s.externalId, s.code]),
      [['v2-Abdullah_Gul_0001.jpg', 'removed_image']],
    );
    assert.match(again.skipped[0].message, /removed by a removal request \(item "v1-Abdullah_Gul_0001\.jpg" of dataset "Archive 2025"\)/);
    // In the set it was removed from, under a new external id: the same answer, not a plain duplicate.
    const same = await upload(a, first.id, ['Abdullah_Gul_0001.jpg'], 'renamed');
    assert.deepEqual(
      same.skipped.map((s) => s.code),
      ['removed_image'],
    );

    // Another organisation registers the same picture: accepted, and nothing says it was removed elsewhere.
    const b = await seedPartner();
    const other = await upload(b, (await dataset(b, 'Theirs')).id, ['Abdullah_Gul_0001.jpg'], 'b');
    assert.deepEqual([other.created, other.skipped], [1, []]);
  });
});
