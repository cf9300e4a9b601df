import type { AcknowledgementView } from '@/lib/deployments/acknowledgement-view';

const day = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

/** Whether a version is acknowledged as deployed: signed (when, by which key, how many certificates), or not yet. */
export function DeployedCell({ deployedAt, acks }: { deployedAt: string | null; acks: AcknowledgementView[] }) {
  if (!acks.length) {
    return deployedAt ? (
      <span className="text-xs text-gray-600">Marked {deployedAt.slice(0, 10)}, unsigned (before signed acknowledgements)</span>
    ) : (
      <span className="text-xs text-gray-600">Not acknowledged</span>
    );
  }
  const first = acks[acks.length - 1];
  const certificates = acks.reduce((n, a) => n + a.certificateIds.length, 0);
  return (
    <span className="text-xs" data-testid="deployment-signed">
      <strong className="font-semibold text-green-800">Signed</strong> {day(first.acknowledgedAt)}
      <span className="block text-gray-600">
        key &ldquo;{first.key.name}&rdquo;, {certificates} certificate{certificates === 1 ? '' : 's'}
      </span>
    </span>
  );
}
