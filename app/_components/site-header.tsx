import Link from 'next/link';
import { currentUser } from '@/lib/auth/current-user';
import { homePath } from '@/lib/auth/roles';
import { signOutAction } from '@/app/_actions/sign-out';

export async function SiteHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-gray-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          forgetme
        </Link>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <Link href="/how-matching-works" className="hover:underline">
            How matching works
          </Link>
          <Link href="/verify" className="hover:underline">
            Verify a certificate
          </Link>
          {user ? (
            <>
              <Link href={homePath(user)} className="hover:underline">
                {user.name}
                {user.organization ? ` · ${user.organization.name}` : ''}
              </Link>
              {!user.roles.includes('auditor') && (
                <Link href="/account" className="hover:underline">
                  Account
                </Link>
              )}
              <form action={signOutAction}>
                <button type="submit" className="rounded-md border border-gray-300 px-3 py-1 hover:bg-gray-50">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/sign-in" className="hover:underline">
                Sign in
              </Link>
              <Link href="/sign-up" className="rounded-md bg-ink px-3 py-1 text-white hover:bg-black">
                Create an account
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
