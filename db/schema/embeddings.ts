import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { datasetItems } from './datasets';
import { organizations } from './organizations';

/** Raw bytes (PostgreSQL bytea) as a Buffer, on PGlite and node-postgres alike. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});

/**
 * A partner's own embedding network, registered so that forgetme can train and unlearn the
 * partner's identity head on the partner's vectors (lib/embeddings). What it was trained on is the
 * partner's statement, shown in every certificate's scope: the guarantee assumes the network never
 * saw the photos it removes.
 */
export const embeddingModels = pgTable(
  'embedding_models',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    version: text().notNull(),
    dimension: integer().notNull(),
    trainingData: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('embedding_models_org_name_version_key').on(t.organizationId, t.name, t.version),
    check('embedding_models_dimension_range', sql`${t.dimension} between 64 and 2048`),
  ],
);

/**
 * One item's vector from a partner's embedding model: `dimension` little-endian float32 (4 bytes
 * each). Written once; the same vector sent again is a no-op, a different one is refused
 * (lib/embeddings/store-features.ts), so a trained model's vectors never change under it.
 */
export const itemFeatures = pgTable(
  'item_features',
  {
    itemId: uuid()
      .notNull()
      .references(() => datasetItems.id),
    embeddingModelId: uuid()
      .notNull()
      .references(() => embeddingModels.id),
    vector: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.embeddingModelId] }), index('item_features_model_idx').on(t.embeddingModelId)],
);

export type EmbeddingModel = typeof embeddingModels.$inferSelect;
