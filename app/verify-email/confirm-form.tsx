'use client';

import { useActionState } from 'react';
import { FormError, SubmitButton } from '@/app/_components/form';
import { verifyEmailAction } from './actions';

/** Confirmation is a button press, not the link visit itself, so mail scanners that open links do not use it up. */
export function ConfirmForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(verifyEmailAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <FormError state={state} />
      <SubmitButton pending={pending}>Confirm my e-mail address</SubmitButton>
    </form>
  );
}
