import type { Metadata } from 'next';
import { isAppError } from '@/lib/errors/app-error';
import { getInvitation } from '@/lib/orgs/get-invitation';
import { AcceptForm } from './accept-form';

export const metadata: Metadata = { title: 'Accept an invitation' };

const ROLE_LABELS = { admin: 'administrator', engineer: 'engineer', compliance: 'compliance officer' } as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await getInvitation({ token }).catch((err) => {
    if (isAppError(err)) return err;
    throw err;
  });
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Accept an invitation</h1>
      {isAppError(invitation) ? (
        <p role="alert" data-code={invitation.code} className="rounded-md border border-red-300 bg-red-50 p-3 text-red-800">
          {invitation.message}
        </p>
      ) : (
        <>
          <p>
            You are invited to join <strong>{invitation.organizationName}</strong> as {ROLE_LABELS[invitation.role]}, with the address{' '}
            <strong>{invitation.email}</strong>.
          </p>
          <AcceptForm token={token} />
        </>
      )}
    </div>
  );
}
