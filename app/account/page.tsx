import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { ACCOUNT_ROLES } from '@/lib/auth/roles';
import { DeleteAccountForm } from './delete-account-form';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const user = await requirePageUser(ACCOUNT_ROLES, '/account');
  return (
    <div className="mx-auto max-w-xl space-y-8">
      <h1 className="text-2xl font-bold">Your account</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-gray-600">Name</dt>
        <dd>{user.name}</dd>
        <dt className="text-gray-600">E-mail address</dt>
        <dd>{user.email}</dd>
        {user.organization && (
          <>
            <dt className="text-gray-600">Organisation</dt>
            <dd>{user.organization.name}</dd>
          </>
        )}
      </dl>
      <section aria-labelledby="delete-heading" className="space-y-3 rounded-md border border-red-200 bg-white p-4">
        <h2 id="delete-heading" className="text-lg font-semibold">
          Delete your account
        </h2>
        {user.organization ? (
          <p className="text-sm text-gray-700">
            You leave {user.organization.name} and can no longer sign in. What you did for the organisation stays in its audit trail. If you are its only
            administrator, make another member administrator first.
          </p>
        ) : (
          <ul className="list-disc space-y-1 pl-5 text-sm text-gray-700">
            <li>Requests you have not submitted are withdrawn.</li>
            <li>Your reference photos and the data describing your face are deleted at once, from every request.</li>
            <li>Requests already submitted still complete, since the companies were asked to remove your photos; we can no longer e-mail you about them.</li>
            <li>
              We keep what the law and the certificates need: the audit trail and the certificates, which hold no image of you and no description of your face,
              under an account whose name, address and password are erased.
            </li>
          </ul>
        )}
        <DeleteAccountForm />
      </section>
    </div>
  );
}
