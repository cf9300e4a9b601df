import type { RemovalVersionReport, TrainedReport } from '@/lib/models/version-report';
import type { ForgettingEvidence } from '@/lib/unlearning/forgetting-evidence';
import { SCOPE, type Features, type FirstRelease, type PredicateV2 } from './predicate';

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

/** A model that was training when the request was submitted, and its first version, released after it (first-release-tasks.ts). */
export type FirstReleaseFacts = {
  model: ModelRelease['model'];
  features: Features;
  version: VersionFacts & { noiseSource: 'secret' | 'seeded' | 'none' };
  report: TrainedReport;
  /** This request's photos that the training had read (the task's count in report.tasksAtRelease). */
  photosTrainedOn: number;
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
  firstReleases?: FirstReleaseFacts[];
};

export class PredicateError extends Error {}

/**
 * The version-2 predicate of a certificate, from typed facts only (no database, no clock): per
 * model the guarantee as the release report states it, and the release's evidence (engine,
 * parameters, noise, commitments). Refuses to certify a release that rests on seeded noise.
 */
export function buildPredicate(input: PredicateInput): PredicateV2 {
  return {
    version: '2.5',
    certificateId: input.certificateId,
    requestId: input.requestId,
    organization: input.organization,
    issuedAt: input.issuedAt.toISOString(),
    datasets: input.datasets,
    models: input.models.map(modelEntry),
    scope: SCOPE,
    software: input.software,
    ...(input.search ? { search: input.search } : {}),
    ...(input.firstReleases?.length ? { firstReleases: input.firstReleases.map(firstReleaseEntry) } : {}),
  };
}

type Guarantee = PredicateV2['models'][number]['guarantee'];

type GuaranteeFacts = {
  kind: 'newton-certified' | 'sisa';
  method: 'newton-certified' | 'retrain' | 'sisa' | null;
  params: Record<string, number>;
  residual: number | null;
  residualBound: number | null;
  budgetUsed: number;
  /** ε = δ = 0: SISA's retraining of shards, or nothing of the person's to remove. */
  exact: boolean;
};

/** The guarantee a release states: certified on its computed residual, or exact. */
function guaranteeOf(g: GuaranteeFacts): Guarantee {
  return {
    epsilon: g.exact ? 0 : (g.params.epsilon ?? 0),
    delta: g.exact ? 0 : (g.params.delta ?? 0),
    sigma: g.kind === 'sisa' ? null : (g.params.sigma ?? null),
    lambda: g.params.lambda ?? 0,
    residual: g.residual,
    residualBound: g.residualBound,
    residualEstablished: g.method === 'newton-certified' ? 'computed' : 'exact',
    budgetUsed: g.budgetUsed,
  };
}

function firstReleaseEntry(f: FirstReleaseFacts): FirstRelease {
  const removed = f.report.removedBeforeRelease;
  if (f.photosTrainedOn > 0 && !removed)
    throw new PredicateError(
      `model ${f.model.name} v${f.version.version} trained on ${f.photosTrainedOn} of the photos but records no removal before its release`,
    );
  if (f.photosTrainedOn > 0 && f.version.noiseSource === 'seeded')
    throw new PredicateError(`model ${f.model.name} v${f.version.version} rests on seeded noise: it must be re-noised before a certificate is issued`);
  const method = f.photosTrainedOn > 0 && removed ? removed.method : null;
  const read = method !== null;
  return {
    modelId: f.model.id,
    modelName: f.model.name,
    features: f.features,
    version: f.version.version,
    weightsSha256: f.version.weightsSha256,
    photosTrainedOn: f.photosTrainedOn,
    method,
    guarantee: guaranteeOf({
      kind: f.model.kind,
      method,
      params: f.model.params,
      residual: read ? f.report.residual : null,
      residualBound: read ? f.report.budget : null,
      budgetUsed: f.version.budgetUsed,
      exact: f.model.kind === 'sisa' || !read,
    }),
    accuracy: f.version.accuracy,
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
    guarantee: guaranteeOf({
      kind: m.model.kind,
      method,
      params,
      residual: r?.residual ?? null,
      residualBound: r?.budget ?? null,
      budgetUsed: m.after.budgetUsed,
      exact: sisa,
    }),
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
