'use client';

import { useActionState } from 'react';
import { FormError, SubmitButton } from '@/app/_components/form';
import { startRequestAction } from '../../actions';

export function ConsentForm({ version }: { version: string }) {
  const [state, action, pending] = useActionState(startRequestAction, null);
  return (
    <form action={action} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200">
      <input type="hidden" name="consentVersion" value={version} />
      <label className="flex items-start gap-2">
        <input type="checkbox" name="consent" value="yes" className="mt-1" />
        <span>I agree that forgetme processes photos of my face, as described above, to find and remove my photos from face-recognition models.</span>
      </label>
      <FormError state={state} />
      <SubmitButton pending={pending}>Agree and continue</SubmitButton>
    </form>
  );
}
