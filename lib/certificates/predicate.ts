import { z } from 'zod';
import { commitmentsSchema, forgettingEvidenceSchema } from '@/lib/models/version-report';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/**
 * forgetme's face-removal predicate. Version 2 (issued now) adds, per model, the release's
 * evidence: engine, every parameter, whether the noise was redrawn, and commitments to the noise,
 * the training manifests, the removed items and the model files. Version 1 certificates still
 * verify, with the notice that their noise was derivable (V1_NOTICE). Verifiers refuse other majors.
 * Version 2.1 adds `search`: the registry searched, the thresholds in force and the expected strangers.
 * Version 2.2 adds, per model, `features`: what the head was trained on (forgetme's descriptor or the partner's network).
 * Version 2.3 adds `search.strangersCounted`: 'photos' when the expected strangers count stranger photos (absent: people).
 * Version 2.4 adds `search.largeLabel`: the chance per search, at most, of taking a stranger's label of more than so many photos.
 * Version 2.5 adds `firstReleases`: models that were training on the sets when the request was submitted, released after it without the photos.
 */
export const PREDICATE_TYPE = 'https://forgetme.dev/attestations/face-removal/v2';
export const PREDICATE_TYPE_V1 = 'https://forgetme.dev/attestations/face-removal/v1';
export const PREDICATE_MAJORS = [1, 2] as const;

export const V1_NOTICE =
  'Issued before secret noise (predicate v1): the noise behind this removal was derived from a seed that the partner chose or could read, ' +
  'so its (ε, δ) guarantee did not hold against the partner. The signature, the log entry and the removal of the items are unaffected; ' +
  'the model has since been retrained with fresh secret noise, and later certificates rest on it.';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex sha256');

const modelRemoval = z.object({
  modelId: z.string(),
  modelName: z.string(),
  before: z.object({ version: z.number().int(), weightsSha256: sha256 }),
  after: z.object({ version: z.number().int(), weightsSha256: sha256 }),
  method: z.enum(['newton-certified', 'sisa', 'retrain']),
  guarantee: z.object({
    epsilon: z.number(),
    delta: z.number(),
    sigma: z.number().nullable(),
    lambda: z.number(),
    residual: z.number().nullable().describe("The released model's gradient residual on the perturbed objective"),
    residualBound: z.number().nullable().describe('ε′ = σε/c: the residual every certified release must stay under'),
    residualEstablished: z.enum(['computed', 'bounded', 'exact']),
    budgetUsed: z.number().describe('Fraction of the removal budget used by this version'),
  }),
  retrained: z.boolean(),
  samplesRemoved: z.number().int(),
  classesDropped: z.number().int(),
  accuracy: z.object({ before: z.number().nullable(), after: z.number().nullable() }),
  identityTest: z.object({ removedIdentityTopRate: z.number().nullable(), strangersTopRate: z.number().nullable() }).nullable(),
});

/** What a version-2 certificate adds per model: how the release was made and what it commits to. */
export const releaseEvidenceSchema = z.object({
  engine: z.string(),
  params: z.record(z.string(), z.number()).describe('Every parameter the release depended on (never the noise)'),
  noise: z.object({ source: z.enum(['secret', 'none']), redrawn: z.boolean() }),
  steps: z.number().int(),
  commitments: commitmentsSchema,
});

/** What the head was trained on (since predicate 2.2): forgetme's face descriptor or the partner's registered embedding model. */
export const featuresSchema = z.object({
  source: z.enum(['forgetme', 'partner']),
  name: z.string(),
  version: z.string(),
  dimension: z.number().int(),
  trainingData: z.string().describe("What the embedding network was trained on: for a partner's network, the partner's own statement"),
});

const modelRemovalV2 = modelRemoval.extend({
  features: featuresSchema.optional().describe('The features the head was trained on (absent before predicate 2.2: forgetme’s descriptor)'),
  release: releaseEvidenceSchema.nullable().describe('Null when none of the items were in the model (held out): no release'),
  evidence: forgettingEvidenceSchema
    .nullable()
    .describe("Per-person evidence of forgetting (a membership test of this request's photos): evidence, not the guarantee"),
});

/**
 * Since predicate 2.5: a model that was training on the sets when the request was submitted. Its
 * training had read the set before the request; its first version was released after it, with
 * the photos the training had read taken out of the fitted head first, so no released version of
 * it ever held them. The guarantee is that of that removal (exact when it had read none).
 */
export const firstReleaseSchema = z.object({
  modelId: z.string(),
  modelName: z.string(),
  features: featuresSchema,
  version: z.number().int(),
  weightsSha256: sha256,
  photosTrainedOn: z
    .number()
    .int()
    .describe("This request's photos the training had read, taken out of the head before its release (0: left out before it read them)"),
  method: z.enum(['newton-certified', 'retrain', 'sisa']).nullable().describe('How they were taken out (null: the training had read none)'),
  guarantee: modelRemoval.shape.guarantee,
  accuracy: z.number().nullable(),
});

