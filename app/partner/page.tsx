import type { Metadata } from 'next';
import { DeniedNotice } from '@/app/_components/denied-notice';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { getOrganization } from '@/lib/orgs/get-organization';

export const metadata: Metadata = { title: 'Partner console' };

export default async function PartnerHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.partner, '/partner');
  const org = await getOrganization({ organizationId: user.organization!.id });
  return (
    <div className="space-y-6">
      <DeniedNotice searchParams={searchParams} />
      <h1 className="text-2xl font-bold">Partner console · {org.name}</h1>
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg bg-white p-4 ring-1 ring-gray-200">
          <dt className="text-sm text-gray-600">Members</dt>
          <dd className="text-2xl font-semibold">{org.members}</dd>
        </div>
        <div className="rounded-lg bg-white p-4 ring-1 ring-gray-200">
          <dt className="text-sm text-gray-600">Your role</dt>
          <dd className="text-2xl font-semibold capitalize">{user.organization!.role}</dd>
        </div>
      </dl>
      <p className="text-gray-700">
        Register your face training sets and the models trained on them here; removal requests that touch them arrive as signed
        webhooks and as certified new model versions.
      </p>
    </div>
  );
}
