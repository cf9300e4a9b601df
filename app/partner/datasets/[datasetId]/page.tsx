import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { getDataset, listIngests, listItems } from '@/lib/datasets/get-datasets';
import { isAppError } from '@/lib/errors/app-error';
import { UploadPanel } from './upload-panel';
import { pageUuid } from '@/lib/http/page-params';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Training set' };

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const datasetId = pageUuid((await params).datasetId);
  const user = await requirePageUser(PERSONA_ROLES.partner, `/partner/datasets/${datasetId}`);
  const org = user.organization!.id;
  const dataset = await getDataset(org, datasetId).catch((err) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  const [uploads, failed] = await Promise.all([listIngests(org, datasetId, { limit: 20 }), listItems(org, datasetId, { limit: 50, status: 'failed' })]);
  const running = uploads.data.find((u) => u.status !== 'completed');
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="underline" href="/partner/datasets">
          Training sets
        </Link>{' '}
        › {dataset.name}
      </p>
      <h1 className="text-2xl font-bold">{dataset.name}</h1>
      {dataset.description ? <p className="text-gray-700">{dataset.description}</p> : null}
      <dl className="grid gap-4 sm:grid-cols-5">
        {(
          [
            ['Images', dataset.items.total],
            ['Identities', dataset.identities],
            ['Faces', dataset.faces],
            ['Failed', dataset.items.failed],
            ['Removed', dataset.items.removed],
          ] as const
        ).map(([k, v]) => (
          <div key={k} className="rounded-lg bg-white p-4 ring-1 ring-gray-200">
            <dt className="text-sm text-gray-600">{k}</dt>
            <dd className="text-2xl font-semibold" data-testid={`count-${k.toLowerCase()}`}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-gray-600">
        Descriptor model <code>{dataset.embeddingModel}</code> · dataset id <code>{dataset.id}</code>
      </p>
      <UploadPanel datasetId={dataset.id} runningUploadId={running?.id ?? null} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Uploads</h2>
        <TableFrame>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Uploads into this training set</caption>
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="px-4 py-2">
                  When
                </th>
                <th scope="col" className="px-4 py-2">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Rows
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Added
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Skipped
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Failed
                </th>
              </tr>
            </thead>
            <tbody>
              {uploads.data.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-4 py-3 text-gray-600">
                    No upload has arrived yet. A file being sent from this page appears here as soon as it has arrived, then shows its progress.
                  </td>
                </tr>
              ) : null}
              {uploads.data.map((u) => (
                <tr key={u.id} className="border-t border-gray-100">
                  <td className="px-4 py-2">{u.createdAt.replace('T', ' ').slice(0, 19)}</td>
                  <td className="px-4 py-2">{u.status === 'completed' ? 'Completed' : `Embedding ${Math.round(u.progress * 100)} %`}</td>
                  <td className="px-4 py-2 text-right">{u.total}</td>
                  <td className="px-4 py-2 text-right">{u.created}</td>
                  <td
                    className="px-4 py-2 text-right"
                    title={u.skipped
                      .slice(0, 5)
                      .map((s) => `${s.externalId}: ${s.message}`)
                      .join('\n')}
                  >
                    {u.skipped.length}
                  </td>
                  <td className="px-4 py-2 text-right">{u.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      </section>
      {failed.data.length ? (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">Images that could not be used</h2>
          <ul className="rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200">
            {failed.data.map((i) => (
              <li key={i.id}>
                <code>{i.externalId}</code> ({i.label}): {i.error?.message} <span className="text-gray-500">[{i.error?.code}]</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
