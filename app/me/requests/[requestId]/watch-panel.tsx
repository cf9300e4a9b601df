'use client';

import { useActionState } from 'react';
import { FormError, FormSuccess } from '@/app/_components/form';
import { startWatchAction, stopWatchAction } from '../../actions';

/**
 * After a search that found nothing: the offer to be told if a training set registered later may
 * hold the person's photos (opt-in, the consent in full beside the box), or, once given, its end
 * date and a way to stop it.
 */
export function WatchPanel({ requestId, consent, watchingUntil }: { requestId: string; consent: string; watchingUntil: string | null }) {
  const [started, start, starting] = useActionState(startWatchAction, null);
  const [stopped, stop, stopping] = useActionState(stopWatchAction, null);
  if (watchingUntil) {
    return (
      <section aria-labelledby="watch-heading" className="space-y-2 rounded-lg bg-white p-5 ring-1 ring-gray-200" data-testid="watch">
        <h2 id="watch-heading" className="text-lg font-semibold">
          We will tell you about new training sets
        </h2>
        <p className="text-gray-700">
          Until {watchingUntil}, each training set registered with forgetme is searched for your face; if one may hold photos of you, we send you one e-mail and
          delete the face data kept for this.
        </p>
        <form action={stop}>
          <input type="hidden" name="requestId" value={requestId} />
          <FormError state={stopped} />
          <FormSuccess state={stopped} />
          <button type="submit" disabled={stopping} className="text-sm underline disabled:opacity-60">
            Stop, and delete the face data kept for this
          </button>
        </form>
      </section>
    );
  }
  return (
    <section aria-labelledby="watch-heading" className="space-y-2 rounded-lg bg-white p-5 ring-1 ring-gray-200" data-testid="watch">
      <h2 id="watch-heading" className="text-lg font-semibold">
        Be told if a new training set may hold photos of you
      </h2>
      <form action={start} className="space-y-3">
        <input type="hidden" name="requestId" value={requestId} />
        <label className="flex items-start gap-2 text-sm text-gray-800">
          <input type="checkbox" name="consent" value="yes" className="mt-1" />
          <span>{consent}</span>
        </label>
        <FormError state={started} />
        <FormSuccess state={started} />
        <button type="submit" disabled={starting} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
          Tell me about new training sets
        </button>
      </form>
    </section>
  );
}
