'use client';

import { useActionState } from 'react';
import { FormError } from '@/app/_components/form';
import { askIdentityReviewAction } from '../../actions';

/** The slower path without a camera: the person says why, and our staff check who they are before any search. */
export function IdentityReviewForm({ requestId }: { requestId: string }) {
  const [state, action, pending] = useActionState(askIdentityReviewAction, null);
  return (
    <details className="rounded-md bg-gray-50 p-3 text-sm">
      <summary className="cursor-pointer font-medium">I cannot use a camera</summary>
      <form action={action} className="mt-3 space-y-2">
        <input type="hidden" name="requestId" value={requestId} />
        <p className="text-gray-700">
          Our staff then check that you are the person in your photos, by their own means (a call, an identity document), before anything is searched. It takes
          a few working days; this page shows their answer.
        </p>
        <label htmlFor="review-reason" className="block font-medium">
          Why can you not take the live capture?
        </label>
        <textarea id="review-reason" name="reason" rows={3} maxLength={1000} required className="block w-full rounded-md border border-gray-300 px-3 py-2" />
        <FormError state={state} />
        <button type="submit" disabled={pending} className="rounded-md border border-gray-300 bg-white px-3 py-1.5 hover:bg-gray-50 disabled:opacity-60">
          {pending ? 'Sending…' : 'Ask for a review'}
        </button>
      </form>
    </details>
  );
}
