import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetForm } from './reset-form';

export const metadata: Metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {typeof token === 'string' && token ? (
        <ResetForm token={token} />
      ) : (
        <p role="alert" data-code="token_invalid" className="text-red-800">
          This page needs the link from the e-mail we sent you. Open the link from the message, whole, or{' '}
          <Link href="/forgot-password" className="underline">
            ask for a new one
          </Link>
          .
        </p>
      )}
    </div>
  );
}
