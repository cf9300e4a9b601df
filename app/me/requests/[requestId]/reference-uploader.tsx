'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

type Item = { name: string; preview: string; state: 'uploading' | 'accepted' | 'refused'; message?: string; code?: string };

/** Drag and drop or choose photos; each is checked on the server and shown with its result. */
export function ReferenceUploader({ requestId, existing, max }: { requestId: string; existing: number; max: number }) {
  const router = useRouter();
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  // The count when this page opened, plus what was accepted here: `existing` itself grows when the
  // page refreshes after an upload, and adding both would count each photo twice.
  const [baseline] = useState(existing);
  const accepted = baseline + items.filter((i) => i.state === 'accepted').length;

  async function upload(files: File[]) {
    const room = Math.max(0, max - accepted - items.filter((i) => i.state === 'uploading').length);
    for (const file of files.slice(0, room)) {
      const item: Item = { name: file.name, preview: URL.createObjectURL(file), state: 'uploading' };
      setItems((xs) => [...xs, item]);
      const body = new FormData();
      body.append('photo', file);
      let next: Item;
      try {
        const res = await fetch(`/api/me/requests/${requestId}/references`, { method: 'POST', body });
        const data = await res.json().catch(() => null);
        next = res.ok ? { ...item, state: 'accepted' } : { ...item, state: 'refused', code: data?.error?.code, message: data?.error?.message ?? `The server answered ${res.status}.` };
      } catch {
        next = { ...item, state: 'refused', message: 'The upload failed: check your connection and try again.' };
      }
      setItems((xs) => xs.map((x) => (x.preview === item.preview ? next : x)));
    }
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void upload([...e.dataTransfer.files]);
        }}
        className={`rounded-lg border-2 border-dashed p-6 text-center ${over ? 'border-ink bg-gray-50' : 'border-gray-300 bg-white'}`}
      >
        <p className="mb-2 text-gray-700">Drop photos here, or</p>
        <label htmlFor="reference-photos" className="cursor-pointer rounded-md bg-ink px-4 py-2 text-sm font-medium text-white">
          Choose photos of yourself
        </label>
        <input id="reference-photos" type="file" accept="image/jpeg,image/png,image/webp" multiple className="sr-only" onChange={(e) => void upload([...(e.target.files ?? [])])} disabled={accepted >= max} />
        <p className="mt-2 text-xs text-gray-500">
          JPEG, PNG or WebP, up to 20 MB each. {accepted} of {max} added.
        </p>
      </div>
      {items.length ? (
        <ul className="grid gap-3 sm:grid-cols-3" aria-live="polite">
          {items.map((i) => (
            <li key={i.preview} data-testid="reference" data-state={i.state} className="rounded-lg bg-white p-2 text-sm ring-1 ring-gray-200">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={i.preview} alt={`Your photo ${i.name}`} className="h-32 w-full rounded object-cover" />
              <p className={i.state === 'refused' ? 'text-red-800' : i.state === 'accepted' ? 'text-green-800' : 'text-gray-600'}>
                {i.state === 'uploading' ? 'Checking…' : i.state === 'accepted' ? 'Added: one clear face found.' : `Not used: ${i.message}`}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
