import { z } from 'zod';

export const createDatasetSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  description: z.string().trim().max(2000).default(''),
});

export const datasetSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  embeddingModel: z.string(),
  items: z.object({ total: z.number().int(), pending: z.number().int(), embedded: z.number().int(), failed: z.number().int(), removed: z.number().int() }),
  faces: z.number().int(),
  identities: z.number().int(),
  createdAt: z.iso.datetime(),
});

export const ingestSchema = z.object({
  id: z.uuid(),
  datasetId: z.uuid(),
  status: z.enum(['queued', 'running', 'completed']),
  total: z.number().int().describe('Rows in the manifest.'),
  created: z.number().int().describe('Items this upload added.'),
  processed: z.number().int(),
  failed: z.number().int(),
  progress: z.number().min(0).max(1),
  skipped: z.array(z.object({ externalId: z.string(), code: z.enum(['duplicate_id', 'duplicate_image', 'removed_image']), message: z.string() })),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});

export const datasetItemSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  label: z.string(),
  sha256: z.string(),
  status: z.enum(['pending', 'embedded', 'failed']),
  faces: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  removedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export type DatasetView = z.infer<typeof datasetSchema>;
export type IngestView = z.infer<typeof ingestSchema>;
export type DatasetItemView = z.infer<typeof datasetItemSchema>;
