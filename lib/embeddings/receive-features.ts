import { and, eq, inArray } from 'drizzle-orm';
import { getDb, type Transaction } from '@/db/client';
import { datasetItems, itemFeatures } from '@/db/schema';
import type { Actor } from '@/lib/audit/events';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { requireDataset } from '@/lib/datasets/get-datasets';
import { AppError } from '@/lib/errors/app-error';
import { collect, readMultipart } from '@/lib/http/read-multipart';
import { requireEmbeddingModel } from './embedding-models';
import { NpyError, parseJsonLines, parseNpy, type ParsedFeatures, type ParsedVector } from './parse-features';
import type { FeatureRefusal } from './schemas';
import { encodeVector } from './vector-bytes';

/** Refusals listed in an error's details; the count says how many there were in all. */
const LISTED = 100;
const INSERT_CHUNK = 1000;

/** An upload's `features` part as vectors: a .npy array (with its `ids` part) or JSON lines. */
function parseUpload(features: Buffer, ids: Buffer | null, dimension: number): Promise<ParsedFeatures> | ParsedFeatures {
  if (features.subarray(0, 6).toString('latin1') === '\x93NUMPY') {
    if (!ids) throw new AppError('validation_failed', 'A .npy upload needs an "ids" part: the external id of each row, one per line, in order.');
    try {
      return parseNpy(
        features,
        ids
          .toString('utf8')
          .replace(/\r?\n$/, '')
          .split(/\r?\n/),
        dimension,
      );
    } catch (err) {
      if (err instanceof NpyError) throw new AppError('validation_failed', err.message);
      throw err;
    }
  }
  if (ids) throw new AppError('validation_failed', 'An "ids" part goes with a .npy array only; JSON lines carry each id on its line.');
  return parseJsonLines(features.toString('utf8').split('\n'), dimension);
}

function refuse(refusals: FeatureRefusal[], received: number): never {
  const first = refusals[0];
  const where = first.line === null ? '' : `line ${first.line}${first.externalId === null ? '' : ` (item "${first.externalId}")`}: `;
  throw new AppError(
    'validation_failed',
    `${refusals.length} of ${received} vectors were refused and nothing was stored. The first, ${where}${first.message}`,
    {
      refused: refusals.length,
      refusals: refusals.slice(0, LISTED),
    },
  );
}

/**
 * Stores an upload's vectors in one transaction, or none of them. Each must name a live item of
 * the dataset; a vector the item already has from this embedding model is left as it is
 * (`unchanged`: the upload sent again), a different one is refused (vectors never change under a
 * trained model). The insert settles races: a row another upload wrote first is compared, not
 * overwritten.
 */
