'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';

export function DeployButton({ modelId, version }: { modelId: string; version: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={pending}
        className="text-sm underline disabled:opacity-60"
        onClick={async () => {
          setPending(true);
          try {
            await api(`/models/${modelId}/versions/${version}/deployment`, { method: 'POST' });
            router.refresh();
          } catch (err) {
            setError(err instanceof ApiError ? err.message : 'Something went wrong.');
          } finally {
            setPending(false);
          }
        }}
      >
        Mark v{version} deployed
      </button>
      {error ? (
        <span role="alert" className="block text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </>
  );
}
