'use client';

import { useActionState } from 'react';
import { Field, FormError, FormSuccess, SubmitButton } from '@/app/_components/form';
import { requestResetAction } from './actions';

export function RequestResetForm() {
  const [state, action, pending] = useActionState(requestResetAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field name="email" label="E-mail address" type="email" autoComplete="email" state={state} />
      <FormError state={state} />
      <FormSuccess state={state} />
      <SubmitButton pending={pending}>Send me a reset link</SubmitButton>
    </form>
  );
}
