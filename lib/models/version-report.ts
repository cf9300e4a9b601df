import { z } from 'zod';

/**
 * What a model version records of how it was made: one schema for every writer (training,
 * removal, re-noising) and every reader (the certificate's predicate, the replay, the pages).
 * Stored in model_versions.report; reports written before this schema (no `schema` field) are
 * read as `legacy` and never feed a new certificate.
 */
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** Digests of a version's files (plaintext sha256, as model.json lists them) except the secret noise and its salt. */
export const fileDigestsSchema = z.record(z.string(), sha256);

/** The commitments a certificate carries for one release (docs/certificate.md, "Commitments"). */
export const commitmentsSchema = z.object({
  /** Hiding commitment SHA-256(domain ‖ salt ‖ b) to the release's noise; null for SISA (no noise). */
  noiseAfter: sha256.nullable(),
  noiseBefore: sha256.nullable(),
  trainingManifestBefore: sha256,
  trainingManifestAfter: sha256,
  removedItems: sha256,
  modelJsonBefore: sha256,
  modelJsonAfter: sha256,
  filesBefore: fileDigestsSchema,
  filesAfter: fileDigestsSchema,
});
export type Commitments = z.infer<typeof commitmentsSchema>;

const timings = z.record(z.string(), z.number());

/** lib/unlearning/forgetting-evidence.ts ForgettingEvidence: per-person evidence, not the guarantee. */
export const forgettingEvidenceSchema = z.object({
  method: z.literal('lira-per-person'),
  photos: z.number().int(),
  classes: z.array(z.string()),
  pairs: z.number().int(),
  shadows: z.number().int(),
  power: z.object({ auc: z.number(), tprAtFpr: z.object({ fpr: z.number(), tpr: z.number() }) }),
  released: z.object({
    statistic: z.number(),
    pValue: z.number(),
    deviation: z.number(),
    deviationPValue: z.number(),
    verdict: z.enum(['indistinguishable', 'flagged']),
  }),
  empiricalEpsilon: z.object({ membership: z.number(), deviation: z.number(), residualDirection: z.number(), max: z.number() }),
  seconds: z.number(),
});

export const trainedReportSchema = z.object({
  schema: z.literal(2),
  kind: z.literal('trained'),
  method: z.enum(['newton-certified', 'sisa']),
  seconds: z.number(),
  classes: z.number().int(),
  samples: z.number().int(),
  holdout: z.number().int(),
  residual: z.number().nullable(),
  budget: z.number().nullable(),
  /**
   * Items that removal requests took out of the dataset while the model trained, removed from the
   * head before this first release (lib/models/removed-while-training.ts); absent when there were none.
   */
  removedBeforeRelease: z
    .object({ items: z.number().int(), method: z.enum(['newton-certified', 'retrain', 'sisa']), classesDropped: z.array(z.string()) })
    .optional(),
  /**
   * The tasks of requests submitted while the model trained that this release completed, each with
   * how many of its items the fitted head had trained on (0: left out before training read them).
   */
  tasksAtRelease: z.record(z.string(), z.number().int()).optional(),
  /** Whether the model keeps per-class step matrices (lib/unlearning/step-matrices.ts); absent from older reports. */
  stepMatrices: z
    .object({
      method: z.enum(['cached', 'conjugate-gradient']),
      reason: z.enum(['fits-and-faster', 'over-budget', 'slower', 'chosen']),
      bytes: z.number(),
      budgetBytes: z.number(),
    })
    .optional(),
});

/** A release made for removal requests (certified removal, its retraining fallback, or SISA). */
export const removalReportSchema = z.object({
  schema: z.literal(2),
  kind: z.literal('removal'),
  method: z.enum(['newton-certified', 'retrain', 'sisa']),
  engine: z.string().describe('The unlearning engine and its version'),
  params: z.record(z.string(), z.number()).describe('Every parameter the release depended on'),
  residual: z.number().nullable(),
  budget: z.number().nullable(),
  residualEstablished: z.enum(['computed', 'exact']),
  steps: z.number().int(),
  /** How the Newton steps were taken (lib/unlearning/step-matrices.ts); absent for SISA and from older reports. */
  stepMatrices: z.enum(['cached', 'conjugate-gradient']).optional(),
  retrained: z.boolean(),
  noise: z.enum(['redrawn', 'kept', 'none']),
  removedSamples: z.number().int(),
  classesDropped: z.array(z.string()),
  taskIds: z.array(z.string()),
  itemsRequested: z.number().int(),
  accuracyBefore: z.number().nullable(),
  accuracyAfter: z.number().nullable(),
  identityTest: z.number().nullable(),
  commitments: commitmentsSchema,
  /** Per task (one request's photos in this model): the per-person evidence; null where it does not apply (SISA, or none of its photos were in the model). */
  evidence: z.record(z.string(), forgettingEvidenceSchema.nullable()),
  seconds: timings,
  wallSeconds: z.number(),
  /**
   * Where the job's time went before the release (load, prepare, remove, holdout, "store and checks": storing beside the
   * accuracy and evidence on worker threads, identity, commitments; before 2026-12-02 store, accuracy and evidence apart); absent from older reports.
   */
  stageSeconds: z.record(z.string(), z.number()).optional(),
});

/** Retrained on the same data with fresh secret noise, because the version's noise came from a readable seed. */
export const renoiseReportSchema = z.object({
  schema: z.literal(2),
  kind: z.literal('renoise'),
  reason: z.string(),
  fromVersion: z.number().int(),
  residual: z.number(),
  budget: z.number(),
  seconds: z.number(),
});

export const versionReportSchema = z.discriminatedUnion('kind', [trainedReportSchema, removalReportSchema, renoiseReportSchema]);
export type VersionReport = z.infer<typeof versionReportSchema>;
export type RemovalVersionReport = z.infer<typeof removalReportSchema>;
export type TrainedReport = z.infer<typeof trainedReportSchema>;
export type RenoiseReport = z.infer<typeof renoiseReportSchema>;

/** A stored report, parsed: the typed report, or `legacy` for one written before this schema (or altered). */
export function readVersionReport(stored: unknown): VersionReport | { kind: 'legacy' } {
  const parsed = versionReportSchema.safeParse(stored);
  return parsed.success ? parsed.data : { kind: 'legacy' };
}
