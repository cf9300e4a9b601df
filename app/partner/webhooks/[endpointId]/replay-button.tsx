'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';

export function ReplayButton({ deliveryId }: { deliveryId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        disabled={pending}
        className="text-xs underline disabled:opacity-60"
        onClick={async () => {
          setPending(true);
          setError(null);
          try {
            await api(`/webhooks/deliveries/${deliveryId}/replay`, { method: 'POST' });
            router.refresh();
          } catch (err) {
            setError(err instanceof ApiError ? err.message : 'Something went wrong.');
          } finally {
            setPending(false);
          }
        }}
      >
        {pending ? 'Sending…' : 'Replay'}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </>
  );
}
