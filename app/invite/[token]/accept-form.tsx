'use client';

import { useActionState } from 'react';
import { Field, FormError, SubmitButton } from '@/app/_components/form';
import { acceptInvitationAction } from './actions';

export function AcceptForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(acceptInvitationAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <Field name="name" label="Your name" autoComplete="name" state={state} />
      <Field name="password" label="Choose a password" type="password" autoComplete="new-password" hint="At least 10 characters." state={state} />
      <FormError state={state} />
      <SubmitButton pending={pending}>Join the organisation</SubmitButton>
    </form>
  );
}
