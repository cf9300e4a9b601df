import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/current-user';
import { homePath } from '@/lib/auth/roles';
import { safeNext } from '@/lib/auth/safe-next';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; verified?: string; reset?: string }> }) {
  const { next, verified, reset } = await searchParams;
  const user = await currentUser();
  if (user) redirect(homePath(user));
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {verified && (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          Your e-mail address is confirmed. You can sign in now.
        </p>
      )}
      {reset && (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          Your password is changed and every other session is signed out. Sign in with the new password.
        </p>
      )}
      <SignInForm next={safeNext(next)} />
      <p className="text-sm text-gray-700">
        <Link href="/forgot-password" className="text-accent underline">
          Forgot your password?
        </Link>
      </p>
      <p className="text-sm text-gray-700">
        New here?{' '}
        <Link href="/sign-up" className="text-accent underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
