import type { Metadata } from 'next';
import { z } from 'zod';
import { logSize } from '@/lib/api/common-schemas';
import { verifyConsistency } from '@/lib/certificates/merkle';
import { consistencyProofBetween, listTreeHeads, treeHeadAt } from '@/lib/certificates/transparency-log';
import { pageScope } from '@/lib/compliance/page-scope';
import { headKeys, headSigned, logStatus } from '@/lib/integrity/log-status';
import { TableFrame } from '@/app/_components/table-frame';
import { listRefusals } from '@/lib/certificates/witness-refusals';
import { LogAuditText } from './log-audit-text';
import { WitnessRefusalsSection } from './witness-refusals-section';

export const metadata: Metadata = { title: 'Transparency log' };

const check = z.object({ from: logSize, to: logSize });

const utc = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;

export default async function LogPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await pageScope('/compliance/log');
  const [status, heads, keys, refusals] = await Promise.all([logStatus(), listTreeHeads(50), headKeys(), listRefusals(20)]);
  const { latest } = status;
  const q = check.safeParse(await searchParams);
  // `null` for ok: not a verdict on the log, only a question it cannot answer yet.
  let result: { ok: boolean | null; text: string } | null = null;
  if (q.success) {
    const { from, to } = q.data;
    const size = latest?.size ?? 0;
    if (from > to) result = { ok: null, text: 'The first size must not be larger than the second.' };
    else if (to > size) {
      result = {
        ok: null,
        text: `Not yet: the log holds ${size} ${size === 1 ? 'entry' : 'entries'} so far, so it has no size ${to} to compare. Pick sizes up to ${size}.`,
      };
    } else {
      try {
        const [a, b] = await Promise.all([treeHeadAt(from), treeHeadAt(to)]);
        const proof = (await consistencyProofBetween(from, to)).map((h) => Buffer.from(h, 'hex'));
        const ok =
          headSigned(a, keys) && headSigned(b, keys) && verifyConsistency(from, to, proof, Buffer.from(a.rootHash, 'hex'), Buffer.from(b.rootHash, 'hex'));
        result = {
          ok,
          text: ok
            ? `Consistent: the signed log of ${to} entries extends the signed log of ${from} (a proof of ${proof.length} hashes).`
            : `Not consistent: the log of ${to} entries is not an extension of the log of ${from} as signed.`,
        };
      } catch (err) {
        result = { ok: false, text: (err as Error).message };
      }
    }
  }
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Transparency log</h1>
      <p className="text-gray-700">
        Every certificate is appended to an append-only Merkle tree (RFC 9162); each new size is signed. A log that was edited or truncated cannot produce a
        consistency proof between two heads it signed.
      </p>
      <section className="rounded-lg bg-white p-5 text-sm ring-1 ring-gray-200">
        <h2 className="font-semibold">Latest signed head</h2>
        {latest ? (
          <p data-testid="latest-head">
            {latest.size} entries · root <code className="text-xs break-all">{latest.rootHash}</code> · {utc(latest.timestamp)} ·{' '}
            {status.latestSigned ? '✓ signature valid' : '✗ signature invalid'}
          </p>
        ) : (
          <p>The log is empty: no certificate has been issued yet.</p>
        )}
        <LogAuditText status={status} />
      </section>
      <WitnessRefusalsSection refusals={refusals} />
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200">
        <label className="space-y-1">
          <span className="block font-medium">Older size</span>
          <input name="from" inputMode="numeric" defaultValue={q.success ? q.data.from : 1} className="w-28 rounded border border-gray-300 px-2 py-1" />
        </label>
        <label className="space-y-1">
          <span className="block font-medium">Newer size</span>
          <input
            name="to"
            inputMode="numeric"
            defaultValue={q.success ? q.data.to : (latest?.size ?? 1)}
            className="w-28 rounded border border-gray-300 px-2 py-1"
          />
        </label>
        <button type="submit" className="rounded-md bg-ink px-4 py-1.5 font-medium text-white">
          Check consistency
        </button>
      </form>
      {result ? (
        <p
          role="status"
          data-testid="consistency"
          data-ok={result.ok ?? 'not-yet'}
          className={result.ok === null ? 'text-gray-800' : result.ok ? 'text-green-800' : 'text-red-800'}
        >
          {result.ok === null ? '' : result.ok ? '✓ ' : '✗ '}
          {result.text}
        </p>
      ) : null}
      <TableFrame>
        <table className="w-full text-left text-xs">
          <caption className="sr-only">Signed tree heads, newest first</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-2 py-2">
                Size
              </th>
              <th scope="col" className="px-2 py-2">
                Signed at (UTC)
              </th>
              <th scope="col" className="px-2 py-2">
                Root
              </th>
              <th scope="col" className="px-2 py-2">
                Key
              </th>
            </tr>
          </thead>
          <tbody>
            {heads.map((h) => (
              <tr key={h.size} className="border-t border-gray-100">
                <td className="px-2 py-1">{h.size}</td>
                <td className="px-2 py-1">{h.timestamp.replace('T', ' ').slice(0, 19)}</td>
                <td className="px-2 py-1 font-mono">{h.rootHash.slice(0, 24)}…</td>
                <td className="px-2 py-1 font-mono">{h.keyid.slice(0, 12)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </div>
  );
}
