import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { CONSENT_POINTS, CONSENT_VERSION } from '@/lib/removals/consent';
import { ConsentForm } from './consent-form';

export const metadata: Metadata = { title: 'Start a removal request' };

export default async function NewRequestPage() {
  await requirePageUser(PERSONA_ROLES.individual, '/me/requests/new');
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-2xl font-bold">Before we start: how your photos are used</h1>
      <p className="text-gray-700">
        To find your face in companies&apos; training sets we need photos of you. Please read this first; nothing is processed until you agree.
      </p>
      <ul className="list-disc space-y-2 pl-6 text-gray-800">
        {CONSENT_POINTS.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <ConsentForm version={CONSENT_VERSION} />
    </div>
  );
}
