import { z } from 'zod';

/**
 * `seed` used to choose the certified-removal noise, and was published: anyone could recompute
 * the noise and void the guarantee. The noise is now drawn by the platform from a cryptographic
 * source and never disclosed; a request that still sends `seed` is refused, by name.
 */
const noSeed = z
  .never({
    error:
      'seed is not accepted: the noise of certified removal is drawn by forgetme from a cryptographic source and kept secret. ' +
      'Use subsampleSeed (newton-certified) or shardSeed (sisa) to fix the public sample assignment.',
  })
  .optional();

const newtonParams = z.strictObject({
  lambda: z.number().positive().max(10).default(1e-4).describe('L2 regularisation λ per sample.'),
  sigma: z.number().positive().max(100).default(0.01).describe('Standard deviation σ of the objective noise.'),
  epsilon: z.number().positive().max(10).default(0.1).describe('Privacy ε of every release.'),
  delta: z.number().gt(0).lt(0.01).default(1e-6).describe('Privacy δ of every release.'),
  subsample: z.number().gt(0).max(1).default(1).describe('Fraction r of negatives each class trains on.'),
  subsampleSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional()
    .describe('Chooses which negatives each class trains on when subsample < 1 (public; random when absent). The noise has no seed.'),
  subsampleByLabel: z
    .union([z.literal(0), z.literal(1)])
    .optional()
    .describe(
      '1: each class trains on every photo of a sampled label or none of them, so removing one person touches about r(K − 1) classes ' +
        'and is faster; 0 or absent: negatives are drawn photo by photo.',
    ),
  seed: noSeed,
});

const sisaParams = z.strictObject({
  shards: z.number().int().min(1).max(64).default(4),
  slices: z.number().int().min(1).max(16).default(2),
  lambda: z.number().positive().max(10).default(1e-4),
  shardSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional()
    .describe('Assigns samples to shards and slices (public; random when absent).'),
  seed: noSeed,
});

export const createModelSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    name: z.string().trim().min(1).max(120),
    datasetId: z.uuid(),
    kind: z.literal('newton-certified'),
    params: newtonParams.default(newtonParams.parse({})),
    embeddingModelId: z
      .uuid()
      .optional()
      .describe("Train on your own vectors from this registered embedding model (every trained item needs one); absent: forgetme's face descriptors."),
  }),
  z.strictObject({
    name: z.string().trim().min(1).max(120),
    datasetId: z.uuid(),
    kind: z.literal('sisa'),
    params: sisaParams.default(sisaParams.parse({})),
    embeddingModelId: z
      .uuid()
      .optional()
      .describe("Train on your own vectors from this registered embedding model (every trained item needs one); absent: forgetme's face descriptors."),
  }),
]);
export type CreateModelInput = z.infer<typeof createModelSchema>;

export const modelVersionSchema = z.object({
  id: z.uuid(),
  modelId: z.uuid(),
  version: z.number().int(),
  reason: z
    .enum(['trained', 'removal', 'retrain', 'renoise'])
    .describe('renoise: retrained with fresh secret noise because the earlier noise came from a readable seed.'),
  parentId: z.uuid().nullable(),
  weightsSha256: z.string(),
  classes: z.number().int(),
  samples: z.number().int(),
  accuracy: z.number().nullable().describe('Accuracy on the held-out items (never trained on).'),
  budgetUsed: z.number().describe('Removal budget used, as a fraction of the certified budget.'),
  deployedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const modelSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  datasetId: z.uuid(),
  kind: z.enum(['newton-certified', 'sisa']),
  embeddingModelId: z.uuid().nullable().describe("The embedding model whose vectors the head is trained on; null: forgetme's face descriptors."),
  params: z.record(z.string(), z.number()),
  status: z.enum(['training', 'ready', 'failed']),
  progress: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  latestVersion: modelVersionSchema.nullable(),
  createdAt: z.iso.datetime(),
});

export type ModelView = z.infer<typeof modelSchema>;
export type ModelVersionView = z.infer<typeof modelVersionSchema>;
