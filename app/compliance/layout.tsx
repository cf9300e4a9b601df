import { ConsoleNav } from '@/app/_components/console-nav';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';

const LINKS = [
  ['/compliance', 'Overview'],
  ['/compliance/certificates', 'Certificates'],
  ['/compliance/requests', 'Requests and deadlines'],
  ['/compliance/audit', 'Audit log'],
  ['/compliance/log', 'Transparency log'],
] as const;

export default async function ComplianceLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser(PERSONA_ROLES.compliance, '/compliance');
  return (
    <div className="grid grid-cols-1 gap-8 md:grid-cols-[12rem_minmax(0,1fr)]">
      <ConsoleNav label="Compliance console" heading={user.roles.includes('auditor') ? 'Platform auditor' : user.organization?.name} links={LINKS} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
