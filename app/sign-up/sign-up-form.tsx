'use client';

import { useActionState, useState } from 'react';
import { Field, FormError, FormSuccess, SubmitButton } from '@/app/_components/form';
import { signUpAction } from './actions';

export function SignUpForm({ initialKind }: { initialKind: 'individual' | 'partner' }) {
  const [state, action, pending] = useActionState(signUpAction, null);
  const [kind, setKind] = useState(initialKind);
  if (state?.ok) return <FormSuccess state={state} />;
  return (
    <form action={action} className="space-y-4" noValidate>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">I am</legend>
        {(
          [
            ['individual', 'A person who wants their face removed'],
            ['partner', 'A company that trains face-recognition models'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <Field name="name" label="Your name" autoComplete="name" state={state} />
      <Field name="email" label="E-mail address" type="email" autoComplete="email" state={state} />
      <Field name="password" label="Password" type="password" autoComplete="new-password" hint="At least 10 characters." state={state} />
      {kind === 'partner' && <Field name="organizationName" label="Company name" autoComplete="organization" state={state} />}
      <FormError state={state} />
      <SubmitButton pending={pending}>Create my account</SubmitButton>
    </form>
  );
}
