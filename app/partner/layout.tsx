import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';

export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner');
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <nav aria-label="Partner console" className="space-y-1 text-sm">
        <p className="mb-2 font-semibold">{user.organization?.name}</p>
        <Link href="/partner" className="block rounded px-2 py-1 hover:bg-gray-100">
          Overview
        </Link>
        {(
          [
            ['/partner/datasets', 'Training sets'],
            ['/partner/models', 'Models'],
            ['/partner/webhooks', 'Webhooks'],
            ['/partner/keys', 'API keys'],
            ['/partner/members', 'Members'],
            ['/partner/api', 'API reference'],
          ] as const
        ).map(([href, label]) => (
          <Link key={href} href={href} className="block rounded px-2 py-1 hover:bg-gray-100">
            {label}
          </Link>
        ))}
      </nav>
      <div>{children}</div>
    </div>
  );
}
