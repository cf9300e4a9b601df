import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getAuthSecret } from '@/lib/crypto/secrets';
import { isAppError } from '@/lib/errors/app-error';
import { clientIp } from '@/lib/http/client-ip';
import { log } from '@/lib/log/logger';
import { verifyCredentials } from './verify-credentials';

/** A failed sign-in whose `code` (invalid_credentials, email_not_verified, rate_limited) the page shows. */
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

/**
 * Auth.js v5: e-mail and password (credentials) with JWT sessions that carry only the user id;
 * roles are read from the database on every request (lib/auth/current-user.ts), so a removed
 * membership takes effect at once.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getAuthSecret(),
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 8 * 3600 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  // A refused sign-in is an expected outcome (already audited), not a server error.
  logger: {
    // Matched by Auth.js's `type`: production builds minify the class name.
    error: (error) =>
      error instanceof CredentialsSignin || (error as { type?: string }).type === 'CredentialsSignin'
        ? log.debug('sign-in refused', { code: (error as CredentialsSignin).code })
        : log.error('auth error', { error }),
    warn: (code) => log.warn('auth warning', { code }),
  },
  providers: [
    Credentials({
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      authorize: async (credentials, request) => {
        try {
          const { userId } = await verifyCredentials({ email: credentials.email, password: credentials.password, ip: clientIp(request.headers) });
          return { id: userId };
        } catch (err) {
          if (isAppError(err)) throw new SignInRefused(err.code);
          throw err;
        }
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session: ({ session, token }) => {
      if (typeof token.uid === 'string') session.user.id = token.uid;
      return session;
    },
  },
}));
