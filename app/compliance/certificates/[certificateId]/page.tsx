import type { Metadata } from 'next';
import Link from 'next/link';
import { DeploymentSection } from '@/app/_components/deployment-status';
import { notFound } from 'next/navigation';
import { featuresSentence, firstReleaseSentence } from '@/lib/certificates/evidence-text';
import { certificateDetail } from '@/lib/compliance/certificate-detail';
import { pageScope } from '@/lib/compliance/page-scope';
import { isAppError } from '@/lib/errors/app-error';
import { pageUuid } from '@/lib/http/page-params';

export const metadata: Metadata = { title: 'Certificate' };

const METHOD = {
  'newton-certified': 'certified removal (Newton update, released within its privacy budget)',
  sisa: 'SISA: the affected shard retrained without the photos (exact)',
  retrain: 'retrained from scratch without the photos (exact)',
} as const;

export default async function CertificatePage({ params }: { params: Promise<{ certificateId: string }> }) {
  const certificateId = pageUuid((await params).certificateId);
  const scope = await pageScope(`/compliance/certificates/${certificateId}`);
  const c = await certificateDetail(scope, certificateId).catch((err) => {
    if (isAppError(err) && (err.code === 'not_found' || err.code === 'validation_failed')) notFound();
    throw err;
  });
  const p = c.predicate;
  return (
    // Ids and digests are long unbroken tokens: they may wrap anywhere, so that the page fits a 390 px screen.
    <div className="space-y-6 [overflow-wrap:anywhere]">
      <p className="text-sm">
        <Link className="underline" href="/compliance/certificates">
          Certificates
        </Link>{' '}
        › {c.id.slice(0, 8)}…
      </p>
      <h1 className="text-2xl font-bold">Removal certificate</h1>
      <p data-testid="verdict" className={`text-lg font-semibold ${c.verification.ok ? 'text-green-800' : 'text-red-800'}`}>
        {c.verification.ok ? '✓ Every check passes' : '✗ A check fails: this record is not what was signed and logged'}
      </p>
      {c.verification.notices.map((n) => (
        <p key={n} role="note" data-testid="notice" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
          <span className="font-semibold">Note: </span>
          {n}
        </p>
      ))}
      <section aria-labelledby="facts" className="space-y-2 rounded-lg bg-white p-5 text-sm ring-1 ring-gray-200">
        <h2 id="facts" className="text-lg font-semibold">
          What it says
        </h2>
        {p ? (
          <>
            <p>
              Issued {p.issuedAt.replace('T', ' ').slice(0, 19)} UTC to <strong>{p.organization.name}</strong> for request <code>{p.requestId}</code> (the
              person is not named). Certificate <code>{p.certificateId}</code>.
            </p>
            <ul className="list-disc space-y-1 pl-5">
              {p.datasets.map((d) => (
                <li key={d.id}>
                  Training set “{d.name}”: {d.removedItems} photo(s) removed: {d.confirmedItems} confirmed by the person, {d.unreviewedItems} possible match(es)
                  included without review. Manifest digest <code className="text-xs">{d.manifestSha256.slice(0, 16)}…</code>
                </li>
              ))}
              {p.models.map((m) => (
                <li key={m.modelId}>
                  Model “{m.modelName}”: version {m.before.version} → {m.after.version} by {METHOD[m.method]}
                  {m.method === 'newton-certified'
                    ? `; ε = ${m.guarantee.epsilon}, δ = ${m.guarantee.delta}, σ = ${m.guarantee.sigma}; ` +
                      `residual ${m.guarantee.residual?.toExponential(2)} ≤ bound ${m.guarantee.residualBound?.toExponential(2)}; ` +
                      `budget used ${(m.guarantee.budgetUsed * 100).toFixed(1)} %`
                    : ''}
                  . {m.samplesRemoved} sample(s) removed, {m.classesDropped} identity class(es) dropped; accuracy {pct(m.accuracy.before)} →{' '}
                  {pct(m.accuracy.after)}.{m.features ? ` ${featuresSentence(m.features)}` : ''}
                </li>
              ))}
              {(p.firstReleases ?? []).map((f) => (
                <li key={f.modelId}>
                  {firstReleaseSentence(f)} Weights <code className="text-xs">{f.weightsSha256.slice(0, 16)}…</code>;{' '}
                  {`accuracy ${pct(f.accuracy)}; budget used ${(f.guarantee.budgetUsed * 100).toFixed(1)} %. ${featuresSentence(f.features)}`}
                </li>
              ))}
            </ul>
            <p className="text-gray-600">Scope: {p.scope}</p>
          </>
        ) : (
          <p className="text-red-800">The stored payload cannot be read as a removal statement.</p>
        )}
      </section>
      {c.verification.deployments ? <DeploymentSection findings={c.verification.deployments} heading="h2" /> : null}
      <section aria-labelledby="checks" className="space-y-2">
        <h2 id="checks" className="text-lg font-semibold">
          Verification, now
        </h2>
        <ul className="space-y-2">
          {c.verification.checks.map((k) => (
            <li key={k.id} data-testid={`check-${k.id}`} data-ok={k.ok} className="rounded-md bg-white p-3 text-sm ring-1 ring-gray-200">
              <span className={`mr-2 font-semibold ${k.ok ? 'text-green-800' : 'text-red-800'}`}>{k.ok ? '✓ Pass' : '✗ Fail'}</span>
              <strong>{k.label}</strong>: {k.detail}
            </li>
          ))}
        </ul>
      </section>
      <p className="text-sm">
        Download:{' '}
        <a className="underline" href={`/api/v1/compliance/certificates/${c.id}/bundle`} download>
          certificate (JSON)
        </a>{' '}
        ·{' '}
        <a className="underline" href={`/api/v1/compliance/certificates/${c.id}/pdf`} download>
          certificate (PDF)
        </a>
      </p>
    </div>
  );
}

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`;
}
