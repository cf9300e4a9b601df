import type { DeploymentFinding } from '@/lib/deployments/verify-deployments';

const LABEL = { signed: '✓ Deployed by the partner, signed', not_acknowledged: 'Not yet acknowledged', invalid: '✗ Acknowledgement does not verify' } as const;
const TONE = { signed: 'text-green-800', not_acknowledged: 'text-gray-700', invalid: 'text-red-800' } as const;

/** The "In production" section of a verified certificate, its heading at the page's level. */
export function DeploymentSection({ findings, heading: H }: { findings: DeploymentFinding[]; heading: 'h2' | 'h3' }) {
  return (
    <section aria-labelledby="deployment" className="space-y-1 rounded-lg bg-white p-4 ring-1 ring-gray-200">
      <H id="deployment" className={H === 'h2' ? 'text-lg font-semibold' : 'font-semibold'}>
        In production
      </H>
      <DeploymentStatus findings={findings} />
    </section>
  );
}

/** Per model of a certificate: whether the partner signed that a version without the photos runs in production. */
export function DeploymentStatus({ findings }: { findings: DeploymentFinding[] }) {
  return (
    <ul className="space-y-1">
      {findings.map((d) => (
        <li key={d.modelId} data-testid="deployment" data-status={d.status} className="text-sm">
          <span className={`font-semibold ${TONE[d.status]}`}>{LABEL[d.status]}</span> ({d.modelName}): {d.detail}
        </li>
      ))}
    </ul>
  );
}
