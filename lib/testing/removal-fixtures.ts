import fs from 'node:fs';
import path from 'node:path';
import { createDataset } from '@/lib/datasets/create-dataset';
import { runIngest } from '@/lib/datasets/ingest-job';
import { parseManifest } from '@/lib/datasets/manifest';
import { stageUpload, storeFiles } from '@/lib/datasets/stage-upload';
import { getThreadPool } from '@/lib/jobs/thread-pool';
import { createModel } from '@/lib/models/create-model';
import { runTraining } from '@/lib/models/train-job';
import { askIdentityReview, decideIdentityReview } from '@/lib/liveness/identity-review';
import { seedIndividual, seedPartner } from '@/db/seed/factories';
import { CONSENT_VERSION } from '@/lib/removals/consent';
import { runMatching, startMatching } from '@/lib/removals/matching';
import { addReference } from '@/lib/removals/references';
import { getReview } from '@/lib/removals/review';
import { startRequest } from '@/lib/removals/start-request';
import { submitRequest } from '@/lib/removals/submit-request';

/** Tests only: the demo faces (LFW people) a partner's training set and a person's references come from. */
export const DEMO = path.resolve('db/seed/demo-faces');
export const PEOPLE = ['Abdullah_Gul', 'Adrien_Brody', 'Al_Sharpton', 'Albert_Costa', 'Amelia_Vega', 'Ana_Guevara'];

/** A partner with a training set of these people's demo photos, uploaded and embedded. */
export async function partnerTrainingSet(people: string[] = PEOPLE) {
  const org = await seedPartner();
  const actor = { type: 'user', id: org.admin.id } as const;
  const ds = await createDataset({ organizationId: org.organization.id, actor, input: { name: 'Studio', description: '' } });
  const rows = parseManifest(fs.readFileSync(path.join(DEMO, 'training', 'manifest.csv'), 'utf8')).filter((r) => people.includes(r.label));
  const files = new Map(rows.map((r) => [r.file, fs.readFileSync(path.join(DEMO, 'training', r.file))]));
  const ingest = await stageUpload({ organizationId: org.organization.id, datasetId: ds.id, actor, rows, files: await storeFiles(files) });
  await runIngest(ingest.id, { threads: getThreadPool() });
  return { org, actor, ds };
}

/** A partner with a training set of PEOPLE's demo photos, embedded, and a trained certified model on it. */
export async function partnerWithModel() {
  const { org, actor, ds } = await partnerTrainingSet();
  const params = { lambda: 1e-4, sigma: 0.01, epsilon: 0.1, delta: 1e-6, subsample: 1, subsampleSeed: 3 };
  const model = await createModel({ organizationId: org.organization.id, actor, input: { name: 'Head', datasetId: ds.id, kind: 'newton-certified', params } });
  await runTraining(model.id);
  return { org, ds, model };
}

/** The i-th reference photo of one of PEOPLE (not in the training set). */
export function reference(name: string, i = 0): Buffer {
  const dir = path.join(DEMO, 'references');
  return fs.readFileSync(
    path.join(
      dir,
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(name))
        .sort()[i],
    ),
  );
}

/**
 * Opens a draft request's search the way a person without a camera does: they ask for an
 * operator's review and an operator approves it (lib/liveness/identity-review.ts). Tests of the
 * search itself use it for LFW people, of whom no live capture can be built.
 */
export async function approveIdentityByOperator(userId: string, requestId: string): Promise<void> {
  await askIdentityReview({ userId, requestId, reason: 'Test: no camera on this machine.' });
  await decideIdentityReview(requestId, 'approved', 'test-operator');
}

/**
 * A new person's request for one of PEOPLE, the whole way to submission: two reference photos, an
 * operator's identity review, the search, every shown match confirmed and the possible tier included.
 */
export async function submitRemovalOf(name: string) {
  const person = await seedIndividual();
  const req = await startRequest({ userId: person.id, consent: true, consentVersion: CONSENT_VERSION });
  for (const i of [0, 1]) {
    const added = await addReference({ userId: person.id, requestId: req.id, bytes: reference(name, i) });
    if (!added.ok) throw new Error(`reference ${i} of ${name} refused: ${added.code}`);
  }
  await approveIdentityByOperator(person.id, req.id);
  await startMatching({ userId: person.id, requestId: req.id, ip: '192.0.2.1' });
  await runMatching(req.id);
  const review = await getReview(person.id, req.id);
  const input = { confirmedMatchIds: review.flatMap((r) => r.shown.map((s) => s.matchId)), includePossible: true, attest: true as const };
  const submitted = await submitRequest({ userId: person.id, requestId: req.id, input });
  return { person, req, review, submitted };
}
