'use client';

import { useActionState } from 'react';
import { Field, FormError, SubmitButton } from '@/app/_components/form';
import { deleteAccountAction } from './actions';

export function DeleteAccountForm() {
  const [state, action, pending] = useActionState(deleteAccountAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field name="password" label="Your password" type="password" autoComplete="current-password" state={state} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="confirm" value="yes" className="mt-1" />
        <span>I understand that this cannot be undone.</span>
      </label>
      <FormError state={state} />
      <SubmitButton pending={pending}>Delete my account</SubmitButton>
    </form>
  );
}
