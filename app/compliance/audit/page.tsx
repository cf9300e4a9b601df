import type { Metadata } from 'next';
import Link from 'next/link';
import { auditNames, type AuditName } from '@/lib/compliance/audit-names';
import { auditFilterSchema, listAuditEvents } from '@/lib/compliance/audit-query';
import { pageScope } from '@/lib/compliance/page-scope';
import { auditChainStatus } from '@/lib/integrity/chain-status';
import { isAppError } from '@/lib/errors/app-error';
import { ErrorAlert } from '@/app/_components/error-alert';
import { TableFrame } from '@/app/_components/table-frame';
import { ChainStatusText } from '../chain-status';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const scope = await pageScope('/compliance/audit');
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v !== ''));
  const parsed = auditFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const chain = await auditChainStatus();
  let error = parsed.success ? null : 'Some filters were not valid and were ignored.';
  let events: Awaited<ReturnType<typeof listAuditEvents>> | null = null;
  try {
    events = await listAuditEvents(scope, filter);
  } catch (err) {
    if (!isAppError(err)) throw err;
    error = err.message;
  }
  const named = await auditNames(scope, events?.data ?? []);
  const { after: _a, limit: _l, ...exportFilter } = filter;
  const csv = `/api/v1/compliance/audit-events.csv?${new URLSearchParams(
    Object.entries(exportFilter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString()}`;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Audit log</h1>
      <ChainStatusText chain={chain} />
      {scope.organizationId === null && (
        <p className="text-sm">
          Platform auditors:{' '}
          <Link href="/compliance/audit?action=abuse." className="underline">
            abuse flags
          </Link>{' '}
          (someone else&apos;s photos refused at the live capture, the same face searched from several accounts).
        </p>
      )}
      <form method="get" className="grid gap-3 rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200 sm:grid-cols-3">
        <label className="space-y-1">
          <span className="block font-medium">From</span>
          <input type="date" name="from" defaultValue={filter.from} className="w-full rounded border border-gray-300 px-2 py-1" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">To</span>
          <input type="date" name="to" defaultValue={filter.to} className="w-full rounded border border-gray-300 px-2 py-1" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Action (or prefix, e.g. request.)</span>
          <input name="action" defaultValue={filter.action} className="w-full rounded border border-gray-300 px-2 py-1" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Actor</span>
          <select name="actorType" defaultValue={filter.actorType ?? ''} className="w-full rounded border border-gray-300 px-2 py-1">
            <option value="">Anyone</option>
            <option value="user">A person</option>
            <option value="api_key">An API key</option>
            <option value="system">forgetme itself</option>
          </select>
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Subject id</span>
          <input name="subjectId" defaultValue={filter.subjectId} className="w-full rounded border border-gray-300 px-2 py-1 font-mono text-xs" />
        </label>
        <div className="flex items-end gap-3">
          <button type="submit" className="rounded-md bg-ink px-4 py-1.5 font-medium text-white">
            Filter
          </button>
          <a className="underline" href={csv} download>
            Export CSV
          </a>
        </div>
      </form>
      <ErrorAlert message={error} code="validation_failed" />
      {events ? (
        <>
          <p className="text-sm text-gray-600" data-testid="numbering">
            # is the event&apos;s place in forgetme&apos;s one hash chain, which every organisation&apos;s events and every person&apos;s share.
            {scope.organizationId ? ' Numbers this list skips are events of others, which you do not see; the check above covers them all.' : ''} Hover an actor
            or subject for its id; open an event for its data.
          </p>
          <TableFrame>
            <table className="w-full bg-white text-left text-xs">
              <caption className="sr-only">Audit events, oldest first</caption>
              <thead className="bg-gray-50">
                <tr>
                  <th scope="col" className="px-2 py-2">
                    #
                  </th>
                  <th scope="col" className="px-2 py-2">
                    When (UTC)
                  </th>
                  <th scope="col" className="px-2 py-2">
                    Actor
                  </th>
                  <th scope="col" className="px-2 py-2">
                    Action
                  </th>
                  <th scope="col" className="px-2 py-2">
                    Subject
                  </th>
                  <th scope="col" className="px-2 py-2">
                    Data
                  </th>
                </tr>
              </thead>
              <tbody>
                {events.data.map((e) => (
                  <tr key={e.seq} className="border-t border-gray-100" data-testid="audit-row">
                    <td className="px-2 py-1">{e.seq}</td>
                    <td className="px-2 py-1">{e.at.replace('T', ' ').slice(0, 19)}</td>
                    <td className="px-2 py-1" data-testid="audit-actor">
                      <Named name={named.actor(e)} />
                    </td>
                    <td className="px-2 py-1 font-mono">{e.action}</td>
                    <td className="px-2 py-1">
                      <Named name={named.subject(e)} />
                    </td>
                    <td className="px-2 py-1">
                      {e.data && Object.keys(e.data).length ? (
                        <details>
                          <summary className="cursor-pointer underline">Show</summary>
                          <pre className="mt-1 max-w-xs overflow-x-auto rounded bg-gray-50 p-2 text-[11px] whitespace-pre-wrap break-all sm:max-w-md">
                            {JSON.stringify(e.data, null, 2)}
                          </pre>
                        </details>
                      ) : (
                        <span className="text-gray-500">none</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
          {events.nextAfter ? (
            <Link
              className="text-sm underline"
              href={`/compliance/audit?${new URLSearchParams({
                ...Object.fromEntries(
                  Object.entries(filter)
                    .filter(([, v]) => v !== undefined)
                    .map(([k, v]) => [k, String(v)]),
                ),
                after: String(events.nextAfter),
              }).toString()}`}
            >
              Later events
            </Link>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function Named({ name }: { name: AuditName }) {
  return name.id ? (
    <span title={name.id} className="cursor-help underline decoration-dotted">
      {name.label}
    </span>
  ) : (
    <>{name.label}</>
  );
}
