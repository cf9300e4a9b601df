import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { getDataset } from '@/lib/datasets/get-datasets';
import { isAppError } from '@/lib/errors/app-error';
import { ErrorAlert } from '@/app/_components/error-alert';
import { featuresOf } from '@/lib/embeddings/features-facts';
import { getModel, listVersions } from '@/lib/models/get-models';
import { modelAcknowledgements } from '@/lib/deployments/model-acknowledgements';
import { DeployedCell } from './deployed-cell';
import { BudgetChart } from './budget-chart';
import { TrainingProgress } from './training-progress';
import { pageUuid } from '@/lib/http/page-params';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Model' };

const acknowledgeCommand = (modelId: string) => `forgetme partner acknowledge --model ${modelId} --version N --key deploy-key.pem --weights weights.f64`;

const REASONS = { trained: 'First training', removal: 'Certified removal', retrain: 'Retrained from scratch', renoise: 'Fresh secret noise' } as const;

export default async function ModelPage({ params }: { params: Promise<{ modelId: string }> }) {
  const modelId = pageUuid((await params).modelId);
  const user = await requirePageUser(PERSONA_ROLES.partner, `/partner/models/${modelId}`);
  const org = user.organization!.id;
  const model = await getModel(org, modelId).catch((err) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  const [versions, dataset, acks, features] = await Promise.all([
    listVersions(org, modelId),
    getDataset(org, model.datasetId),
    modelAcknowledgements(org, modelId),
    featuresOf(model),
  ]);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="underline" href="/partner/models">
          Models
        </Link>{' '}
        › {model.name}
      </p>
      <h1 className="text-2xl font-bold">{model.name}</h1>
      <p className="text-gray-700">
        {model.kind === 'sisa' ? 'SISA (exact removal)' : 'Certified removal'} on{' '}
        <Link className="underline" href={`/partner/datasets/${dataset.id}`}>
          {dataset.name}
        </Link>
        . Parameters:{' '}
        {Object.entries(model.params)
          .filter(([k]) => k !== 'seed')
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')}
        .
      </p>
      <p className="text-gray-700" data-testid="model-features">
        Features:{' '}
        {features.source === 'partner'
          ? `your embedding model “${features.name}” version ${features.version} (${features.dimension} values per photo)`
          : `forgetme's face descriptor ${features.name} ${features.version} (${features.dimension} values per photo)`}
        .
      </p>
      {model.status === 'training' ? <TrainingProgress modelId={model.id} initial={model.progress} /> : null}
      {model.status === 'failed' ? <ErrorAlert message={`Training failed: ${model.error?.message}`} code={model.error?.code} /> : null}
      {versions.length ? (
        <>
          <section className="space-y-2">
            <h2 className="text-lg font-semibold">Versions</h2>
            <TableFrame>
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Versions of the model, newest first</caption>
                <thead className="bg-gray-50">
                  <tr>
                    <th scope="col" className="px-4 py-2">
                      Version
                    </th>
                    <th scope="col" className="px-4 py-2">
                      Why
                    </th>
                    <th scope="col" className="px-4 py-2 text-right">
                      Identities
                    </th>
                    <th scope="col" className="px-4 py-2 text-right">
                      Accuracy
                    </th>
                    <th scope="col" className="px-4 py-2 text-right" aria-describedby="budget-explained">
                      Budget used
                    </th>
                    <th scope="col" className="px-4 py-2">
                      Weights
                    </th>
                    <th scope="col" className="px-4 py-2">
                      Deployed
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.id} className="border-t border-gray-100">
                      <td className="px-4 py-2">
                        v{v.version}
                        <div className="text-xs text-gray-500">{v.createdAt.replace('T', ' ').slice(0, 16)}</div>
                      </td>
                      <td className="px-4 py-2">{REASONS[v.reason]}</td>
                      <td className="px-4 py-2 text-right">{v.classes}</td>
                      <td className="px-4 py-2 text-right">{v.accuracy != null ? `${(v.accuracy * 100).toFixed(1)} %` : '–'}</td>
                      <td className="px-4 py-2 text-right">{(v.budgetUsed * 100).toFixed(1)} %</td>
                      <td className="px-4 py-2">
                        <a className="underline" href={`/api/v1/models/${model.id}/versions/${v.version}/weights`} download>
                          weights
                        </a>{' '}
                        ·{' '}
                        <a className="underline" href={`/api/v1/models/${model.id}/versions/${v.version}/model.json`}>
                          model.json
                        </a>
                        <div className="font-mono text-[10px] text-gray-500" title="sha256 of the weights">
                          {v.weightsSha256.slice(0, 16)}…
                        </div>
                      </td>
                      <td className="px-4 py-2">
                        <DeployedCell deployedAt={v.deployedAt} acks={acks.filter((a) => a.version === v.version)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
            <p className="text-sm text-gray-600" data-testid="how-to-acknowledge">
              <strong>Deployed</strong>: your signed statement that the version runs in production. Register a{' '}
              <Link className="underline" href="/partner/keys#deployment-keys">
                deployment key
              </Link>
              , then, where you deploy: <code className="break-all text-xs">{acknowledgeCommand(model.id)}</code> (or the{' '}
              <Link className="underline" href="/partner/api">
                API
              </Link>
              : GET then POST …/versions/N/deployment). Each certificate the version puts into production then shows &ldquo;deployed by the partner,
              signed&rdquo; to the person and on /verify.
            </p>
            <p id="budget-explained" className="text-sm text-gray-600" data-testid="budget-explained">
              <strong>Budget used</strong>: how close the version&apos;s certified removal came to its limit, the gradient residual the removal left as a share
              of the bound ε′ its certificate guarantees. It is measured for each version on its own (every release draws the secret noise again in the classes
              it touches), so it does not add up across removals and can go down after one. A removal that would exceed the bound is not certified: the model is
              retrained from scratch instead, and its budget used starts again near 0 %.
            </p>
          </section>
          <BudgetChart versions={[...versions].reverse().map((v) => ({ version: v.version, budgetUsed: v.budgetUsed, accuracy: v.accuracy }))} />
        </>
      ) : null}
    </div>
  );
}
