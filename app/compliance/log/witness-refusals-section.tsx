import type { StoredRefusal } from '@/lib/certificates/witness-refusals';

const utc = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/** What the log's witnesses refused to cosign, as they reported it (signed; also at GET /api/v1/transparency/log/refusals). */
export function WitnessRefusalsSection({ refusals }: { refusals: StoredRefusal[] }) {
  return (
    <section aria-labelledby="refusals" className="rounded-lg bg-white p-5 text-sm ring-1 ring-gray-200">
      <h2 id="refusals" className="font-semibold">
        Witness refusals
      </h2>
      {refusals.length === 0 ? (
        <p data-testid="witness-refusals" className="text-gray-700">
          No witness has reported refusing a checkpoint of this log.
        </p>
      ) : (
        <ul data-testid="witness-refusals" className="mt-2 space-y-1 text-red-800">
          {refusals.map((r) => (
            <li key={r.signature}>
              ✗ {r.witness} refused a checkpoint on {utc(r.refusedAt)}: {r.reason}.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
