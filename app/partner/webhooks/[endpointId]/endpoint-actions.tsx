'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';
import { SecretOnce } from '../secret-once';
import { ErrorAlert } from '@/app/_components/error-alert';

export function EndpointActions({ endpointId, enabled }: { endpointId: string; enabled: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      await fn();
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
    } finally {
      setPending(false);
    }
  };
  const button = 'rounded-md px-3 py-1.5 text-sm ring-1 ring-gray-300 hover:bg-gray-50 disabled:opacity-60';
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={button}
          disabled={pending}
          onClick={() =>
            run(async () => {
              await api(`/webhooks/endpoints/${endpointId}/ping`, { method: 'POST' });
              setNotice('Ping sent: it appears in the delivery log below.');
              setTimeout(() => router.refresh(), 1500);
            })
          }
        >
          Send a ping
        </button>
        <button
          type="button"
          className={button}
          disabled={pending}
          onClick={() =>
            run(async () => {
              const r = await api<{ secret: string }>(`/webhooks/endpoints/${endpointId}/rotate-secret`, { method: 'POST' });
              setSecret(r.secret);
            })
          }
        >
          Rotate the secret
        </button>
        <button
          type="button"
          className={button}
          disabled={pending}
          onClick={() => run(async () => void (await api(`/webhooks/endpoints/${endpointId}`, { method: 'PATCH', json: { enabled: !enabled } })))}
        >
          {enabled ? 'Disable' : 'Re-enable'}
        </button>
        <button
          type="button"
          className={`${button} text-red-700`}
          disabled={pending}
          onClick={() =>
            run(async () => {
              if (!window.confirm('Delete this endpoint? It will receive nothing more; its delivery log is kept.')) return;
              await api(`/webhooks/endpoints/${endpointId}`, { method: 'DELETE' });
              router.push('/partner/webhooks');
            })
          }
        >
          Delete
        </button>
      </div>
      {notice ? (
        <p role="status" className="text-sm text-green-800">
          {notice}
        </p>
      ) : null}
      {secret ? <SecretOnce secret={secret} /> : null}
      <ErrorAlert message={error} />
    </div>
  );
}
