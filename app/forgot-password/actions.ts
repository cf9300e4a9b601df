'use server';

import { headers } from 'next/headers';
import { requestPasswordReset } from '@/lib/auth/password-reset';
import { clientIp } from '@/lib/http/client-ip';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';
import { RESET_MINUTES } from '@/lib/auth/password-reset';

export async function requestResetAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['email']);
  return runAction(async () => {
    await requestPasswordReset({ email: f.email, ip: clientIp(await headers()) });
    return {
      ok: true,
      message:
        `If ${f.email.trim().toLowerCase()} has a forgetme account, a link to choose a new password is on its way. ` + `It works for ${RESET_MINUTES} minutes.`,
    };
  }, f);
}
