import type { LogStatus } from '@/lib/integrity/log-status';

const utc = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

function auditText({ audit, at, live }: NonNullable<LogStatus['full']>): string {
  const when = live ? 'on this view' : `by the full check of ${utc(at)} (every hour)`;
  if (audit.gapAt !== null) return `✗ Entry ${audit.gapAt} is missing while later ones are stored (recomputed ${when}): the log was edited.`;
  if (audit.mismatches.length) {
    const listed = audit.mismatches.slice(0, 10).join(', ');
    return `✗ Signed heads no longer match the stored entries (sizes ${listed}${audit.mismatches.length > 10 ? ', …' : ''}; recomputed ${when}).`;
  }
  if (audit.nodeMismatches)
    return `✗ ${audit.nodeMismatches} stored subtree hash(es) no longer match the entries (recomputed ${when}): proofs served from them would not verify.`;
  return `✓ Every one of the ${audit.heads} signed heads up to size ${audit.size} matches the stored entries (recomputed ${when}).`;
}

const recomputed = (full: NonNullable<LogStatus['full']>) => (full.live ? 'recomputed on this view' : 'the full check recomputed');

/** The log's integrity: the full audit (live on a small log, else the integrity job's) and the O(log n) checks of this view. */
export function LogAuditText({ status }: { status: LogStatus }) {
  const { full, latest, extendsAudited, matchesStored } = status;
  if (!latest) return null;
  const liveOk = matchesStored === true && extendsAudited !== false;
  return (
    <>
      <p data-testid="log-audit" className={full ? (full.audit.ok ? 'text-green-800' : 'text-red-800') : 'text-gray-800'}>
        {full ? auditText(full) : 'No full check of the log has run yet: the job runner runs one every hour.'}
      </p>
      <p data-testid="log-live" className={liveOk ? 'text-green-800' : 'text-red-800'}>
        {matchesStored
          ? '✓ The latest head is the root of the stored subtrees that proofs are served from'
          : '✗ The latest head is not the root of the stored subtrees: proofs served now would not verify'}
        {extendsAudited === null || !full
          ? '.'
          : extendsAudited
            ? `, and a consistency proof shows it extends the ${full.audit.size}-entry log ${recomputed(full)}.`
            : `, but it does not extend the ${full.audit.size}-entry log ${recomputed(full)}: the log was rewritten since.`}
      </p>
    </>
  );
}
