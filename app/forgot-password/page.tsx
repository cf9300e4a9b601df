import type { Metadata } from 'next';
import Link from 'next/link';
import { RequestResetForm } from './request-reset-form';

export const metadata: Metadata = { title: 'Reset your password' };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Reset your password</h1>
      <p className="text-gray-700">Give the address of your account. We e-mail a link to choose a new password; choosing one signs you out everywhere.</p>
      <RequestResetForm />
      <p className="text-sm text-gray-700">
        Remembered it?{' '}
        <Link href="/sign-in" className="text-accent underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
