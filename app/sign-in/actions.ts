'use server';

import { CredentialsSignin } from 'next-auth';
import { signIn } from '@/lib/auth/auth';
import { resendVerification } from '@/lib/auth/resend-verification';
import { safeNext } from '@/lib/auth/safe-next';
import { waitPhrase } from '@/lib/auth/verify-credentials';
import { AppError, ERROR_CODES, type ErrorCode } from '@/lib/errors/app-error';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  invalid_credentials: 'The e-mail address or password is wrong.',
  email_not_verified: 'Confirm your e-mail address first: open the link we sent you, or ask for a new one below.',
  rate_limited: 'Too many failed sign-ins. Wait a little and try again.',
};

/** The page's message for a refused sign-in's code (`rate_limited.SECONDS` says how long to wait). */
function refusal(raw: string): AppError {
  const [name, seconds] = raw.split('.');
  const code = (ERROR_CODES as readonly string[]).includes(name) ? (name as ErrorCode) : 'invalid_credentials';
  if (code === 'rate_limited' && Number(seconds) > 0) {
    return new AppError(code, `Too many failed sign-ins. Try again in ${waitPhrase(Number(seconds))}.`, { retryAfterSeconds: Number(seconds) });
  }
  return new AppError(code, MESSAGES[code] ?? MESSAGES.invalid_credentials!);
}

export async function signInAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['email', 'password', 'next']);
  return runAction(async () => {
    try {
      await signIn('credentials', { email: f.email, password: f.password, redirectTo: safeNext(f.next) });
    } catch (err) {
      if (err instanceof CredentialsSignin) throw refusal(err.code);
      throw err;
    }
  }, f);
}

export async function resendVerificationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { email } = formFields(form, ['email']);
    await resendVerification({ email });
    return { ok: true, message: 'If this address has an unconfirmed account, a new link is on its way.' };
  });
}
