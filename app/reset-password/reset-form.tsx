'use client';

import { useActionState } from 'react';
import { Field, FormError, SubmitButton } from '@/app/_components/form';
import { resetPasswordAction } from './actions';

export function ResetForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(resetPasswordAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <Field name="password" label="New password" type="password" autoComplete="new-password" hint="At least 10 characters." state={state} />
      <FormError state={state} />
      <SubmitButton pending={pending}>Set the new password</SubmitButton>
    </form>
  );
}
