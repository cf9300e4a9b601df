'use client';

import { useActionState, useState } from 'react';
import { Field, FormError, FormSuccess, SubmitButton } from '@/app/_components/form';
import { resendVerificationAction, signInAction } from './actions';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, null);
  const [resendState, resend, resending] = useActionState(resendVerificationAction, null);
  const [email, setEmail] = useState('');
  return (
    <div className="space-y-4">
      <form
        action={action}
        className="space-y-4"
        noValidate
        onChange={(e) => {
          const t = e.target;
          if (t instanceof HTMLInputElement && t.name === 'email') setEmail(t.value);
        }}
      >
        <input type="hidden" name="next" value={next} />
        <Field name="email" label="E-mail address" type="email" autoComplete="email" state={state} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" state={state} />
        <FormError state={state} />
        <SubmitButton pending={pending}>Sign in</SubmitButton>
      </form>
      {state?.error?.code === 'email_not_verified' && (
        <form action={resend} className="space-y-2">
          <input type="hidden" name="email" value={email} />
          <FormSuccess state={resendState} />
          <FormError state={resendState} />
          <button type="submit" disabled={resending} className="text-sm text-accent underline">
            Send me a new confirmation link
          </button>
        </form>
      )}
    </div>
  );
}
