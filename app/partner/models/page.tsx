import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { listDatasets } from '@/lib/datasets/get-datasets';
import { listEmbeddingModels } from '@/lib/embeddings/embedding-models';
import { listModels } from '@/lib/models/get-models';
import { CreateModelForm } from './create-model-form';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/models');
  const org = user.organization!.id;
  const [models, datasets, embeddingModels] = await Promise.all([listModels(org, { limit: 200 }), listDatasets(org, { limit: 200 }), listEmbeddingModels(org)]);
  const names = new Map(datasets.data.map((d) => [d.id, d.name]));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Models</h1>
      <p className="text-gray-700">
        Identity models trained on your training sets. When a person&apos;s photos are removed, forgetme releases a new version that provably behaves as if it
        had never seen them, and tells you by webhook.
      </p>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Models</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Training set
              </th>
              <th scope="col" className="px-4 py-2">
                Method
              </th>
              <th scope="col" className="px-4 py-2">
                Status
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Version
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Accuracy
              </th>
            </tr>
          </thead>
          <tbody>
            {models.data.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-3 text-gray-600">
                  No models yet.
                </td>
              </tr>
            ) : null}
            {models.data.map((m) => (
              <tr key={m.id} className="border-t border-gray-100">
                <td className="px-4 py-2">
                  <Link className="underline" href={`/partner/models/${m.id}`}>
                    {m.name}
                  </Link>
                </td>
                <td className="px-4 py-2">{names.get(m.datasetId) ?? m.datasetId}</td>
                <td className="px-4 py-2">{m.kind === 'sisa' ? 'SISA (exact)' : 'Certified removal'}</td>
                <td className="px-4 py-2 capitalize">{m.status === 'training' ? `Training ${Math.round(m.progress * 100)} %` : m.status}</td>
                <td className="px-4 py-2 text-right">{m.latestVersion?.version ?? '–'}</td>
                <td className="px-4 py-2 text-right">{m.latestVersion?.accuracy != null ? `${(m.latestVersion.accuracy * 100).toFixed(1)} %` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {embeddingModels.length ? (
        <section className="space-y-2" aria-labelledby="embedding-models">
          <h2 id="embedding-models" className="text-lg font-semibold">
            Your embedding models
          </h2>
          <ul className="space-y-1 text-sm" data-testid="embedding-models">
            {embeddingModels.map((m) => (
              <li key={m.id}>
                “{m.name}” {m.version}, {m.dimension} values per photo. Trained on, as you stated: {m.trainingData}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <CreateModelForm
        datasets={datasets.data.filter((d) => d.items.embedded > 0).map((d) => ({ id: d.id, name: d.name }))}
        embeddingModels={embeddingModels}
      />
    </div>
  );
}
