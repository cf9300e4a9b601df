'use client';

import { useActionState } from 'react';
import { CopyButton } from '@/app/_components/copy-button';
import { Field, FormError, FormSuccess, SubmitButton } from '@/app/_components/form';
import { createKeyAction } from './actions';

const SCOPES: { scope: string; label: string; preset: boolean }[] = [
  { scope: 'organization:read', label: 'Read the organisation', preset: true },
  { scope: 'datasets:read', label: 'Read datasets and items', preset: true },
  { scope: 'datasets:write', label: 'Create datasets and upload images', preset: true },
  { scope: 'models:read', label: 'Read models, download weights', preset: true },
  { scope: 'models:write', label: 'Train models, send signed deployment acknowledgements', preset: true },
  { scope: 'deployment-keys:write', label: 'Register and revoke deployment signing keys', preset: false },
  { scope: 'requests:read', label: 'Read removal requests', preset: true },
  { scope: 'webhooks:read', label: 'Read webhook endpoints and deliveries', preset: true },
  { scope: 'webhooks:write', label: 'Manage webhook endpoints, replay deliveries', preset: false },
  { scope: 'compliance:read', label: 'Certificates and audit trail (read-only)', preset: false },
];

export function CreateKeyForm() {
  const [state, action, pending] = useActionState(createKeyAction, null);
  return (
    <form action={action} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200" noValidate>
      <h2 className="font-semibold">Create an API key</h2>
      <Field name="name" label="Name (what uses it, for example “training pipeline”)" state={state} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.scope} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="scopes" value={s.scope} defaultChecked={s.preset} />
            <code className="text-xs">{s.scope}</code> {s.label}
          </label>
        ))}
      </fieldset>
      <FormError state={state} />
      <FormSuccess state={state} />
      {state?.ok && state.values?.key ? (
        <p className="space-y-1 text-sm">
          <label htmlFor="new-key" className="block font-medium">
            Your new key
          </label>
          <span className="flex items-center gap-2">
            <input
              id="new-key"
              readOnly
              value={state.values.key}
              className="block w-full rounded-md border border-gray-300 bg-gray-50 px-3 py-2 font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton value={state.values.key} label="Copy key" />
          </span>
          <span className="block text-xs text-gray-600">Shown once: only a hash of it is kept. Store it in your pipeline&apos;s secrets now.</span>
        </p>
      ) : null}
      <SubmitButton pending={pending}>Create key</SubmitButton>
    </form>
  );
}
