'use client';

import { useActionState } from 'react';
import { Field, FormError, FormSuccess, SubmitButton } from '@/app/_components/form';
import { inviteMemberAction } from './actions';

export function InviteForm() {
  const [state, action, pending] = useActionState(inviteMemberAction, null);
  return (
    <form action={action} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200" noValidate>
      <h2 className="font-semibold">Invite a member</h2>
      <Field name="email" label="E-mail address" type="email" state={state} />
      <div className="space-y-1">
        <label htmlFor="field-role" className="block text-sm font-medium">
          Role
        </label>
        <select id="field-role" name="role" defaultValue="engineer" className="block w-full rounded-md border border-gray-300 px-3 py-2">
          <option value="admin">Administrator: members, keys and everything else</option>
          <option value="engineer">Engineer: training sets, models and webhooks</option>
          <option value="compliance">Compliance officer: certificates and audit trail, read-only</option>
        </select>
      </div>
      <FormError state={state} />
      <FormSuccess state={state} />
      <SubmitButton pending={pending}>Send invitation</SubmitButton>
    </form>
  );
}
