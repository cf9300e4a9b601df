import { getDb } from '@/db/client';
import { datasets } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { z } from 'zod';
import type { createDatasetSchema } from './schemas';

export async function createDataset(opts: { organizationId: string; actor: Actor; input: z.infer<typeof createDatasetSchema> }) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(datasets)
      .values({ organizationId: opts.organizationId, name: opts.input.name, description: opts.input.description })
      .returning();
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: { action: 'dataset.created', subject: { type: 'dataset', id: row.id }, data: { name: row.name } },
    });
    return row;
  });
}
