'use client';

import { useActionState } from 'react';
import { revokeKeyAction } from './actions';

export function RevokeButton({ keyId, name }: { keyId: string; name: string }) {
  const [state, action, pending] = useActionState(revokeKeyAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="keyId" value={keyId} />
      <button type="submit" disabled={pending} aria-label={`Revoke ${name}`} className="text-sm text-red-700 underline disabled:opacity-60">
        Revoke
      </button>
      {state?.error ? (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
