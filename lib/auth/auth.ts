import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { cookies } from 'next/headers';
import { env } from '@/lib/config/env';
import { getAuthSecret } from '@/lib/crypto/secrets';
import { isAppError } from '@/lib/errors/app-error';
import { clientIp } from '@/lib/http/client-ip';
import { log } from '@/lib/log/logger';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from './device-cookie';
import { createSession, revokeSession, SESSION_HOURS } from './sessions';
import { verifyCredentials } from './verify-credentials';

declare module 'next-auth' {
  interface Session {
    /** The server-side session (user_sessions) this cookie names. */
    sessionId?: string;
  }
}

/**
 * A failed sign-in whose `code` (invalid_credentials, email_not_verified, rate_limited.SECONDS)
 * the page shows; a throttled attempt carries how long to wait.
 */
class SignInRefused extends CredentialsSignin {
  constructor(code: string, retryAfterSeconds?: number) {
    super();
    this.code = retryAfterSeconds ? `${code}.${retryAfterSeconds}` : code;
  }
}

/**
 * Auth.js v5: e-mail and password (credentials) with JWT session cookies that carry the user id
 * and a server-side session id; both are checked against the database on every request
 * (lib/auth/current-user.ts), so sign-out, a removed membership or a password reset take effect
 * at once. A successful sign-in also sets the trusted-device cookie (lib/auth/device-cookie.ts).
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getAuthSecret(),
  trustHost: true,
  session: { strategy: 'jwt', maxAge: SESSION_HOURS * 3600 },
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
        const jar = await cookies();
        try {
          const { userId, deviceToken } = await verifyCredentials({
            email: credentials.email,
            password: credentials.password,
            ip: clientIp(request.headers),
            deviceToken: jar.get(DEVICE_COOKIE)?.value,
          });
          jar.set(DEVICE_COOKIE, deviceToken, {
            httpOnly: true,
            sameSite: 'lax',
            secure: env().publicUrl.startsWith('https:'),
            path: '/',
            maxAge: DEVICE_COOKIE_DAYS * 86400,
          });
          return { id: userId };
        } catch (err) {
          if (isAppError(err)) throw new SignInRefused(err.code, Number(err.details?.retryAfterSeconds) || undefined);
          throw err;
        }
      },
    }),
  ],
  callbacks: {
    jwt: async ({ token, user }) => {
      if (user?.id) {
        token.uid = user.id;
        token.sid = await createSession(user.id);
      }
      return token;
    },
    session: ({ session, token }) => {
      if (typeof token.uid === 'string') session.user.id = token.uid;
      if (typeof token.sid === 'string') session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    signOut: async (message) => {
      const sid = 'token' in message ? message.token?.sid : undefined;
      if (typeof sid === 'string') await revokeSession(sid);
    },
  },
}));
