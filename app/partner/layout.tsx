import { ConsoleNav } from '@/app/_components/console-nav';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';

const LINKS = [
  ['/partner', 'Overview'],
  ['/partner/datasets', 'Training sets'],
  ['/partner/models', 'Models'],
  ['/partner/removal-requests', 'Removal requests'],
  ['/partner/webhooks', 'Webhooks'],
  ['/partner/keys', 'API keys'],
  ['/partner/members', 'Members'],
  ['/partner/api', 'API reference'],
] as const;

export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner');
  return (
    <div className="grid grid-cols-1 gap-8 md:grid-cols-[12rem_minmax(0,1fr)]">
      <ConsoleNav label="Partner console" heading={user.organization?.name} links={LINKS} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
