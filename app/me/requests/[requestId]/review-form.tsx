'use client';

import { startTransition, useActionState, useState } from 'react';
import { FormError } from '@/app/_components/form';
import { IDLE_DAYS } from '@/lib/removals/consent';
import type { ReviewGroup } from '@/lib/removals/review';
import { submitRequestAction } from '../../actions';

export function ReviewForm({ requestId, groups }: { requestId: string; groups: ReviewGroup[] }) {
  const [state, action, pending] = useActionState(submitRequestAction, null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const possible = groups.reduce((s, g) => s + g.possible, 0);
  const attestError = state?.error?.fields?.attest;
  const toggle = (id: string, on: boolean) => setChecked((s) => (on ? new Set([...s, id]) : new Set([...s].filter((x) => x !== id))));
  if (!groups.length) {
    return (
      <section className="rounded-lg bg-white p-5 ring-1 ring-gray-200">
        <h2 className="text-lg font-semibold">We found no photos of you</h2>
        <p className="text-gray-700" data-testid="no-match-next">
          None of the registered training sets holds a face close enough to yours (what we searched is listed above), so there is nothing to remove and no
          company is told about this request. Your reference photos are kept only while the request is open: withdraw it below to delete them now; otherwise
          they are deleted {IDLE_DAYS} days after your last visit. Below, you can also ask to be told if a training set registered later may hold photos of you.
        </p>
      </section>
    );
  }
  return (
    <form
      // Submitted by hand, not with `action`: React resets a form after its action, which cleared the
      // ticks while this component still counted them, so a second submit sent nothing.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="space-y-6"
    >
      <input type="hidden" name="requestId" value={requestId} />
      <p className="text-gray-700">
        Tick every photo that shows <strong>you</strong>. We show only the face, cropped; never the rest of the picture or anyone else.
      </p>
      {groups.map((g) => (
        <fieldset key={g.datasetId} className="space-y-3 rounded-lg bg-white p-5 ring-1 ring-gray-200">
          <legend className="px-1 font-semibold">
            {g.organizationName}: training set “{g.datasetName}”
          </legend>
          {g.shown.length ? (
            <>
              <button type="button" className="text-sm underline" onClick={() => g.shown.forEach((m) => toggle(m.matchId, true))}>
                These are all me
              </button>
              <ul className="grid grid-cols-3 gap-3 sm:grid-cols-6">
                {g.shown.map((m, i) => (
                  <li key={m.matchId}>
                    <label className="block cursor-pointer text-center text-xs">
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img
                        src={`/api/me/requests/${requestId}/matches/${m.matchId}/thumbnail`}
                        alt={`Match ${i + 1} in ${g.datasetName}`}
                        width={112}
                        height={112}
                        className={`mx-auto rounded ${checked.has(m.matchId) ? 'ring-4 ring-ink' : 'ring-1 ring-gray-200'}`}
                      />
                      <input
                        type="checkbox"
                        name="match"
                        value={m.matchId}
                        checked={checked.has(m.matchId)}
                        onChange={(e) => toggle(m.matchId, e.target.checked)}
                        className="mt-1"
                      />{' '}
                      This is me
                    </label>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="text-sm text-gray-700">No confident matches here.</p>
          )}
          {g.possible ? (
            <p className="text-sm text-gray-700">Plus {g.possible} possible match(es) in this set that we are not sure enough about to show you.</p>
          ) : null}
        </fieldset>
      ))}
      {possible ? (
        <label className="flex items-start gap-2 rounded-lg bg-white p-4 ring-1 ring-gray-200">
          <input type="checkbox" name="includePossible" value="yes" className="mt-1" />
          <span>
            Also remove the {possible} possible match(es) we did not show. A <em>possible match</em> looks like you but might be someone else: removing it is
            safe for you, and your certificate will list these separately as not reviewed.
          </span>
        </label>
      ) : null}
      <div>
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="attest"
            value="yes"
            className="mt-1"
            aria-invalid={attestError ? true : undefined}
            aria-describedby={attestError ? 'attest-error' : undefined}
          />
          <span>I confirm that the photos I ticked are photos of me, and I ask for them to be removed.</span>
        </label>
        {attestError ? (
          <p id="attest-error" className="mt-1 text-sm text-red-700">
            {attestError}
          </p>
        ) : null}
      </div>
      <p className="text-sm text-gray-600">
        What happens next: the photos are taken out of the training sets at once. Each company&apos;s model is then updated with <em>certified removal</em>: the
        new model behaves, provably and almost exactly, as if it had never seen these photos. It does not reach copies kept elsewhere.
      </p>
      <FormError state={state} />
      <button type="submit" disabled={pending} className="rounded-md bg-ink px-4 py-2 font-medium text-white hover:bg-black disabled:opacity-60">
        {pending ? 'Please wait…' : 'Remove these photos'}
      </button>
    </form>
  );
}
