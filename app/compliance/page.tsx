import type { Metadata } from 'next';
import { DeniedNotice } from '@/app/_components/denied-notice';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';

export const metadata: Metadata = { title: 'Compliance' };

export default async function ComplianceHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.compliance, '/compliance');
  const chain = await verifyAuditChain();
  const scope = user.roles.includes('auditor') ? 'every organisation (platform auditor)' : user.organization?.name;
  return (
    <div className="space-y-6">
      <DeniedNotice searchParams={searchParams} />
      <h1 className="text-2xl font-bold">Compliance</h1>
      <p className="text-gray-700">Read-only view of removal certificates and the audit trail for {scope}.</p>
      <section aria-labelledby="chain" className="rounded-lg bg-white p-5 ring-1 ring-gray-200">
        <h2 id="chain" className="font-semibold">
          Audit trail integrity
        </h2>
        {chain.ok ? (
          <p className="mt-2 text-green-800" data-testid="chain-status">
            ✓ Verified: all {chain.checked} events form an unbroken hash chain.
          </p>
        ) : (
          <p className="mt-2 text-red-800" data-testid="chain-status">
            ✗ The chain is broken at event {chain.brokenAt.seq} ({chain.brokenAt.reason.replace('_', ' ')}): a stored event was
            altered or removed.
          </p>
        )}
      </section>
    </div>
  );
}
