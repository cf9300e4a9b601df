'use client';

import { useActionState } from 'react';
import { revokeDeploymentKeyAction, revokeKeyAction } from './actions';

/** Revokes an API key, or with `deployment` a deployment signing key. */
export function RevokeButton({ keyId, name, deployment = false }: { keyId: string; name: string; deployment?: boolean }) {
  const [state, action, pending] = useActionState(deployment ? revokeDeploymentKeyAction : revokeKeyAction, null);
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

/** A key's status cell: when it was revoked; for an administrator, the revoke button; else "Active". */
export function KeyStatus(props: { keyId: string; name: string; revokedAt: string | null; admin: boolean; deployment?: boolean }) {
  if (props.revokedAt) return <span className="text-gray-500">Revoked {props.revokedAt.replace('T', ' ').slice(0, 16)} UTC</span>;
  return props.admin ? <RevokeButton keyId={props.keyId} name={props.name} deployment={props.deployment} /> : 'Active';
}
