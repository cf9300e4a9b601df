'use client';

import { useActionState } from 'react';
import { FormError, FormSuccess } from '@/app/_components/form';
import { startMatchingAction, withdrawAction } from '../../actions';

export function SearchButton({ requestId, disabled }: { requestId: string; disabled: boolean }) {
  const [state, action, pending] = useActionState(startMatchingAction, null);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="requestId" value={requestId} />
      <FormError state={state} />
      <button type="submit" disabled={pending || disabled} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
        {pending ? 'Starting…' : 'Search for my photos'}
      </button>
    </form>
  );
}

export function WithdrawButton({ requestId }: { requestId: string }) {
  const [state, action, pending] = useActionState(withdrawAction, null);
  return (
    <form action={action} className="space-y-2 border-t border-gray-200 pt-4">
      <input type="hidden" name="requestId" value={requestId} />
      <FormError state={state} />
      <FormSuccess state={state} />
      <button type="submit" disabled={pending} className="text-sm text-red-700 underline disabled:opacity-60">
        Withdraw this request and delete my photos
      </button>
    </form>
  );
}
