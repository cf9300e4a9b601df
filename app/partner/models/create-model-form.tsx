'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/app/_components/api-client';
import { ErrorAlert } from '@/app/_components/error-alert';

type EmbeddingModel = { id: string; name: string; version: string; dimension: number };

export function CreateModelForm({ datasets, embeddingModels }: { datasets: { id: string; name: string }[]; embeddingModels: EmbeddingModel[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<'newton-certified' | 'sisa'>('newton-certified');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  if (!datasets.length) return <p className="text-sm text-gray-600">Upload images into a training set first; a model trains on its described faces.</p>;
  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    const n = (k: string) => Number(form.get(k));
    const params =
      kind === 'sisa'
        ? { shards: n('shards'), slices: n('slices'), lambda: n('lambda') }
        : { lambda: n('lambda'), sigma: n('sigma'), epsilon: n('epsilon'), delta: n('delta') };
    const embeddingModelId = String(form.get('embeddingModelId') ?? '') || undefined;
    try {
      const { model } = await api<{ model: { id: string } }>('/models', {
        json: { name: String(form.get('name') ?? ''), datasetId: String(form.get('datasetId')), kind, params, embeddingModelId },
      });
      router.push(`/partner/models/${model.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
      setPending(false);
    }
  }
  const input = (name: string, label: string, value: string, hint: string) => (
    <p className="space-y-1">
      <label htmlFor={`model-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={`model-${name}`}
        name={name}
        defaultValue={value}
        inputMode="decimal"
        className="block w-40 rounded-md border border-gray-300 px-3 py-2"
        aria-describedby={`model-${name}-hint`}
      />
      <span id={`model-${name}-hint`} className="block text-xs text-gray-600">
        {hint}
      </span>
    </p>
  );
  return (
    <form action={submit} className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-gray-200">
      <h2 className="font-semibold">Train a model</h2>
      <p className="space-y-1">
        <label htmlFor="model-name" className="block text-sm font-medium">
          Name
        </label>
        <input id="model-name" name="name" required maxLength={120} className="block w-full rounded-md border border-gray-300 px-3 py-2" />
      </p>
      <p className="space-y-1">
        <label htmlFor="model-dataset" className="block text-sm font-medium">
          Training set
        </label>
        <select id="model-dataset" name="datasetId" className="block w-full rounded-md border border-gray-300 px-3 py-2">
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </p>
      {embeddingModels.length ? (
        <p className="space-y-1">
          <label htmlFor="model-features" className="block text-sm font-medium">
            Features
          </label>
          <select
            id="model-features"
            name="embeddingModelId"
            aria-describedby="model-features-hint"
            className="block w-full rounded-md border border-gray-300 px-3 py-2"
          >
            <option value="">forgetme&apos;s face descriptors (128 values per photo)</option>
            {embeddingModels.map((m) => (
              <option key={m.id} value={m.id}>
                Your embedding model “{m.name}” {m.version} ({m.dimension} values per photo)
              </option>
            ))}
          </select>
          <span id="model-features-hint" className="block text-xs text-gray-600">
            Your own vectors: every photo of the training set needs one (forgetme partner import --features).
          </span>
        </p>
      ) : null}
      <fieldset className="space-y-1 text-sm">
        <legend className="font-medium">Removal method</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" checked={kind === 'newton-certified'} onChange={() => setKind('newton-certified')} /> Certified removal (Newton
          update, ε-δ guarantee; fast)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="kind" checked={kind === 'sisa'} onChange={() => setKind('sisa')} /> SISA (exact: retrains the affected shard)
        </label>
      </fieldset>
      <div className="flex flex-wrap gap-4">
        {kind === 'sisa' ? (
          <>
            {input('shards', 'Shards', '4', 'More shards: faster removal, lower accuracy.')}
            {input('slices', 'Slices per shard', '2', 'Checkpoints within a shard.')}
            {input('lambda', 'Regularisation λ', '0.0001', 'Per-sample L2 penalty.')}
          </>
        ) : (
          <>
            {input('lambda', 'Regularisation λ', '0.0001', 'Per-sample L2 penalty.')}
            {input('sigma', 'Noise σ', '0.01', 'Larger: more removals fit the budget, lower accuracy.')}
            {input('epsilon', 'Privacy ε', '0.1', 'Of every certified release.')}
            {input('delta', 'Privacy δ', '0.000001', 'Of every certified release.')}
          </>
        )}
      </div>
      <ErrorAlert message={error} />
      <button type="submit" disabled={pending} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
        {pending ? 'Please wait…' : 'Train model'}
      </button>
    </form>
  );
}
