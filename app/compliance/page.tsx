import type { Metadata } from 'next';
import { DeniedNotice } from '@/app/_components/denied-notice';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import Link from 'next/link';
import { auditChainStatus } from '@/lib/integrity/chain-status';
import { certificateFilterSchema, listCertificates } from '@/lib/compliance/certificates-query';
import { complianceFigures, LATEST } from '@/lib/compliance/figures';
import { complianceScope } from '@/lib/compliance/scope';
import { ChainStatusText } from './chain-status';
import { FiguresCharts } from './figures-charts';

export const metadata: Metadata = { title: 'Compliance' };

export default async function ComplianceHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.compliance, '/compliance');
  const chain = await auditChainStatus();
  const scope = complianceScope({ type: 'user', user });
  const [certs, figures] = await Promise.all([listCertificates(scope, certificateFilterSchema.parse({ pageSize: 1 })), complianceFigures(scope)]);
  const dur = (s: number | null) =>
    s === null ? 'n/a' : s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
  const who = user.roles.includes('auditor') ? 'every organisation (platform auditor)' : user.organization?.name;
  return (
    <div className="space-y-6">
      <DeniedNotice searchParams={searchParams} />
      <h1 className="text-2xl font-bold">Compliance</h1>
      <p className="text-gray-700">Read-only view of removal certificates and the audit trail for {who}.</p>
      <section aria-labelledby="chain" className="rounded-lg bg-white p-5 ring-1 ring-gray-200">
        <h2 id="chain" className="font-semibold">
          Audit trail integrity
        </h2>
        <ChainStatusText chain={chain} className="mt-2" />
      </section>
      <section aria-labelledby="at-a-glance" className="rounded-lg bg-white p-5 ring-1 ring-gray-200">
        <h2 id="at-a-glance" className="font-semibold">
          At a glance
        </h2>
        <p className="mt-2">
          <Link className="underline" href="/compliance/certificates">
            {certs.total} removal certificate(s)
          </Link>{' '}
          issued. Every certificate can be checked here, at{' '}
          <Link className="underline" href="/verify">
            /verify
          </Link>
          , or offline with <code>forgetme verify</code>; the{' '}
          <Link className="underline" href="/compliance/log">
            transparency log
          </Link>{' '}
          shows it was never rewritten.
        </p>
        <p className="mt-1" data-testid="time-to-certificate">
          Time from a person&apos;s submission to the certificate: median {dur(figures.timeToCertificate.medianSeconds)}, slowest{' '}
          {dur(figures.timeToCertificate.slowestSeconds)} (the latest {figures.timeToCertificate.count} certificate(s)
          {figures.timeToCertificate.count >= LATEST ? '; older ones are not counted' : ''}).
        </p>
      </section>
      <FiguresCharts figures={figures} />
    </div>
  );
}
