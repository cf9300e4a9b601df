import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { listDatasets } from '@/lib/datasets/get-datasets';
import { CreateDatasetForm } from './create-dataset-form';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Training sets' };

export default async function DatasetsPage() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/datasets');
  const { data } = await listDatasets(user.organization!.id, { limit: 200 });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Training sets</h1>
      <p className="text-gray-700">
        Register each face training set you train on. Every face in it is described (a 128-number descriptor) so that a person who asks to be forgotten can be
        found; images and descriptors never leave forgetme.
      </p>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Training sets</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Images
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Identities
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Faces
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Failed
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Removed
              </th>
            </tr>
          </thead>
          <tbody>
            {data.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-3 text-gray-600">
                  No training sets yet: create one below, then upload its images.
                </td>
              </tr>
            ) : null}
            {data.map((d) => (
              <tr key={d.id} className="border-t border-gray-100">
                <td className="px-4 py-2">
                  <Link className="underline" href={`/partner/datasets/${d.id}`}>
                    {d.name}
                  </Link>
                </td>
                <td className="px-4 py-2 text-right">{d.items.total}</td>
                <td className="px-4 py-2 text-right">{d.identities}</td>
                <td className="px-4 py-2 text-right">{d.faces}</td>
                <td className="px-4 py-2 text-right">{d.items.failed}</td>
                <td className="px-4 py-2 text-right">{d.items.removed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      <CreateDatasetForm />
    </div>
  );
}
