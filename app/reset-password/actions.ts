'use server';

import { redirect } from 'next/navigation';
import { resetPassword } from '@/lib/auth/password-reset';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

export async function resetPasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['token', 'password']);
  const state = await runAction(async () => {
    await resetPassword({ token: f.token, password: f.password });
  });
  if (state?.ok) redirect('/sign-in?reset=1');
  return state;
}
