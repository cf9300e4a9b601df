import { doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id } from './columns';
import { datasets } from './datasets';
import { embeddingModels } from './embeddings';
import { organizations } from './organizations';
import type { VersionReport } from '@/lib/models/version-report';

export const modelKind = pgEnum('model_kind', ['newton-certified', 'sisa']);
export const modelStatus = pgEnum('model_status', ['training', 'ready', 'failed']);
export const versionReason = pgEnum('model_version_reason', ['trained', 'removal', 'retrain', 'renoise']);
/** Where a version's noise came from (lib/unlearning/model.ts NoiseSource); SISA versions have none. */
export const noiseSource = pgEnum('model_noise_source', ['secret', 'seeded', 'none']);

/** A partner model trained on one dataset: a linear identity head over face descriptors or the partner's own vectors (lib/unlearning). */
export const models = pgTable(
  'models',
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id),
    name: text().notNull(),
    kind: modelKind().notNull(),
    /** The partner's embedding model whose vectors the head is trained on; null: forgetme's own face descriptors. */
    embeddingModelId: uuid().references(() => embeddingModels.id),
    /** The training parameters (λ, σ, ε, δ, subsample and subsampleSeed; or shards, slices, shardSeed). Never the noise. */
    params: jsonb().$type<Record<string, number>>().notNull(),
    status: modelStatus().notNull().default('training'),
    /** 0..1 while training. */
    progress: doublePrecision().notNull().default(0),
    error: jsonb().$type<{ code: string; message: string }>(),
    createdAt: createdAt(),
  },
  (t) => [index('models_org_idx').on(t.organizationId), index('models_dataset_idx').on(t.datasetId)],
);

/**
 * An immutable release of a model. Its files (model.json, weights, caches) are blobs; `files` maps
 * each file name to its sha256. Versions are appended, never edited, except `deployedAt`, the
 * partner's acknowledgement that the version runs in production.
 */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: id(),
    modelId: uuid()
      .notNull()
      .references(() => models.id),
    version: integer().notNull(),
    parentId: uuid(),
    reason: versionReason().notNull(),
    /** `seeded`: made before secret noise; no certificate may rest on it (it is re-noised at start-up). */
    noiseSource: noiseSource().notNull(),
    files: jsonb().$type<Record<string, string>>().notNull(),
    weightsSha256: text().notNull(),
    classes: integer().notNull(),
    samples: integer().notNull(),
    /** Held-out accuracy (null when the dataset is too small to hold some out). */
    accuracy: doublePrecision(),
    /**
     * The blob of the samples held out of training that the version's accuracy was measured on
     * (lib/models/holdout-file.ts); null for versions stored before it (a removal then chooses them
     * from the dataset, training-data.ts holdoutData).
     */
    holdoutSha256: text(),
    /** Removal budget used so far, as a fraction of ε (0 for a freshly trained version). */
    budgetUsed: doublePrecision().notNull(),
    /** How the version was made (lib/models/version-report.ts; older rows hold an untyped report, read as `legacy`). */
    report: jsonb().$type<VersionReport | Record<string, unknown>>().notNull(),
    deployedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('model_versions_model_version_key').on(t.modelId, t.version)],
);

export type Model = typeof models.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;
