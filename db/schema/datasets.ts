import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  vector,
} from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { organizations } from './organizations';

export const datasetItemStatus = pgEnum('dataset_item_status', ['pending', 'embedded', 'failed']);
export const ingestStatus = pgEnum('ingest_status', ['queued', 'running', 'completed']);

/** A partner's registered face training set. */
export const datasets = pgTable(
  'datasets',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    description: text().notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('datasets_org_idx').on(t.organizationId)],
);

/**
 * One upload into a dataset (a zip archive or multipart files, with a manifest). The upload is
 * validated as a whole before anything is stored; the embedding job then works through its items
 * and counts them here, so the console can show progress.
 */
export const ingests = pgTable(
  'ingests',
  {
    id: id(),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id),
    status: ingestStatus().notNull().default('queued'),
    /** Rows in the manifest. */
    total: integer().notNull(),
    /** Items created by this ingest (rows whose id or image the dataset already had are skipped). */
    created: integer().notNull(),
    skipped: jsonb().$type<{ externalId: string; code: 'duplicate_id' | 'duplicate_image' | 'removed_image'; message: string }[]>().notNull(),
    processed: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    createdAt: createdAt(),
    finishedAt: at(),
  },
  (t) => [index('ingests_dataset_idx').on(t.datasetId)],
);

/** One training image: the partner's own id and label, the image blob, and whether it was removed. */
export const datasetItems = pgTable(
  'dataset_items',
  {
    id: id(),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id),
    externalId: text().notNull(),
    label: text().notNull(),
    /** The image's sha256, which is also its key in the blob store. */
    sha256: text().notNull(),
    ingestId: uuid().references(() => ingests.id),
    status: datasetItemStatus().notNull().default('pending'),
    error: jsonb().$type<{ code: string; message: string }>(),
    /** The whole picture's perceptual hash (lib/faces/image-hash.ts), set at ingest; null before migration 0024. */
    imageHash: bigint({ mode: 'bigint' }),
    removedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('dataset_items_external_key').on(t.datasetId, t.externalId),
    uniqueIndex('dataset_items_sha256_key').on(t.datasetId, t.sha256),
    index('dataset_items_ingest_idx').on(t.ingestId, t.status),
    index('dataset_items_label_idx').on(t.datasetId, t.label),
    // The removed items of a set (training and the held-out samples leave them out; uploads refuse their images).
    index('dataset_items_removed_idx')
      .on(t.datasetId)
      .where(sql`${t.removedAt} is not null`),
  ],
);

/**
 * Every face found in a training image, with its descriptor and the id of the model that made it
 * (descriptors of different models are never compared). `removed` mirrors the item's removal so
 * the matcher's index scan can filter it without a join.
 */
export const faces = pgTable(
  'faces',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    itemId: uuid()
      .notNull()
      .references(() => datasetItems.id),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id),
    faceIndex: integer().notNull(),
    box: real().array().notNull(),
    score: real().notNull(),
    /** A JPEG crop of the face alone (blob key), the only image of it a requester is ever shown. */
    thumbnailSha256: text(),
    embedding: vector({ dimensions: 128 }).notNull(),
    embeddingModel: text().notNull(),
    /**
     * Mean distance to the k nearest faces of the matcher's public cohort (lib/matcher/cohort.ts),
     * for the cohort-normalised distance. Null until computed: at ingest, or by the matcher for
     * rows stored before it had a cohort.
     */
    cohortDistance: real(),
    /** The perceptual hash of the region its eyes and mouth frame (lib/faces/image-hash.ts); null: not computed or too small. */
    regionHash: bigint({ mode: 'bigint' }),
    removed: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('faces_item_face_key').on(t.itemId, t.faceIndex),
    index('faces_dataset_idx').on(t.datasetId),
    index('faces_model_cohort_distance_idx')
      .on(t.embeddingModel, t.cohortDistance)
      .where(sql`not ${t.removed}`),
    // ef_construction 128 (pgvector's default is 64): at 1M faces the default graph let the search
    // miss 0.8-2.8 % of the faces inside the possible tier at ef_search 200; this one missed none
    // (bench/matcher-search.ts). It costs index build time (324 s against 171 s at 1M), not search time.
    index('faces_embedding_hnsw')
      .using('hnsw', t.embedding.op('vector_l2_ops'))
      .with({ m: 16, ef_construction: 128 })
      .where(sql`not ${t.removed}`),
  ],
);

/**
 * Each label's template: the mean descriptor of its faces still in the training set, for the
 * matcher's identity-level decision (lib/matcher/label-templates.ts). Rewritten in the same
 * transaction as whatever changes a label's faces (an ingest's completion, a removal);
 * `cohortDistance` as for faces (null until the matcher fills it).
 */
export const labelTemplates = pgTable(
  'label_templates',
  {
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id),
    embeddingModel: text().notNull(),
    label: text().notNull(),
    faces: integer().notNull(),
    template: vector({ dimensions: 128 }).notNull(),
    cohortDistance: real(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Label before model: a refresh names a training set's labels, not their models, and reaches
    // them through this key (model first, each refresh scanned every template of the set).
    primaryKey({ columns: [t.datasetId, t.label, t.embeddingModel] }),
    index('label_templates_hnsw').using('hnsw', t.template.op('vector_l2_ops')).with({ m: 16, ef_construction: 128 }),
    // Each search reads the largest cohort distance (its radius) and looks for templates without one:
    // without this index both scanned every template (100,000 at 1M faces).
    index('label_templates_model_cohort_distance_idx').on(t.embeddingModel, t.cohortDistance),
  ],
);

export type Dataset = typeof datasets.$inferSelect;
export type DatasetItem = typeof datasetItems.$inferSelect;
export type Face = typeof faces.$inferSelect;
export type Ingest = typeof ingests.$inferSelect;
