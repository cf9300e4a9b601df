import fs from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/db/client';
import { models, modelVersions, type Model, type ModelVersion } from '@/db/schema';
import { blobPath, blobStream } from '@/lib/blobs/blob-store';
import { decodeCursor, keyset, page, type PageQuery } from '@/lib/http/pagination';
import { notFound } from '@/lib/http/org-scope';
import type { ModelVersionView, ModelView } from './schemas';
import { weightsFileName } from './version-files';
import { versionManifest } from './version-manifest';

export function versionView(v: ModelVersion): ModelVersionView {
  return {
    id: v.id,
    modelId: v.modelId,
    version: v.version,
    reason: v.reason,
    parentId: v.parentId,
    weightsSha256: v.weightsSha256,
    classes: v.classes,
    samples: v.samples,
    accuracy: v.accuracy,
    budgetUsed: v.budgetUsed,
    deployedAt: v.deployedAt?.toISOString() ?? null,
    createdAt: v.createdAt.toISOString(),
  };
}

export async function requireModel(tx: Executor, organizationId: string, modelId: string): Promise<Model> {
  const [row] = await tx
    .select()
    .from(models)
    .where(and(eq(models.id, modelId), eq(models.organizationId, organizationId)));
  if (!row) throw notFound('model');
  return row;
}

async function view(tx: Executor, m: Model): Promise<ModelView> {
  const [latest] = await tx.select().from(modelVersions).where(eq(modelVersions.modelId, m.id)).orderBy(desc(modelVersions.version)).limit(1);
  return {
    id: m.id,
    name: m.name,
    datasetId: m.datasetId,
    kind: m.kind,
    embeddingModelId: m.embeddingModelId,
    params: m.params,
    status: m.status,
    progress: m.progress,
    error: m.error ?? null,
    latestVersion: latest ? versionView(latest) : null,
    createdAt: m.createdAt.toISOString(),
  };
}

export async function getModel(organizationId: string, modelId: string): Promise<ModelView> {
  const db = await getDb();
  return view(db, await requireModel(db, organizationId, modelId));
}

export async function listModels(organizationId: string, q: PageQuery & { datasetId?: string }) {
  const db = await getDb();
  const k = keyset(models.createdAt, models.id, decodeCursor(q.cursor));
  const rows = await db
    .select()
    .from(models)
    .where(and(eq(models.organizationId, organizationId), q.datasetId ? eq(models.datasetId, q.datasetId) : undefined, k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  const p = page(rows, q.limit, (r) => r);
  return { data: await Promise.all(p.data.map((m) => view(db, m))), nextCursor: p.nextCursor };
}

/** Every version of a model, newest first (a model has few: one per release). */
export async function listVersions(organizationId: string, modelId: string): Promise<ModelVersionView[]> {
  const db = await getDb();
  await requireModel(db, organizationId, modelId);
  const rows = await db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.version));
  return rows.map(versionView);
}

export async function requireVersion(tx: Executor, organizationId: string, modelId: string, version: number): Promise<ModelVersion> {
  await requireModel(tx, organizationId, modelId);
  const [row] = await tx
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, version)));
  if (!row) throw notFound('model version');
  return row;
}

export async function getVersion(organizationId: string, modelId: string, version: number): Promise<ModelVersionView> {
  const db = await getDb();
  return versionView(await requireVersion(db, organizationId, modelId, version));
}

export async function getVersionManifest(organizationId: string, modelId: string, version: number) {
  const db = await getDb();
  return versionManifest(await requireVersion(db, organizationId, modelId, version));
}

/** The weights file of a version, as a stream with its size and digest. */
export async function openWeights(organizationId: string, modelId: string, version: number) {
  const db = await getDb();
  const v = await requireVersion(db, organizationId, modelId, version);
  const fileName = weightsFileName(v.files);
  const sha256 = v.files[fileName];
  const { size } = await fs.promises.stat(blobPath(sha256));
  return { fileName, sha256, bytes: size, stream: blobStream(sha256) };
}
