import { z } from 'zod';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Version 1 of forgetme's face-removal predicate. Verifiers refuse other major versions. */
export const PREDICATE_TYPE = 'https://forgetme.dev/attestations/face-removal/v1';
export const PREDICATE_MAJOR = 1;

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
    residual: z.number().nullable().describe('The released model\'s gradient residual on the perturbed objective'),
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

export const predicateSchema = z.object({
  version: z.string().regex(/^\d+\.\d+$/),
  certificateId: z.string(),
  requestId: z.string().describe('Pseudonymous: the person is not named'),
  organization: z.object({ id: z.string(), name: z.string() }),
  issuedAt: z.iso.datetime(),
  datasets: z.array(z.object({ id: z.string(), name: z.string(), removedItems: z.number().int(), confirmedItems: z.number().int(), unreviewedItems: z.number().int(), manifestSha256: sha256 })),
  models: z.array(modelRemoval),
  scope: z.string(),
  software: z.string(),
});

export const statementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string(), digest: z.object({ sha256 }) })).min(1),
  predicateType: z.string(),
  predicate: z.unknown(),
});

export type Predicate = z.infer<typeof predicateSchema>;
export type Statement = z.infer<typeof statementSchema> & { predicate: Predicate };

export const SCOPE =
  'Covers the identity-recognition head (a linear model over a fixed public face descriptor, faceapi-128) trained by forgetme for this partner on the listed datasets. ' +
  'It does not cover copies of the images or models held elsewhere, other models the partner trains, or the public descriptor network itself.';
