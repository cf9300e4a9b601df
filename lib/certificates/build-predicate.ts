import type { RemovalVersionReport } from '@/lib/models/version-report';
import type { ForgettingEvidence } from '@/lib/unlearning/forgetting-evidence';
import { SCOPE, type Features, type PredicateV2 } from './predicate';

type VersionFacts = { version: number; weightsSha256: string; accuracy: number | null; budgetUsed: number };

/** One model's part in a certificate: the versions before and after, and the report of the release between them (null: no release). */
export type ModelRelease = {
  model: { id: string; name: string; kind: 'newton-certified' | 'sisa'; params: Record<string, number> };
  /** What the head was trained on. */
  features: Features;
  before: VersionFacts;
  after: VersionFacts & { noiseSource: 'secret' | 'seeded' | 'none' };
  report: RemovalVersionReport | null;
  /** This request's per-person evidence in this model (null: not computed or not applicable). */
  evidence: ForgettingEvidence | null;
};

export type PredicateInput = {
  certificateId: string;
  requestId: string;
  organization: { id: string; name: string };
  issuedAt: Date;
  datasets: PredicateV2['datasets'];
  models: ModelRelease[];
  software: string;
  /** The request's search (absent for searches recorded before thresholds were). */
  search?: PredicateV2['search'];
};

export class PredicateError extends Error {}

/**
 * The version-2 predicate of a certificate, from typed facts only (no database, no clock): per
 * model the guarantee as the release report states it, and the release's evidence (engine,
 * parameters, noise, commitments). Refuses to certify a release that rests on seeded noise.
 */
export function buildPredicate(input: PredicateInput): PredicateV2 {
  return {
    version: '2.4',
    certificateId: input.certificateId,
    requestId: input.requestId,
    organization: input.organization,
    issuedAt: input.issuedAt.toISOString(),
    datasets: input.datasets,
    models: input.models.map(modelEntry),
    scope: SCOPE,
    software: input.software,
    ...(input.search ? { search: input.search } : {}),
  };
}

function modelEntry(m: ModelRelease): PredicateV2['models'][number] {
  const r = m.report;
  if (r && m.after.noiseSource === 'seeded')
    throw new PredicateError(`model ${m.model.name} v${m.after.version} rests on seeded noise: it must be re-noised before a certificate is issued`);
  const sisa = m.model.kind === 'sisa';
  const method = r ? r.method : m.model.kind;
  const params = r?.params ?? m.model.params;
  return {
    modelId: m.model.id,
    modelName: m.model.name,
    features: m.features,
    before: { version: m.before.version, weightsSha256: m.before.weightsSha256 },
    after: { version: m.after.version, weightsSha256: m.after.weightsSha256 },
    method,
    guarantee: {
      epsilon: sisa ? 0 : (params.epsilon ?? 0),
      delta: sisa ? 0 : (params.delta ?? 0),
      sigma: sisa ? null : (params.sigma ?? null),
      lambda: params.lambda ?? 0,
      residual: r?.residual ?? null,
      residualBound: r?.budget ?? null,
      residualEstablished: method === 'newton-certified' ? 'computed' : 'exact',
      budgetUsed: m.after.budgetUsed,
    },
    retrained: r?.retrained ?? false,
    samplesRemoved: r?.removedSamples ?? 0,
    classesDropped: r?.classesDropped.length ?? 0,
    accuracy: { before: m.before.accuracy, after: m.after.accuracy },
    identityTest: r?.identityTest != null ? { removedIdentityTopRate: r.identityTest, strangersTopRate: null } : null,
    evidence: m.evidence,
    release: r
      ? {
          engine: r.engine,
          params: r.params,
          noise: { source: sisa ? 'none' : 'secret', redrawn: r.noise === 'redrawn' },
          steps: r.steps,
          commitments: r.commitments,
        }
      : null,
  };
}
