import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { datasetItems, datasets, faces, ingests, type Dataset, type Ingest } from '@/db/schema';
import { EMBEDDING_MODEL } from '@/lib/faces/face-api';
import { decodeCursor, keyset, page, type PageQuery } from '@/lib/http/pagination';
import { notFound } from '@/lib/http/org-scope';
import type { DatasetItemView, DatasetView, IngestView } from './schemas';

/** The dataset, if it belongs to the organisation; otherwise not found (another organisation's ids leak nothing). */
export async function requireDataset(tx: Executor, organizationId: string, datasetId: string): Promise<Dataset> {
  const [row] = await tx
    .select()
    .from(datasets)
    .where(and(eq(datasets.id, datasetId), eq(datasets.organizationId, organizationId)));
  if (!row) throw notFound('dataset');
  return row;
}

async function view(tx: Executor, d: Dataset): Promise<DatasetView> {
  const [c] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      pending: sql<number>`count(*) filter (where ${datasetItems.status} = 'pending')::int`,
      embedded: sql<number>`count(*) filter (where ${datasetItems.status} = 'embedded')::int`,
      failed: sql<number>`count(*) filter (where ${datasetItems.status} = 'failed')::int`,
      removed: sql<number>`count(*) filter (where ${datasetItems.removedAt} is not null)::int`,
      identities: sql<number>`count(distinct ${datasetItems.label}) filter (where ${datasetItems.removedAt} is null)::int`,
    })
    .from(datasetItems)
    .where(eq(datasetItems.datasetId, d.id));
  const [f] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(faces)
    .where(and(eq(faces.datasetId, d.id), eq(faces.removed, false)));
  const { identities, ...items } = c;
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    embeddingModel: EMBEDDING_MODEL,
    items,
    faces: f.n,
    identities,
    createdAt: d.createdAt.toISOString(),
  };
}

export async function getDataset(organizationId: string, datasetId: string): Promise<DatasetView> {
  const db = await getDb();
  return view(db, await requireDataset(db, organizationId, datasetId));
}

export async function listDatasets(organizationId: string, q: PageQuery) {
  const db = await getDb();
  const k = keyset(datasets.createdAt, datasets.id, decodeCursor(q.cursor));
  const rows = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.organizationId, organizationId), k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  const p = page(rows, q.limit, (r) => r);
  return { data: await Promise.all(p.data.map((d) => view(db, d))), nextCursor: p.nextCursor };
}

export function ingestView(i: Ingest): IngestView {
  return {
    id: i.id,
    datasetId: i.datasetId,
    status: i.status,
    total: i.total,
    created: i.created,
    processed: i.processed,
    failed: i.failed,
    progress: i.created ? Math.min(1, i.processed / i.created) : 1,
    skipped: i.skipped,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt?.toISOString() ?? null,
  };
}

export async function getIngest(organizationId: string, datasetId: string, ingestId: string): Promise<IngestView> {
  const db = await getDb();
  await requireDataset(db, organizationId, datasetId);
  const [row] = await db
    .select()
    .from(ingests)
    .where(and(eq(ingests.id, ingestId), eq(ingests.datasetId, datasetId)));
  if (!row) throw notFound('ingest');
  return ingestView(row);
}

export async function listIngests(organizationId: string, datasetId: string, q: PageQuery) {
  const db = await getDb();
  await requireDataset(db, organizationId, datasetId);
  const k = keyset(ingests.createdAt, ingests.id, decodeCursor(q.cursor));
  const rows = await db
    .select()
    .from(ingests)
    .where(and(eq(ingests.datasetId, datasetId), k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  return page(rows, q.limit, ingestView);
}

export async function listItems(organizationId: string, datasetId: string, q: PageQuery & { status?: 'pending' | 'embedded' | 'failed' }) {
  const db = await getDb();
  await requireDataset(db, organizationId, datasetId);
  const k = keyset(datasetItems.createdAt, datasetItems.id, decodeCursor(q.cursor));
  const rows = await db
    .select({
      id: datasetItems.id,
      externalId: datasetItems.externalId,
      label: datasetItems.label,
      sha256: datasetItems.sha256,
      status: datasetItems.status,
      error: datasetItems.error,
      removedAt: datasetItems.removedAt,
      createdAt: datasetItems.createdAt,
      faces: sql<number>`(select count(*)::int from faces f where f.item_id = dataset_items.id)`,
    })
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, datasetId), q.status ? eq(datasetItems.status, q.status) : undefined, k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  return page(rows, q.limit, (r): DatasetItemView => ({ ...r, createdAt: r.createdAt.toISOString(), removedAt: r.removedAt?.toISOString() ?? null }));
}
