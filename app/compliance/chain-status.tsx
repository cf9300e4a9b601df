import type { ChainStatus } from '@/lib/integrity/chain-status';

const utc = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The audit chain's state: the last full check and what this view checked since (lib/integrity/chain-status.ts). */
export function ChainStatusText({ chain, className = '' }: { chain: ChainStatus; className?: string }) {
  if (!chain.ok) {
    return (
      <p className={`${className} text-red-800`} data-testid="chain-status">
        ✗ The chain is broken at event {chain.brokenAt.seq} ({chain.brokenAt.reason.replace('_', ' ')}): a stored event was altered or removed
        {chain.foundBy === 'full_check' && chain.fullAt ? ` (found by the full check of ${utc(chain.fullAt)}).` : ' (found on this view).'}
      </p>
    );
  }
  const covered = chain.events - chain.checkedNow;
  return (
    <p className={`${className} text-green-800`} data-testid="chain-status">
      {chain.unchecked
        ? `✓ Verified: the first ${chain.events} events form an unbroken hash chain; the ${chain.unchecked} newest await the next full check.`
        : `✓ Verified: all ${chain.events} events form an unbroken hash chain.`}{' '}
      <span className="text-gray-700">
        {chain.fullAt
          ? `The first ${covered} were recomputed by the full check of ${utc(chain.fullAt)} (every hour); the ${chain.checkedNow} since, on this view.`
          : 'Recomputed on this view; no full check has run yet (the job runner runs one every hour).'}
      </span>
    </p>
  );
}
