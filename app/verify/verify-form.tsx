'use client';

import { useActionState } from 'react';
import { ErrorAlert } from '@/app/_components/error-alert';
import { verifyCertificateAction } from './actions';
import { evidenceSentence, featuresSentence, firstReleaseSentence } from '@/lib/certificates/evidence-text';
import { DeploymentSection } from '@/app/_components/deployment-status';

export function VerifyForm() {
  const [state, action, pending] = useActionState(verifyCertificateAction, null);
  const p = state?.ok ? state.result.predicate : null;
  return (
    <div className="space-y-6">
      <form action={action} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200">
        <p className="space-y-1">
          <label htmlFor="certificate" className="block text-sm font-medium">
            Certificate file (certificate.json)
          </label>
          <input id="certificate" name="certificate" type="file" accept=".json,application/json" className="block text-sm" />
        </p>
        <button type="submit" disabled={pending} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
          {pending ? 'Checking…' : 'Verify'}
        </button>
      </form>
      <ErrorAlert message={state && !state.ok ? state.message : null} code="bad_file" />
      {state?.ok ? (
        <section aria-labelledby="result" className="space-y-3">
          <h2 id="result" data-testid="verdict" className={`text-xl font-semibold ${state.verdict.ok ? 'text-green-800' : 'text-red-800'}`}>
            {state.verdict.headline}
          </h2>
          <p data-testid="verdict-summary">{state.verdict.summary}</p>
          {state.result.notices.map((n) => (
            <p key={n} role="note" data-testid="notice" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
              <span className="font-semibold">Note: </span>
              {n}
            </p>
          ))}
          {p ? (
            <div className="space-y-1 rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200">
              <p>
                Certificate <code>{p.certificateId}</code>, issued {p.issuedAt.replace('T', ' ').slice(0, 16)} UTC to {p.organization.name} for request{' '}
                <code>{p.requestId}</code>.
              </p>
              {p.models.map((m) => (
                <p key={m.modelId}>
                  Model “{m.modelName}”: version {m.before.version} → {m.after.version} by{' '}
                  {m.method === 'newton-certified'
                    ? `certified removal (ε = ${m.guarantee.epsilon}, δ = ${m.guarantee.delta})`
                    : m.method === 'sisa'
                      ? 'exact retraining of the affected shard (SISA)'
                      : 'retraining from scratch'}
                  ; {m.samplesRemoved} photo(s) removed.
                  {m.features ? (
                    <span data-testid="features" className="mt-1 block text-gray-700">
                      {featuresSentence(m.features)}
                    </span>
                  ) : null}
                  {m.evidence ? (
                    <span data-testid="evidence" className="mt-1 block text-gray-700">
                      {evidenceSentence(m.evidence)}
                    </span>
                  ) : null}
                </p>
              ))}
              {(p.firstReleases ?? []).map((f) => (
                <p key={f.modelId} data-testid="first-release">
                  {firstReleaseSentence(f)}
                </p>
              ))}
              <p className="text-gray-600">{p.scope}</p>
            </div>
          ) : null}
          {state.result.deployments ? <DeploymentSection findings={state.result.deployments} heading="h3" /> : null}
          <details open={!state.result.ok} className="rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200">
            <summary className="cursor-pointer font-medium">
              The technical checks: {state.result.checks.filter((c) => c.ok).length} of {state.result.checks.length} passed
            </summary>
            <ul className="mt-3 space-y-2">
              {state.result.checks.map((c) => (
                <li key={c.id} data-testid={`check-${c.id}`} data-ok={c.ok} className="rounded-md bg-gray-50 p-3">
                  <span className={`mr-2 font-semibold ${c.ok ? 'text-green-800' : 'text-red-800'}`}>{c.ok ? '✓ Pass' : '✗ Fail'}</span>
                  <strong>{c.label}</strong>: {c.detail}
                </li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}
    </div>
  );
}
