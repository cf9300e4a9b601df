import crypto from 'node:crypto';
import type { PredicateV2 } from '@/lib/certificates/predicate';

const hex = () => crypto.randomBytes(32).toString('hex');

/** A plausible model entry of a version-2 predicate, for tests of signing, logging and verifying (no release evidence). */
export function exampleModelEntry(weightsSha256: string, overrides: Partial<PredicateV2['models'][number]> = {}): PredicateV2['models'][number] {
  return {
    modelId: crypto.randomUUID(),
    modelName: 'head',
    before: { version: 1, weightsSha256: hex() },
    after: { version: 2, weightsSha256 },
    method: 'newton-certified',
    guarantee: {
      epsilon: 0.1,
      delta: 1e-6,
      sigma: 0.01,
      lambda: 1e-4,
      residual: 1e-9,
      residualBound: 1.9e-4,
      residualEstablished: 'computed',
      budgetUsed: 0.01,
    },
    retrained: false,
    samplesRemoved: 3,
    classesDropped: 1,
    accuracy: { before: 0.97, after: 0.97 },
    identityTest: null,
    release: null,
    evidence: null,
    ...overrides,
  };
}
