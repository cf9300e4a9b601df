import type { Metadata } from 'next';
import Link from 'next/link';
import { DeniedNotice } from '@/app/_components/denied-notice';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { listOwnRequests } from '@/lib/removals/list-requests';

export const metadata: Metadata = { title: 'Your removal requests' };

const STATUS = {
  draft: 'Adding photos',
  matching: 'Searching',
  review: 'Ready for your review',
  submitted: 'Removal requested',
  processing: 'Being removed',
  completed: 'Completed: certificates ready',
  partially_failed: 'Partly done: some removals failed',
  failed: 'Failed',
  withdrawn: 'Withdrawn',
} as const;

export default async function IndividualHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser(PERSONA_ROLES.individual, '/me');
  const requests = await listOwnRequests(user.id);
  return (
    <div className="space-y-6">
      <DeniedNotice searchParams={searchParams} />
      <h1 className="text-2xl font-bold">Hello, {user.name}</h1>
      <section aria-labelledby="requests" className="space-y-3 rounded-lg bg-white p-6 ring-1 ring-gray-200">
        <h2 id="requests" className="text-lg font-semibold">
          Your removal requests
        </h2>
        {requests.length ? (
          <ul className="space-y-1">
            {requests.map((r) => (
              <li key={r.id}>
                <Link className="underline" href={`/me/requests/${r.id}`}>
                  Request of {r.createdAt.toISOString().slice(0, 10)}
                </Link>
                : {STATUS[r.status]}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-gray-700">
            You have no removal requests yet. A request starts with your consent and one to five photos of your own face; we then show you the possible matches
            in the training sets that partner companies have registered.
          </p>
        )}
        <Link href="/me/requests/new" className="inline-block rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black">
          Start a removal request
        </Link>
      </section>
    </div>
  );
}
