import { z } from 'zod';
import { unstorableText } from '@/lib/http/text-checks';

/** Text the database can store (lib/http/text-checks.ts): no NUL or unpaired surrogate, and with `singleLine` no control character. */
const storable = (min: number, max: number, singleLine: boolean, tooShort = 'is required') =>
  z
    .string()
    .trim()
    .min(min, tooShort)
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const reason = unstorableText(s, { singleLine });
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });

export const MIN_DIMENSION = 64;
export const MAX_DIMENSION = 2048;

export const registerEmbeddingModelSchema = z.strictObject({
  name: storable(1, 120, true).describe('Your name for the network, e.g. "arcface-r100".'),
  version: storable(1, 60, true).describe('Its version; a name and version pair is registered once.'),
  dimension: z.number().int().min(MIN_DIMENSION).max(MAX_DIMENSION).describe('Length of each vector (64 to 2,048).'),
  trainingData: storable(20, 2000, false, 'must say, in a sentence at least, what data the network was trained on').describe(
    'What data the network was trained on. Shown in the scope of every certificate of a model on its vectors: ' +
      'the removal guarantee covers the identity head and assumes the network itself never saw the removed photos.',
  ),
});
export type RegisterEmbeddingModelInput = z.infer<typeof registerEmbeddingModelSchema>;

export const embeddingModelSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.string(),
  dimension: z.number().int(),
  trainingData: z.string(),
  createdAt: z.iso.datetime(),
});
export type EmbeddingModelView = z.infer<typeof embeddingModelSchema>;

export const featureRefusalSchema = z.object({
  line: z.number().int().nullable().describe('Line of the JSON-lines file (1-based), or row of the .npy array (1-based).'),
  externalId: z.string().nullable().describe('The item the vector was for, when it could be read.'),
  code: z.enum(['bad_line', 'wrong_dimension', 'not_finite', 'zero_vector', 'unknown_item', 'removed_item', 'duplicate_item', 'conflicting_vector']),
  message: z.string(),
});
export type FeatureRefusal = z.infer<typeof featureRefusalSchema>;

export const featureImportSchema = z.object({
  embeddingModelId: z.uuid(),
  received: z.number().int().describe('Vectors in this upload.'),
  stored: z.number().int().describe('Vectors stored by this upload.'),
  unchanged: z.number().int().describe('Vectors the dataset already had, identical (an upload sent again).'),
});

export const featureCoverageSchema = z.object({
  embeddingModelId: z.uuid(),
  items: z.number().int().describe('Live items of the dataset whose image forgetme embedded (the items a model trains on).'),
  withVector: z.number().int(),
  withoutVector: z.number().int().describe('Those items without a vector from this embedding model: a model on it cannot be trained until they have one.'),
  missing: z.array(z.object({ externalId: z.string(), label: z.string() })).describe('Items without a vector, by external id, the first 1,000.'),
});
export type FeatureCoverage = z.infer<typeof featureCoverageSchema>;

/** Optional here so that the dataset's owner is settled first: another organisation gets 404 whatever it asks. */
export const featureCoverageQuery = z.strictObject({ embeddingModelId: z.string().max(100).optional().describe('The embedding model (required).') });
