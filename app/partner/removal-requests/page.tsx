import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { isAppError } from '@/lib/errors/app-error';
import { listModels } from '@/lib/models/get-models';
import { certificatesByRequest, listPartnerRequests } from '@/lib/removals/partner-requests';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Removal requests' };

const TASK = {
  pending: 'Waiting to start',
  unlearning: 'Removing from the model',
  certified: 'Removed and certified',
  failed: 'Failed after every retry',
  awaiting_release: 'Left out of the model in training; completed by its first release',
} as const;

/** The removal requests that concern this organisation, as GET /api/v1/removal-requests lists them: per request and model, the items and the certificate. */
export default async function RemovalRequestsPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/removal-requests');
  const orgId = user.organization!.id;
  const { cursor } = await searchParams;
  const list = await listPartnerRequests(orgId, { limit: 50, cursor }).catch((err) => {
    if (isAppError(err) && err.code === 'validation_failed') return null; // a cursor edited by hand: show the first page's link
    throw err;
  });
  const [{ data: modelList }, certs] = await Promise.all([
    listModels(orgId, { limit: 200 }),
    certificatesByRequest(orgId, [...new Set(list?.data.map((t) => t.requestId) ?? [])]),
  ]);
  const modelName = new Map(modelList.map((m) => [m.id, m.name]));
  const canOpenCertificates = user.roles.includes('partner_admin');
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Removal requests</h1>
      <p className="text-gray-700">
        Each row is one request and one of your models: the training-set items it removes (your external ids; never the person or their photos), where the
        certified removal stands, and its certificate once issued. The same list is <code>GET /api/v1/removal-requests</code>, and each step also arrives as a
        signed webhook.
      </p>
      {!list ? (
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
          This page link is not one the console made. <Link href="/partner/removal-requests">Show the newest requests</Link>.
        </p>
      ) : (
        <TableFrame>
          <table className="w-full bg-white text-left text-sm">
            <caption className="sr-only">Removal requests, newest first</caption>
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Received
                </th>
                <th scope="col" className="px-4 py-2">
                  Request
                </th>
                <th scope="col" className="px-4 py-2">
                  Model
                </th>
                <th scope="col" className="px-4 py-2">
                  Items
                </th>
                <th scope="col" className="px-4 py-2">
                  Status
                </th>
                <th scope="col" className="px-4 py-2">
                  Certificate
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-4 py-3 text-gray-600">
                    No removal request concerns your training sets yet. When one does, it appears here and your webhook endpoints receive{' '}
                    <code>removal.requested</code>.
                  </td>
                </tr>
              ) : null}
              {list.data.map((t) => (
                <tr key={t.id} data-testid="removal-row" className="border-t border-gray-100 align-top">
                  <td className="px-4 py-2 whitespace-nowrap">{t.createdAt.replace('T', ' ').slice(0, 16)} UTC</td>
                  <td className="px-4 py-2">
                    <code title={t.requestId}>{t.requestId.slice(0, 8)}</code>
                  </td>
                  <td className="px-4 py-2">
                    <Link className="underline" href={`/partner/models/${t.modelId}`}>
                      {modelName.get(t.modelId) ?? t.modelId.slice(0, 8)}
                    </Link>
                  </td>
                  <td className="px-4 py-2">
                    <details>
                      <summary className="cursor-pointer">
                        {t.items.length} item{t.items.length === 1 ? '' : 's'}
                      </summary>
                      <ul className="mt-1 font-mono text-xs break-all">
                        {t.items.map((i) => (
                          <li key={i.id}>{i.externalId}</li>
                        ))}
                      </ul>
                    </details>
                  </td>
                  <td className="px-4 py-2" data-testid="removal-status">
                    {TASK[t.status]}
                  </td>
                  <td className="px-4 py-2">
                    {(certs.get(t.requestId) ?? []).map((c) =>
                      canOpenCertificates ? (
                        <Link key={c.id} className="block underline" href={`/compliance/certificates/${c.id}`}>
                          {c.issuedAt.toISOString().slice(0, 10)}
                        </Link>
                      ) : (
                        <span key={c.id} className="block" title={c.id}>
                          {c.issuedAt.toISOString().slice(0, 10)}
                        </span>
                      ),
                    )}
                    {certs.has(t.requestId) ? null : <span className="text-gray-500">not yet</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      {list?.nextCursor ? (
        <Link className="underline" href={`/partner/removal-requests?cursor=${encodeURIComponent(list.nextCursor)}`}>
          Older requests
        </Link>
      ) : null}
    </div>
  );
}
