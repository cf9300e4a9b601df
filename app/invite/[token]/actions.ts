'use server';

import { redirect } from 'next/navigation';
import { acceptInvitation } from '@/lib/orgs/accept-invitation';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

export async function acceptInvitationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['token', 'name', 'password']);
  const state = await runAction(() => acceptInvitation(f).then(() => undefined), f);
  if (state?.ok) redirect('/sign-in?verified=1');
  return state;
}
