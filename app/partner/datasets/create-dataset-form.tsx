'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';
import { ErrorAlert } from '@/app/_components/error-alert';

export function CreateDatasetForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    try {
      const { dataset } = await api<{ dataset: { id: string } }>('/datasets', {
        json: { name: String(form.get('name') ?? ''), description: String(form.get('description') ?? '') },
      });
      router.push(`/partner/datasets/${dataset.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
      setPending(false);
    }
  }
  return (
    <form action={submit} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200">
      <h2 className="font-semibold">Register a training set</h2>
      <p className="space-y-1">
        <label htmlFor="dataset-name" className="block text-sm font-medium">
          Name
        </label>
        <input id="dataset-name" name="name" required maxLength={120} className="block w-full rounded-md border border-gray-300 px-3 py-2" />
      </p>
      <p className="space-y-1">
        <label htmlFor="dataset-description" className="block text-sm font-medium">
          Description (optional)
        </label>
        <input id="dataset-description" name="description" maxLength={2000} className="block w-full rounded-md border border-gray-300 px-3 py-2" />
      </p>
      <ErrorAlert message={error} />
      <button type="submit" disabled={pending} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
        {pending ? 'Please wait…' : 'Create training set'}
      </button>
    </form>
  );
}
