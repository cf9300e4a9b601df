import { and, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiKeys, datasetItems, datasets, models, removalTasks, webhookDeliveries, webhookEndpoints } from '@/db/schema';

export type PartnerOverview = {
  datasets: number;
  items: { embedded: number; pending: number; failed: number };
  models: number;
  removals: { open: number; certified: number; failed: number };
  webhooks: { endpoints: number; disabled: number; failing: number; failedDeliveries24h: number; pendingDeliveries: number };
  apiKeys: number;
};

/** The step of the getting-started checklist, done or not, with where to do it. */
export type ChecklistStep = { id: string; label: string; href: string; done: boolean };

/**
 * What a partner's overview shows at a glance: its training sets and their images, models, the
 * removal work that concerns it (tasks by state), its webhook endpoints' health and its API keys.
 * Counts only, each one grouped query on the organisation's own rows.
 */
export async function partnerOverview(organizationId: string): Promise<PartnerOverview> {
  const db = await getDb();
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  const [[sets], items, [modelCount], tasks, [endpoints], deliveries, [keys]] = await Promise.all([
    db.select({ n: count() }).from(datasets).where(eq(datasets.organizationId, organizationId)),
    db
      .select({ status: datasetItems.status, n: count() })
      .from(datasetItems)
      .innerJoin(datasets, eq(datasets.id, datasetItems.datasetId))
      .where(and(eq(datasets.organizationId, organizationId), isNull(datasetItems.removedAt)))
      .groupBy(datasetItems.status),
    db.select({ n: count() }).from(models).where(eq(models.organizationId, organizationId)),
    db
      .select({ status: removalTasks.status, n: count() })
      .from(removalTasks)
      .where(eq(removalTasks.organizationId, organizationId))
      .groupBy(removalTasks.status),
    db
      .select({
        n: count(),
        disabled: sql<number>`count(*) filter (where ${webhookEndpoints.disabledAt} is not null)`.mapWith(Number),
        failing: sql<number>`count(*) filter (where ${webhookEndpoints.failingSince} is not null and ${webhookEndpoints.disabledAt} is null)`.mapWith(Number),
      })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.organizationId, organizationId), isNull(webhookEndpoints.deletedAt))),
    db
      .select({ status: webhookDeliveries.status, n: count() })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          eq(webhookEndpoints.organizationId, organizationId),
          isNull(webhookEndpoints.deletedAt),
          inArray(webhookDeliveries.status, ['pending', 'failed']),
          gt(webhookDeliveries.createdAt, dayAgo),
        ),
      )
      .groupBy(webhookDeliveries.status),
    db
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, organizationId), isNull(apiKeys.revokedAt))),
  ]);
  const of = <S extends string>(rows: { status: S; n: number }[], s: S) => rows.find((r) => r.status === s)?.n ?? 0;
  return {
    datasets: sets.n,
    items: { embedded: of(items, 'embedded'), pending: of(items, 'pending'), failed: of(items, 'failed') },
    models: modelCount.n,
    removals: {
      open: of(tasks, 'pending') + of(tasks, 'unlearning') + of(tasks, 'awaiting_release'),
      certified: of(tasks, 'certified'),
      failed: of(tasks, 'failed'),
    },
    webhooks: {
      endpoints: endpoints.n,
      disabled: endpoints.disabled,
      failing: endpoints.failing,
      failedDeliveries24h: of(deliveries, 'failed'),
      pendingDeliveries: of(deliveries, 'pending'),
    },
    apiKeys: keys.n,
  };
}

/** The first steps of an integration, in order, each marked done from the overview's counts. */
export function gettingStarted(o: PartnerOverview): ChecklistStep[] {
  return [
    { id: 'dataset', label: 'Register a training set', href: '/partner/datasets', done: o.datasets > 0 },
    { id: 'upload', label: 'Upload its images (a zip and a labels.csv)', href: '/partner/datasets', done: o.items.embedded + o.items.pending > 0 },
    { id: 'model', label: 'Register the model trained on it', href: '/partner/models', done: o.models > 0 },
    { id: 'webhook', label: 'Add a webhook endpoint to hear about removals', href: '/partner/webhooks', done: o.webhooks.endpoints > 0 },
    { id: 'key', label: 'Create an API key for your pipeline', href: '/partner/keys', done: o.apiKeys > 0 },
  ];
}
