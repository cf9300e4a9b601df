import type { Metadata } from 'next';
import { DeniedNotice } from '@/app/_components/denied-notice';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Your removal requests' };

export default async function IndividualHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.individual, '/me');
  return (
    <div className="space-y-6">
      <DeniedNotice searchParams={searchParams} />
      <h1 className="text-2xl font-bold">Hello, {user.name}</h1>
      <section aria-labelledby="requests" className="rounded-lg bg-white p-6 ring-1 ring-gray-200">
        <h2 id="requests" className="text-lg font-semibold">
          Your removal requests
        </h2>
        <p className="mt-2 text-gray-700">
          You have no removal requests yet. A request starts with your consent and one to five photos of your own face; we then
          show you the possible matches in the training sets that partner companies have registered.
        </p>
      </section>
    </div>
  );
}
