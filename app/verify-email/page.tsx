import type { Metadata } from 'next';
import { ConfirmForm } from './confirm-form';

export const metadata: Metadata = { title: 'Confirm your e-mail address' };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Confirm your e-mail address</h1>
      {token ? (
        <ConfirmForm token={token} />
      ) : (
        <p role="alert" data-code="token_invalid" className="text-red-800">
          This page needs the link from the e-mail we sent you. Open the link from the message, whole.
        </p>
      )}
    </div>
  );
}
