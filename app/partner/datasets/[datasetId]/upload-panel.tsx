'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';
import { ErrorAlert } from '@/app/_components/error-alert';

type Upload = {
  id: string;
  status: 'queued' | 'running' | 'completed';
  total: number;
  created: number;
  processed: number;
  failed: number;
  progress: number;
  skipped: unknown[];
};

/** A manifest for a folder of per-person sub-folders (LFW's layout): label = folder, external id = file name. */
function manifestForFolder(files: File[]): { csv: string; named: [string, File][] } {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const named: [string, File][] = [];
  const lines = ['external_id,label,file'];
  for (const f of files) {
    if (!/\.(jpe?g|png|webp)$/i.test(f.name)) continue;
    const parts = (f.webkitRelativePath || f.name).split('/');
    const rel = parts.slice(1).join('/') || f.name;
    const label = parts.length >= 3 ? parts[parts.length - 2] : 'unlabelled';
    lines.push([rel.replace(/\.[^.]+$/, ''), label, rel].map(quote).join(','));
    named.push([rel, f]);
  }
  return { csv: lines.join('\n'), named };
}

export function UploadPanel({ datasetId, runningUploadId }: { datasetId: string; runningUploadId: string | null }) {
  const router = useRouter();
  const [mode, setMode] = useState<'archive' | 'folder'>('archive');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [watching, setWatching] = useState<string | null>(runningUploadId);

  useEffect(() => {
    if (!watching) return;
    let stop = false;
    const tick = async () => {
      try {
        const { upload: u } = await api<{ upload: Upload }>(`/datasets/${datasetId}/uploads/${watching}`);
        if (stop) return;
        setUpload(u);
        if (u.status === 'completed') {
          setWatching(null);
          router.refresh();
          return;
        }
      } catch {
        /* keep polling: a transient failure should not end the progress display */
      }
      if (!stop) setTimeout(tick, 1000);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [watching, datasetId, router]);

  async function submit(form: FormData) {
    setError(null);
    const body = new FormData();
    if (mode === 'archive') {
      const manifest = form.get('manifest');
      const archive = form.get('archive');
      if (!(manifest instanceof File) || !manifest.size || !(archive instanceof File) || !archive.size)
        return setError('Choose a manifest (CSV) and a zip archive.');
      body.append('manifest', manifest);
      body.append('archive', archive);
    } else {
      const files = form.getAll('folder').filter((f): f is File => f instanceof File && f.size > 0);
      const { csv, named } = manifestForFolder(files);
      if (!named.length) return setError('The folder has no JPEG, PNG or WebP images.');
      body.append('manifest', new Blob([csv], { type: 'text/csv' }), 'manifest.csv');
      for (const [name, f] of named) body.append('files', f, name);
    }
    setSending(true);
    try {
      const { upload: u } = await api<{ upload: Upload }>(`/datasets/${datasetId}/uploads`, { form: body });
      setUpload(u);
      if (u.status === 'completed') router.refresh();
      else setWatching(u.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
    } finally {
      setSending(false);
    }
  }

  const pct = upload ? Math.round(upload.progress * 100) : 0;
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200" aria-labelledby="upload-heading">
      <h2 id="upload-heading" className="font-semibold">
        Upload images
      </h2>
      <div role="radiogroup" aria-label="What to upload" className="flex gap-4 text-sm">
        <label className="flex items-center gap-1">
          <input type="radio" name="mode" checked={mode === 'archive'} onChange={() => setMode('archive')} /> A zip archive with a manifest
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="mode" checked={mode === 'folder'} onChange={() => setMode('folder')} /> A folder with one sub-folder per person
        </label>
      </div>
      <form action={submit} className="space-y-3">
        {mode === 'archive' ? (
          <>
            <p className="text-sm text-gray-600">
              The manifest is a CSV with the header <code>external_id,label,file</code>: your id for the image, the identity it shows, and its path in the
              archive.
            </p>
            <p className="space-y-1">
              <label htmlFor="upload-manifest" className="block text-sm font-medium">
                Manifest (CSV)
              </label>
              <input id="upload-manifest" name="manifest" type="file" accept=".csv,text/csv" className="block text-sm" />
            </p>
            <p className="space-y-1">
              <label htmlFor="upload-archive" className="block text-sm font-medium">
                Archive (zip)
              </label>
              <input id="upload-archive" name="archive" type="file" accept=".zip,application/zip" className="block text-sm" />
            </p>
          </>
        ) : (
          <p className="space-y-1">
            <label htmlFor="upload-folder" className="block text-sm font-medium">
              Folder (each sub-folder&apos;s name is the label of its images)
            </label>
            <input id="upload-folder" name="folder" type="file" multiple {...{ webkitdirectory: '' }} className="block text-sm" />
          </p>
        )}
        <ErrorAlert message={error} />
        <button
          type="submit"
          disabled={sending || !!watching}
          className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60"
        >
          {sending ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {upload ? (
        <div className="space-y-1" aria-live="polite">
          <label htmlFor="upload-progress" className="block text-sm font-medium">
            {upload.status === 'completed' ? 'Upload embedded' : 'Finding and describing faces'}: {upload.processed} of {upload.created} images ({pct} %)
          </label>
          <progress id="upload-progress" max={100} value={pct} className="w-full" />
          <p className="text-sm text-gray-600">
            {upload.created} added, {upload.skipped.length} skipped as already in the set, {upload.failed} could not be used.
          </p>
        </div>
      ) : null}
    </section>
  );
}
