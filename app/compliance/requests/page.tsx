import type { Metadata } from 'next';
import { env } from '@/lib/config/env';
import { requestDeadlines } from '@/lib/compliance/deadlines';
import { pageScope } from '@/lib/compliance/page-scope';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Requests and deadlines' };

const REGIME = { gdpr: 'GDPR: one month from receipt', ccpa: 'CCPA: 45 days from receipt' } as Record<string, string>;

export default async function RequestsPage() {
  const scope = await pageScope('/compliance/requests');
  const rows = await requestDeadlines(scope);
  const regime = env().deadline;
  const overdue = rows.filter((r) => r.overdue).length;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Requests and deadlines</h1>
      <p className="text-gray-700">
        Deadline rule: {typeof regime === 'number' ? `${regime} days from receipt (configured)` : REGIME[regime]} (<code>FORGETME_DEADLINE</code>).{' '}
        <strong data-testid="overdue-count" className={overdue ? 'text-red-800' : 'text-green-800'}>
          {overdue ? `${overdue} request(s) overdue.` : 'Nothing overdue.'}
        </strong>
      </p>
      <TableFrame>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Removal requests concerning you, newest first</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-3 py-2">
                Request
              </th>
              <th scope="col" className="px-3 py-2">
                Received (UTC)
              </th>
              <th scope="col" className="px-3 py-2">
                Deadline
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-3 text-gray-600">
                  No removal request concerns you yet.
                </td>
              </tr>
            ) : null}
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-gray-100" data-testid="deadline-row">
                <td className="px-3 py-2 font-mono text-xs">{r.id.slice(0, 8)}…</td>
                <td className="px-3 py-2">{r.receivedAt.replace('T', ' ').slice(0, 16)}</td>
                <td className="px-3 py-2">{r.deadline.slice(0, 10)}</td>
                <td className="px-3 py-2">
                  {r.completedAt ? `Completed ${r.completedAt.slice(0, 10)}` : r.status.replace('_', ' ')}
                  {r.overdue ? <strong className="ml-2 text-red-800">⚠ Overdue</strong> : null}
                  {r.late ? <strong className="ml-2 text-amber-800">Completed late</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </div>
  );
}
