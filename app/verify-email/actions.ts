'use server';

import { redirect } from 'next/navigation';
import { verifyEmail } from '@/lib/auth/verify-email';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

export async function verifyEmailAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await runAction(async () => {
    await verifyEmail({ token: formFields(form, ['token']).token });
  });
  if (state?.ok) redirect('/sign-in?verified=1');
  return state;
}