const tiers = z.object({ shown: z.number(), possible: z.number() });

/** What the search that found the photos covered, and the error rates it was held to (since predicate 2.1). */
export const searchEvidenceSchema = z.object({
  facesSearched: z.number().int(),
  labelsSearched: z.number().int(),
  datasetsSearched: z.number().int(),
  referenceGroups: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Groups the person's reference photos were searched as: more than one when they did not all look alike; the thresholds account for each"),
  thresholds: z.object({ photo: tiers, label: z.array(tiers.extend({ size: z.number().int() })) }),
  expectedStrangers: tiers.describe("Strangers a request could expect in each tier at these thresholds (the calibration's conservative fits)"),
  strangersCounted: z
    .enum(['photos', 'people'])
    .optional()
    .describe("What expectedStrangers counts: stranger photos (since predicate 2.3), or, when absent, stranger people (a taken label's photos counted once)"),
  largeLabel: z
    .object({ photos: z.number().int(), chance: z.number() })
    .optional()
    .describe("Since predicate 2.4: a stranger's label of more than `photos` photos was taken, in either tier, in at most `chance` of searches"),
  extrapolated: z.boolean().describe('True when a rate aimed at is below what the calibration data could count'),
  calibrated: z.string(),
});

const predicateBase = z.object({
  version: z.string().regex(/^\d+\.\d+$/),
  certificateId: z.string(),
  requestId: z.string().describe('Pseudonymous: the person is not named'),
  organization: z.object({ id: z.string(), name: z.string() }),
  issuedAt: z.iso.datetime(),
  datasets: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      removedItems: z.number().int(),
      confirmedItems: z.number().int(),
      unreviewedItems: z.number().int(),
      manifestSha256: sha256,
    }),
  ),
  scope: z.string(),
  software: z.string(),
  search: searchEvidenceSchema.optional(),
  firstReleases: z
    .array(firstReleaseSchema)
    .optional()
    .describe('Since predicate 2.5: models training when the request was submitted, whose first version left the photos out'),
});

/** Reads either version (the v2 fields optional): what displays and filters use. */
export const predicateSchema = predicateBase.extend({
  models: z.array(modelRemovalV2.extend({ release: modelRemovalV2.shape.release.optional(), evidence: modelRemovalV2.shape.evidence.optional() })),
});
/** Version 2, as issued now: every model carries its release evidence. */
export const predicateV2Schema = predicateBase.extend({ models: z.array(modelRemovalV2) });

export const statementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string(), digest: z.object({ sha256 }) })).min(1),
  predicateType: z.string(),
  predicate: z.unknown(),
});

export type Predicate = z.infer<typeof predicateSchema>;
export type PredicateV2 = z.infer<typeof predicateV2Schema>;
export type ReleaseEvidence = z.infer<typeof releaseEvidenceSchema>;
export type Features = z.infer<typeof featuresSchema>;
export type FirstRelease = z.infer<typeof firstReleaseSchema>;
export type Statement = z.infer<typeof statementSchema> & { predicate: Predicate };

export const SCOPE =
  'Covers the identity-recognition head (a linear model over fixed features: the public face descriptor faceapi-128, or the partner’s own ' +
  'embedding network named with each model) trained by forgetme for this partner on the listed datasets. ' +
  'It does not cover copies of the images or models held elsewhere, other models the partner trains, or the embedding network itself: ' +
  'the guarantee assumes that network never saw the removed photos (for a partner’s network, the partner states what it was trained on). ' +
  'The (ε, δ) guarantee (Guo et al., ICML 2020) compares the released model with one retrained from scratch without the items, ' +
  'with fresh noise in every class the items trained (their own and those that sampled them as negatives); ' +
  'a class they never trained is kept as it was, which is what retraining it on the same data with the same noise gives. ' +
  'The fresh noise is secret, drawn for this release and committed to here, so the guarantee holds for anyone who sees the released model, ' +
  'including a partner who kept earlier versions and the training data. It assumes the requests were not chosen after seeing the models (non-adaptive), ' +
  "and treats the released residual as a fixed shift of the noise, as the paper's proof does. " +
  'It says nothing of an earlier version someone still holds: no removal method, retraining included, can change a copy already made.';

/** The notice to show beside a stored certificate: V1_NOTICE for version-1 statements, else null. */
export function noticeFor(envelope: { payload: string }): string | null {
  try {
    return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).predicateType === PREDICATE_TYPE_V1 ? V1_NOTICE : null;
  } catch {
    return null;
  }
}