async function storeVectors(tx: Transaction, datasetId: string, embeddingModelId: string, vectors: ParsedVector[]) {
  const refusals: FeatureRefusal[] = [];
  const items = new Map<string, { id: string; removed: boolean }>();
  for (let i = 0; i < vectors.length; i += INSERT_CHUNK) {
    const externalIds = vectors.slice(i, i + INSERT_CHUNK).map((v) => v.externalId);
    const rows = await tx
      .select({ id: datasetItems.id, externalId: datasetItems.externalId, removedAt: datasetItems.removedAt })
      .from(datasetItems)
      .where(and(eq(datasetItems.datasetId, datasetId), inArray(datasetItems.externalId, externalIds)));
    for (const r of rows) items.set(r.externalId, { id: r.id, removed: r.removedAt !== null });
  }
  const known: { itemId: string; v: ParsedVector }[] = [];
  for (const v of vectors) {
    const item = items.get(v.externalId);
    const at = { line: v.line, externalId: v.externalId };
    if (!item) refusals.push({ ...at, code: 'unknown_item', message: 'The dataset has no item with this external id; upload its image first.' });
    else if (item.removed) refusals.push({ ...at, code: 'removed_item', message: 'This item was removed from the training set by a removal request.' });
    else known.push({ itemId: item.id, v });
  }
  if (refusals.length) return { refusals, stored: 0 };
  let stored = 0;
  for (let i = 0; i < known.length; i += INSERT_CHUNK) {
    const chunk = known.slice(i, i + INSERT_CHUNK).map((k) => ({ ...k, bytes: encodeVector(k.v.vector) }));
    const inserted = await tx
      .insert(itemFeatures)
      .values(chunk.map((k) => ({ itemId: k.itemId, embeddingModelId, vector: k.bytes })))
      .onConflictDoNothing()
      .returning({ itemId: itemFeatures.itemId });
    stored += inserted.length;
    const fresh = new Set(inserted.map((r) => r.itemId));
    const others = chunk.filter((k) => !fresh.has(k.itemId));
    if (!others.length) continue;
    const existing = await tx
      .select({ itemId: itemFeatures.itemId, vector: itemFeatures.vector })
      .from(itemFeatures)
      .where(
        and(
          eq(itemFeatures.embeddingModelId, embeddingModelId),
          inArray(
            itemFeatures.itemId,
            others.map((k) => k.itemId),
          ),
        ),
      );
    const before = new Map(existing.map((r) => [r.itemId, r.vector]));
    for (const k of others)
      if (!before.get(k.itemId)?.equals(k.bytes))
        refusals.push({
          line: k.v.line,
          externalId: k.v.externalId,
          code: 'conflicting_vector',
          message: 'This item already has a different vector from this embedding model; stored vectors are never replaced (register a new model version).',
        });
  }
  return { refusals, stored };
}

/**
 * A features upload from the API (multipart: `embeddingModelId`, a `features` file of JSON lines
 * or a .npy array, and for .npy an `ids` file), read with the body's limit enforced as it arrives.
 * All or nothing: any refused vector refuses the upload, every refusal named by line and item.
 */
export async function receiveFeatures(request: Request, opts: { organizationId: string; datasetId: string; actor: Actor; maxBytes: number }) {
  const db = await getDb();
  await requireDataset(db, opts.organizationId, opts.datasetId);
  const parts = new Map<string, Buffer>();
  const { fields } = await readMultipart(request, {
    limits: { maxBytes: opts.maxBytes, maxFileBytes: opts.maxBytes, maxFiles: 2, maxFieldBytes: 200 },
    fileFields: ['features', 'ids'],
    textFields: ['embeddingModelId'],
    onFile: async ({ field, stream }) => {
      if (parts.has(field)) throw new AppError('validation_failed', `Send one "${field}" part.`);
      parts.set(field, await collect(stream));
    },
  });
  const embeddingModelId = fields.get('embeddingModelId');
  if (!embeddingModelId) throw new AppError('validation_failed', 'Name the embedding model: the "embeddingModelId" field.');
  const model = await requireEmbeddingModel(db, opts.organizationId, embeddingModelId);
  const features = parts.get('features');
  if (!features) throw new AppError('validation_failed', 'The upload needs a "features" part: JSON lines {"id", "vector"} or a .npy array.');
  const parsed = await parseUpload(features, parts.get('ids') ?? null, model.dimension);
  const received = parsed.vectors.length + parsed.refusals.length;
  if (!received) throw new AppError('validation_failed', 'The "features" part holds no vectors.');
  if (parsed.refusals.length) refuse(parsed.refusals, received);
  return db.transaction(async (tx) => {
    const r = await storeVectors(tx, opts.datasetId, model.id, parsed.vectors);
    if (r.refusals.length) refuse(r.refusals, received);
    await recordAuditEvent(tx, {
      actor: opts.actor,
      organizationId: opts.organizationId,
      event: {
        action: 'dataset.features_imported',
        subject: { type: 'dataset', id: opts.datasetId },
        data: { embeddingModelId: model.id, stored: r.stored, unchanged: received - r.stored },
      },
    });
    return { embeddingModelId: model.id, received, stored: r.stored, unchanged: received - r.stored };
  });
}
