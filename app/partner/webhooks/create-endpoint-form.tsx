'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';
import { SecretOnce } from './secret-once';
import { ErrorAlert } from '@/app/_components/error-alert';

export function CreateEndpointForm({ events }: { events: { type: string; description: string }[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    try {
      const r = await api<{ endpoint: { id: string }; secret: string }>('/webhooks/endpoints', {
        json: { url: String(form.get('url') ?? ''), description: String(form.get('description') ?? ''), events: form.getAll('events').map(String) },
      });
      setCreated({ id: r.endpoint.id, secret: r.secret });
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
    } finally {
      setPending(false);
    }
  }
  return (
    <form action={submit} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200">
      <h2 className="font-semibold">Add an endpoint</h2>
      <p className="space-y-1">
        <label htmlFor="endpoint-url" className="block text-sm font-medium">
          URL (https)
        </label>
        <input
          id="endpoint-url"
          name="url"
          type="url"
          required
          className="block w-full rounded-md border border-gray-300 px-3 py-2"
          placeholder="https://example.com/forgetme/webhooks"
        />
      </p>
      <p className="space-y-1">
        <label htmlFor="endpoint-description" className="block text-sm font-medium">
          Description (optional)
        </label>
        <input id="endpoint-description" name="description" maxLength={500} className="block w-full rounded-md border border-gray-300 px-3 py-2" />
      </p>
      <fieldset className="space-y-1 text-sm">
        <legend className="font-medium">Events</legend>
        {events.map((e) => (
          <label key={e.type} className="flex items-start gap-2">
            <input type="checkbox" name="events" value={e.type} defaultChecked={e.type !== 'ping'} className="mt-1" />
            <span>
              <code>{e.type}</code>: {e.description}
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorAlert message={error} />
      {created ? <SecretOnce secret={created.secret} href={`/partner/webhooks/${created.id}`} /> : null}
      <button type="submit" disabled={pending} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
        {pending ? 'Please wait…' : 'Add endpoint'}
      </button>
    </form>
  );
}
