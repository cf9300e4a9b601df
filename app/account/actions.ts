'use server';

import { signOut } from '@/lib/auth/auth';
import { requirePageUser } from '@/lib/auth/current-user';
import { deleteAccount } from '@/lib/auth/delete-account';
import { ACCOUNT_ROLES } from '@/lib/auth/roles';
import { AppError } from '@/lib/errors/app-error';
import { formFields, runAction, type ActionState } from '@/lib/http/action-state';

export async function deleteAccountAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const f = formFields(form, ['password', 'confirm']);
  const state = await runAction(async () => {
    const user = await requirePageUser(ACCOUNT_ROLES, '/account');
    if (f.confirm !== 'yes') throw new AppError('validation_failed', 'Tick the box to confirm that you want to delete your account.');
    await deleteAccount({ userId: user.id, password: f.password });
  });
  if (state?.ok) await signOut({ redirectTo: '/?deleted=1' });
  return state;
}
