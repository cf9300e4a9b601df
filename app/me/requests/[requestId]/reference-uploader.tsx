'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Box, FaceChoice } from '@/lib/faces/check-reference';

/** A photo sent from this page: its file and local preview, and the server's answer once it comes (with the faces to pick from, if several). */
type Item = {
  key: string;
  file: File;
  name: string;
  preview: string;
  state: 'uploading' | 'accepted' | 'refused';
  id?: string;
  message?: string;
  code?: string;
  faces?: FaceChoice[];
};

/**
 * Drag and drop or choose photos; each is checked on the server and shown with its result. The
 * photos already kept (`existing`, from the server) are shown as their face crops, each with a way
 * to remove it; a photo accepted here counts once, whether or not the page has refreshed since.
 */
export function ReferenceUploader({ requestId, existing, max }: { requestId: string; existing: string[]; max: number }) {
  const router = useRouter();
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const kept = new Set(existing);
  // Accepted here but not yet in the server's list (the refresh is on its way): counted, and shown, once.
  const local = items.filter((i) => !(i.state === 'accepted' && i.id && kept.has(i.id)));
  const accepted = existing.length + local.filter((i) => i.state === 'accepted').length;
  const uploading = local.filter((i) => i.state === 'uploading').length;

  /** Sends one photo (with the face picked in it, if any) and puts the server's answer in its place. */
  async function send(item: Item, pick?: Box) {
    setItems((xs) => xs.map((x) => (x.key === item.key ? { ...item, state: 'uploading', faces: undefined } : x)));
    const body = new FormData();
    body.append('photo', item.file);
    if (pick) body.append('face', pick.join(','));
    let next: Item;
    try {
      const res = await fetch(`/api/me/requests/${requestId}/references`, { method: 'POST', body });
      const data = await res.json().catch(() => null);
      next = res.ok
        ? { ...item, state: 'accepted', id: data?.reference?.id }
        : {
            ...item,
            state: 'refused',
            code: data?.error?.code,
            message: data?.error?.message ?? `The server answered ${res.status}.`,
            faces: data?.error?.faces,
          };
    } catch {
      next = { ...item, state: 'refused', message: 'The upload failed: check your connection and try again.' };
    }
    setItems((xs) => xs.map((x) => (x.key === item.key ? next : x)));
  }

  async function upload(files: File[]) {
    const room = Math.max(0, max - accepted - uploading);
    const added = files
      .slice(0, room)
      .map((file): Item => ({ key: crypto.randomUUID(), file, name: file.name, preview: URL.createObjectURL(file), state: 'uploading' }));
    setItems((xs) => [...xs, ...added]);
    for (const item of added) await send(item);
    router.refresh();
  }

  async function pickFace(item: Item, box: Box) {
    await send(item, box);
    router.refresh();
  }

  async function remove(id: string) {
    setRemoving(id);
    setRemoveError(null);
    try {
      const res = await fetch(`/api/me/requests/${requestId}/references/${id}`, { method: 'DELETE' });
      if (!res.ok && res.status !== 404) {
        const data = await res.json().catch(() => null);
        setRemoveError(data?.error?.message ?? `The photo could not be removed (the server answered ${res.status}). Try again.`);
      }
    } catch {
      setRemoveError('The photo could not be removed: check your connection and try again.');
    }
    setItems((xs) => xs.filter((x) => x.id !== id));
    setRemoving(null);
    router.refresh();
  }

  const dismiss = (key: string) => setItems((xs) => xs.filter((x) => x.key !== key));

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
        <label
          htmlFor="reference-photos"
          className={
            'cursor-pointer rounded-md bg-ink px-4 py-2 text-sm font-medium text-white ' +
            // The input itself is visually hidden: its keyboard focus shows on this label.
            'has-[+input:focus-visible]:ring-2 has-[+input:focus-visible]:ring-offset-2'
          }
        >
          Choose photos of yourself
        </label>
        <input
          id="reference-photos"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          multiple
          className="sr-only"
          onChange={(e) => {
            void upload([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
          disabled={accepted >= max}
        />
        <p className="mt-2 text-xs text-gray-500" data-testid="reference-count">
          JPEG, PNG or WebP, up to 20 MB each. {accepted} of {max} added.
        </p>
      </div>
      {removeError ? (
        <p role="alert" data-code="remove_failed" className="text-sm text-red-800">
          {removeError}
        </p>
      ) : null}
      {existing.length || local.length ? (
        <ul className="grid gap-3 sm:grid-cols-3" aria-live="polite">
          {existing.map((id, n) => (
            <li key={id} data-testid="reference" data-state="accepted" className="rounded-lg bg-white p-2 text-sm ring-1 ring-gray-200">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={`/api/me/requests/${requestId}/references/${id}/thumbnail`}
                alt={`Your photo ${n + 1}, the face we use`}
                className="h-32 w-full rounded object-contain"
              />
              <p className="text-green-800">Added: one clear face found.</p>
              <button type="button" onClick={() => void remove(id)} disabled={removing === id} className="text-sm text-red-700 underline disabled:opacity-60">
                {removing === id ? 'Removing…' : `Remove photo ${n + 1}`}
              </button>
            </li>
          ))}
          {local.map((i) => {
            const picking = i.state === 'refused' && !!i.faces?.some((f) => f.usable);
            return (
              <li
                key={i.key}
                data-testid="reference"
                data-state={picking ? 'pick' : i.state}
                data-code={i.code}
                className={`rounded-lg bg-white p-2 text-sm ring-1 ring-gray-200 ${picking ? 'sm:col-span-3' : ''}`}
              >
                {picking ? <FacePicker item={i} onPick={(box) => void pickFace(i, box)} /> : <Preview item={i} />}
                <p className={i.state === 'refused' && !picking ? 'text-red-800' : i.state === 'accepted' ? 'text-green-800' : 'text-gray-700'}>
                  {i.state === 'uploading'
                    ? 'Checking…'
                    : i.state === 'accepted'
                      ? 'Added: one clear face found.'
                      : picking
                        ? i.message
                        : `Not used: ${i.message}`}
                </p>
                {i.state === 'refused' ? (
                  <button type="button" onClick={() => dismiss(i.key)} className="text-sm underline">
                    Dismiss
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** The local preview of a file sent from this page; a file the browser cannot show (not an image) gets its name instead of a broken picture. */
function Preview({ item }: { item: Item }) {
  const [broken, setBroken] = useState(false);
  if (broken) {
    return (
      <div
        data-testid="no-preview"
        className="flex h-32 w-full items-center justify-center rounded bg-gray-100 p-2 text-center text-xs break-all text-gray-600"
      >
        {item.name}
      </div>
    );
  }
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={item.preview} alt={`Your photo ${item.name}`} onError={() => setBroken(true)} className="h-32 w-full rounded object-cover" />;
}

/**
 * A photo with several faces, each usable face a button over it: the person picks theirs, and the
 * photo is sent again with that face's box (only the region around it is kept).
 */
function FacePicker({ item, onPick }: { item: Item; onPick: (box: Box) => void }) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const usable = (item.faces ?? []).filter((f) => f.usable).sort((a, b) => a.box[0] - b.box[0]); // numbered left to right
  const pct = (v: number, of: number) => `${(100 * v) / of}%`;
  return (
    <div className="relative inline-block max-w-full" data-testid="face-picker">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={item.preview}
        alt={`Your photo ${item.name}, showing ${item.faces?.length} faces`}
        onLoad={(e) => setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
        className="block max-h-[28rem] max-w-full rounded"
      />
      {size
        ? usable.map((f, n) => (
            <button
              key={f.box.join(',')}
              type="button"
              onClick={() => onPick(f.box)}
              aria-label={`Face ${n + 1}: this is me`}
              style={{ left: pct(f.box[0], size.width), top: pct(f.box[1], size.height), width: pct(f.box[2], size.width), height: pct(f.box[3], size.height) }}
              className={
                'absolute flex items-end justify-center rounded border-2 border-white text-xs font-bold text-white shadow ring-2 ring-ink ' +
                '[text-shadow:0_0_3px_black] hover:bg-white/25 focus-visible:ring-4 focus-visible:ring-blue-600 focus-visible:outline-none'
              }
            >
              {n + 1}
            </button>
          ))
        : null}
    </div>
  );
}
