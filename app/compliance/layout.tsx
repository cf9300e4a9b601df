import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';

export default async function ComplianceLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser(PERSONA_ROLES.compliance, '/compliance');
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <nav aria-label="Compliance console" className="space-y-1 text-sm">
        <p className="mb-2 font-semibold">{user.roles.includes('auditor') ? 'Platform auditor' : user.organization?.name}</p>
        {(
          [
            ['/compliance', 'Overview'],
            ['/compliance/certificates', 'Certificates'],
            ['/compliance/requests', 'Requests and deadlines'],
            ['/compliance/audit', 'Audit log'],
            ['/compliance/log', 'Transparency log'],
          ] as const
        ).map(([href, label]) => (
          <Link key={href} href={href} className="block rounded px-2 py-1 hover:bg-gray-100">
            {label}
          </Link>
        ))}
      </nav>
      <div className="min-w-0">{children}</div>
    </div>
  );
}
