import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { isAppError } from '@/lib/errors/app-error';
import { listDeliveries } from '@/lib/webhooks/deliveries';
import { getEndpoint } from '@/lib/webhooks/endpoints';
import { EndpointActions } from './endpoint-actions';
import { ReplayButton } from './replay-button';
import { pageUuid } from '@/lib/http/page-params';

export const metadata: Metadata = { title: 'Webhook endpoint' };

export default async function EndpointPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const endpointId = pageUuid((await params).endpointId);
  const user = await requirePageUser(PERSONA_ROLES.partner, `/partner/webhooks/${endpointId}`);
  const org = user.organization!.id;
  const endpoint = await getEndpoint(org, endpointId).catch((err) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  const deliveries = await listDeliveries(org, endpointId, { limit: 50 });
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="underline" href="/partner/webhooks">
          Webhooks
        </Link>{' '}
        › endpoint
      </p>
      <h1 className="break-all text-2xl font-bold">{endpoint.url}</h1>
      <p className="text-gray-700">
        Events: {endpoint.events.join(', ')}. {endpoint.enabled ? 'Enabled.' : `Disabled: ${endpoint.disabledReason}`}
        {endpoint.previousSecretValidUntil
          ? ` The previous secret also signs until ${endpoint.previousSecretValidUntil.replace('T', ' ').slice(0, 16)} UTC.`
          : ''}
      </p>
      <EndpointActions endpointId={endpoint.id} enabled={endpoint.enabled} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Delivery log</h2>
        {deliveries.data.length === 0 ? <p className="text-sm text-gray-600">No deliveries yet. Send a ping to try the endpoint.</p> : null}
        <ol className="space-y-3">
          {deliveries.data.map((d) => (
            <li key={d.id} className="rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200" data-testid="delivery">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <code>{d.eventType}</code> · <code className="text-xs">{d.eventId}</code>
                </span>
                <span className="flex items-center gap-3">
                  <span
                    data-testid="delivery-status"
                    className={d.status === 'succeeded' ? 'text-green-800' : d.status === 'failed' ? 'text-red-800' : 'text-amber-800'}
                  >
                    {d.status === 'pending' && d.nextAttemptAt ? `Retrying at ${d.nextAttemptAt.replace('T', ' ').slice(0, 19)}` : d.status}
                  </span>
                  <ReplayButton deliveryId={d.id} />
                </span>
              </div>
              <table className="mt-2 w-full text-xs">
                <caption className="sr-only">Attempts of this delivery</caption>
                <thead className="text-left text-gray-600">
                  <tr>
                    <th scope="col">Attempt</th>
                    <th scope="col">When</th>
                    <th scope="col">HTTP status</th>
                    <th scope="col">Latency</th>
                    <th scope="col">Response</th>
                  </tr>
                </thead>
                <tbody>
                  {d.log.map((a) => (
                    <tr key={a.attempt} data-testid="attempt">
                      <td>
                        {a.attempt}
                        {a.manual ? ' (replay)' : ''}
                      </td>
                      <td>{a.at.replace('T', ' ').slice(0, 19)}</td>
                      <td>{a.statusCode ?? '—'}</td>
                      <td>{a.latencyMs} ms</td>
                      <td className="max-w-xs truncate" title={a.error ?? a.responseExcerpt ?? ''}>
                        {a.error ?? a.responseExcerpt}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
