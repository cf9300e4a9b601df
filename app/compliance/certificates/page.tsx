import type { Metadata } from 'next';
import Link from 'next/link';
import { certificateFilterSchema, listCertificates } from '@/lib/compliance/certificates-query';
import { pageScope } from '@/lib/compliance/page-scope';
import { isAppError } from '@/lib/errors/app-error';
import { ErrorAlert } from '@/app/_components/error-alert';
import { TableFrame } from '@/app/_components/table-frame';

export const metadata: Metadata = { title: 'Certificates' };

const METHOD = { 'newton-certified': 'Certified removal', sisa: 'SISA (exact)', retrain: 'Retrained' } as Record<string, string>;

export default async function CertificatesPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const scope = await pageScope('/compliance/certificates');
  const raw = await searchParams;
  const parsed = certificateFilterSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')));
  const filter = parsed.success ? parsed.data : certificateFilterSchema.parse({});
  let result: Awaited<ReturnType<typeof listCertificates>> | null = null;
  let error = parsed.success ? null : 'Some filters were not valid and were ignored.';
  try {
    result = await listCertificates(scope, filter);
  } catch (err) {
    if (!isAppError(err)) throw err;
    error = err.message;
  }
  const strings = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
  const link = (over: Record<string, string | number>) =>
    `/compliance/certificates?${new URLSearchParams({ ...strings(filter), ...strings(over) }).toString()}`;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Removal certificates</h1>
      <form method="get" className="grid gap-3 rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200 sm:grid-cols-3">
        <label className="space-y-1">
          <span className="block font-medium">Issued from</span>
          <input type="date" name="from" defaultValue={filter.from} className="w-full rounded border border-gray-300 px-2 py-1" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Issued to</span>
          <input type="date" name="to" defaultValue={filter.to} className="w-full rounded border border-gray-300 px-2 py-1" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Method</span>
          <select name="method" defaultValue={filter.method ?? ''} className="w-full rounded border border-gray-300 px-2 py-1">
            <option value="">Any</option>
            <option value="newton-certified">Certified removal</option>
            <option value="sisa">SISA (exact)</option>
            <option value="retrain">Retrained</option>
          </select>
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Model id</span>
          <input name="modelId" defaultValue={filter.modelId} className="w-full rounded border border-gray-300 px-2 py-1 font-mono text-xs" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Dataset id</span>
          <input name="datasetId" defaultValue={filter.datasetId} className="w-full rounded border border-gray-300 px-2 py-1 font-mono text-xs" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Certificate or request id</span>
          <input name="q" defaultValue={filter.q} className="w-full rounded border border-gray-300 px-2 py-1 font-mono text-xs" />
        </label>
        <input type="hidden" name="sort" value={filter.sort} />
        <div className="flex items-end gap-3">
          <button type="submit" className="rounded-md bg-ink px-4 py-1.5 font-medium text-white">
            Filter
          </button>
          <Link href="/compliance/certificates" className="underline">
            Clear
          </Link>
        </div>
      </form>
      <ErrorAlert message={error} code="validation_failed" />
      {result ? (
        <>
          <p className="text-sm text-gray-700" data-testid="certificate-total">
            {result.total} certificate(s)
          </p>
          <TableFrame>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Certificates matching the filters</caption>
              <thead className="bg-gray-50">
                <tr>
                  <th
                    scope="col"
                    className="px-3 py-2"
                    aria-sort={filter.sort.startsWith('issued') ? (filter.sort === 'issued_asc' ? 'ascending' : 'descending') : 'none'}
                  >
                    <Link className="underline" href={link({ sort: filter.sort === 'issued_desc' ? 'issued_asc' : 'issued_desc', page: 1 })}>
                      Issued {filter.sort === 'issued_desc' ? '↓' : filter.sort === 'issued_asc' ? '↑' : ''}
                    </Link>
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Certificate
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Organisation
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Method
                  </th>
                  <th
                    scope="col"
                    className="px-3 py-2 text-right"
                    aria-sort={filter.sort.startsWith('items') ? (filter.sort === 'items_asc' ? 'ascending' : 'descending') : 'none'}
                  >
                    <Link className="underline" href={link({ sort: filter.sort === 'items_desc' ? 'items_asc' : 'items_desc', page: 1 })}>
                      Photos removed {filter.sort === 'items_desc' ? '↓' : filter.sort === 'items_asc' ? '↑' : ''}
                    </Link>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.data.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="px-3 py-3 text-gray-600">
                      No certificate matches.
                    </td>
                  </tr>
                ) : null}
                {result.data.map((c) => (
                  <tr key={c.id} className="border-t border-gray-100" data-testid="certificate-row">
                    <td className="px-3 py-2">{c.issuedAt.replace('T', ' ').slice(0, 16)}</td>
                    <td className="px-3 py-2 font-mono text-xs">
                      <Link className="underline" href={`/compliance/certificates/${c.id}`}>
                        {c.id.slice(0, 8)}…
                      </Link>
                    </td>
                    <td className="px-3 py-2">{c.organization}</td>
                    <td className="px-3 py-2">{c.methods.map((m) => METHOD[m] ?? m).join(', ') || 'Training sets only'}</td>
                    <td className="px-3 py-2 text-right">{c.removedItems}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
          <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
            {result.page > 1 ? (
              <Link className="underline" href={link({ page: result.page - 1 })}>
                Previous
              </Link>
            ) : null}
            <span>
              Page {result.page} of {pages}
            </span>
            {result.page < pages ? (
              <Link className="underline" href={link({ page: result.page + 1 })}>
                Next
              </Link>
            ) : null}
          </nav>
        </>
      ) : null}
    </div>
  );
}
