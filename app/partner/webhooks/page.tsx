import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/event-types';
import { listEndpoints } from '@/lib/webhooks/endpoints';
import { CreateEndpointForm } from './create-endpoint-form';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage() {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner/webhooks');
  const { data } = await listEndpoints(user.organization!.id, { limit: 200 });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Webhooks</h1>
      <p className="text-gray-700">
        forgetme tells your systems what happens by signed HTTP POSTs (Standard Webhooks: verify the <code>webhook-signature</code> header with your
        endpoint&apos;s secret). Payloads carry ids only: fetch details through the API. Failed deliveries are retried for about 28 hours.
      </p>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Webhook endpoints</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-4 py-2">
                URL
              </th>
              <th scope="col" className="px-4 py-2">
                Events
              </th>
              <th scope="col" className="px-4 py-2">
                State
              </th>
            </tr>
          </thead>
          <tbody>
            {data.length === 0 ? (
              <tr>
                <td colSpan={3} className="px-4 py-3 text-gray-600">
                  No endpoints yet.
                </td>
              </tr>
            ) : null}
            {data.map((e) => (
              <tr key={e.id} className="border-t border-gray-100">
                <td className="px-4 py-2">
                  <Link className="break-all underline" href={`/partner/webhooks/${e.id}`}>
                    {e.url}
                  </Link>
                  {e.description ? <div className="text-xs text-gray-500">{e.description}</div> : null}
                </td>
                <td className="px-4 py-2 text-xs">{e.events.join(', ')}</td>
                <td className="px-4 py-2">
                  {e.enabled
                    ? e.failingSince
                      ? `Failing since ${e.failingSince.slice(0, 16).replace('T', ' ')}`
                      : 'Enabled'
                    : `Disabled: ${e.disabledReason}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      <CreateEndpointForm events={Object.entries(WEBHOOK_EVENTS).map(([type, description]) => ({ type, description }))} />
    </div>
  );
}
