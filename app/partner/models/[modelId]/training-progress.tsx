'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api } from '@/app/_components/api-client';

export function TrainingProgress({ modelId, initial }: { modelId: string; initial: number }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const { model } = await api<{ model: { status: string; progress: number } }>(`/models/${modelId}`);
        if (stop) return;
        setProgress(model.progress);
        if (model.status !== 'training') return router.refresh();
      } catch {
        /* keep polling */
      }
      if (!stop) setTimeout(tick, 1000);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [modelId, router]);
  return (
    <div className="space-y-1" aria-live="polite">
      <label htmlFor="training-progress" className="block text-sm font-medium">
        Training: {Math.round(progress * 100)} %
      </label>
      <progress id="training-progress" max={100} value={Math.round(progress * 100)} className="w-full" />
    </div>
  );
}
