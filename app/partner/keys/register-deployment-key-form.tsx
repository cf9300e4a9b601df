'use client';

import { useActionState } from 'react';
import { Field, FormError, FormSuccess, SubmitButton } from '@/app/_components/form';
import { registerDeploymentKeyAction } from './actions';

export function RegisterDeploymentKeyForm() {
  const [state, action, pending] = useActionState(registerDeploymentKeyAction, null);
  const error = state?.error?.fields?.publicKey;
  return (
    <form action={action} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200" noValidate>
      <h3 className="font-semibold">Register a deployment key</h3>
      <Field name="name" id="deployment-key-name" label="Name (where it signs, for example “production deploy”)" state={state} />
      <div className="space-y-1">
        <label htmlFor="field-publicKey" className="block text-sm font-medium">
          Ed25519 public key (PEM or JWK)
        </label>
        <textarea
          id="field-publicKey"
          name="publicKey"
          rows={4}
          required
          defaultValue={state?.values?.publicKey}
          placeholder="-----BEGIN PUBLIC KEY-----"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'field-publicKey-error' : 'field-publicKey-hint'}
          className="block w-full rounded-md border border-gray-300 px-3 py-2 font-mono text-xs shadow-sm aria-[invalid]:border-red-600"
        />
        {error ? (
          <p id="field-publicKey-error" className="text-sm text-red-700">
            {error}
          </p>
        ) : (
          <p id="field-publicKey-hint" className="text-xs text-gray-600">
            Make one where you deploy: <code>openssl genpkey -algorithm ed25519 -out deploy-key.pem</code>, then paste the output of{' '}
            <code>openssl pkey -in deploy-key.pem -pubout</code>. Only the public half: the private key never leaves your systems.
          </p>
        )}
      </div>
      <FormError state={state} />
      <FormSuccess state={state} />
      <SubmitButton pending={pending}>Register key</SubmitButton>
    </form>
  );
}
