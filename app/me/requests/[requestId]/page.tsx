import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { listRequestCertificates } from '@/lib/certificates/person-certificates';
import { DeploymentStatus } from '@/app/_components/deployment-status';
import { isAppError } from '@/lib/errors/app-error';
import { identityState, type DraftRequest, type IdentityState } from '@/lib/liveness/live-face';
import { MAX_REFERENCES } from '@/lib/removals/consent';
import { requestStatus } from '@/lib/removals/list-requests';
import { WATCH_CONSENT, watchOf } from '@/lib/removals/match-watch';
import { referenceAgreement } from '@/lib/removals/reference-agreement';
import { listReferences } from '@/lib/removals/references';
import { getReview } from '@/lib/removals/review';
import { largeLabelOdds } from '@/lib/matcher/registry-thresholds';
import type { SearchScope } from '@/lib/removals/search-scope';
import { AutoRefresh } from './auto-refresh';
import { IdentityReviewForm } from './identity-review-form';
import { LiveCapture } from './live-capture';
import { ReferenceUploader } from './reference-uploader';
import { ReviewForm } from './review-form';
import { SearchButton, WithdrawButton } from './request-buttons';
import { WatchPanel } from './watch-panel';
import { pageUuid } from '@/lib/http/page-params';

export const metadata: Metadata = { title: 'Your removal request' };

const TASK_LABEL = {
  pending: 'Waiting to start',
  unlearning: 'Removing from the model',
  certified: 'Removed and certified',
  failed: 'Failed after every retry',
  awaiting_release: 'Left out of a model still in training; waiting for its first release',
} as const;

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const requestId = pageUuid((await params).requestId);
  const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
  const { request, tasks } = await requestStatus(user.id, requestId).catch((err) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  const s = request.status;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="underline" href="/me">
          Your requests
        </Link>{' '}
        › request of {request.createdAt.toISOString().slice(0, 10)}
      </p>
      <h1 className="text-2xl font-bold">Your removal request</h1>
      <ol aria-label="Progress" className="flex flex-wrap gap-2 text-xs">
        {(['Photos', 'Search', 'Review', 'Removal', 'Certificates'] as const).map((step, i) => {
          const at = { draft: 0, matching: 1, review: 2, submitted: 3, processing: 3, completed: 4, partially_failed: 4, failed: -1, withdrawn: -1 }[s];
          return (
            <li
              key={step}
              aria-current={i === at ? 'step' : undefined}
              className={
                `rounded-full px-3 py-1 ` +
                `${i < at || s === 'completed' ? 'bg-green-100 text-green-900' : i === at ? 'bg-ink text-white' : 'bg-gray-100 text-gray-600'}`
              }
            >
              {i + 1}. {step}
            </li>
          );
        })}
      </ol>
      {s === 'draft' ? <Draft request={request} /> : null}
      {s === 'matching' ? (
        <section role="status" className="rounded-lg bg-white p-5 ring-1 ring-gray-200">
          <p className="font-medium">Searching the registered training sets for your face…</p>
          <progress className="mt-2 w-full" aria-label="Searching" />
          <AutoRefresh />
        </section>
      ) : null}
      {s === 'review' ? <Review userId={user.id} requestId={request.id} scope={request.searchScope} /> : null}
      {s === 'withdrawn' ? <WatchAfterReview userId={user.id} requestId={request.id} /> : null}
      {['submitted', 'processing', 'completed', 'partially_failed', 'failed'].includes(s) && request.submittedAt ? (
        <section className="space-y-2 rounded-lg bg-white p-5 ring-1 ring-gray-200">
          <h2 className="text-lg font-semibold">Removal from each company&apos;s models</h2>
          {tasks.length === 0 ? (
            <p className="text-gray-700">None of the matched training sets has a model yet: your photos were removed from the training sets themselves.</p>
          ) : null}
          <ul className="space-y-1">
            {tasks.map((t) => (
              <li key={t.id} data-testid="task" className="text-sm">
                <strong>{t.organization}</strong>, model “{t.model}”: {TASK_LABEL[t.status]}
              </li>
            ))}
          </ul>
          {s === 'submitted' || s === 'processing' ? <AutoRefresh /> : null}
        </section>
      ) : null}
      {s === 'failed' || s === 'partially_failed' ? <Failure stage={request.error?.stage ?? 'unlearning'} partial={s === 'partially_failed'} /> : null}
      {s === 'completed' || s === 'partially_failed' ? <Certificates userId={user.id} requestId={request.id} /> : null}
      {s === 'withdrawn' ? (
        <p className="rounded-lg bg-white p-5 ring-1 ring-gray-200">You withdrew this request. Your photos and the data describing your face were deleted.</p>
      ) : null}
      {['draft', 'matching', 'review'].includes(s) ? <WithdrawButton requestId={request.id} /> : null}
    </div>
  );
}

const FAILED_AT = {
  matching: 'We could not finish searching the registered training sets for your photos.',
  unlearning: "We could not remove your photos from every company's model.",
  certification: 'Your photos were removed, but we could not sign the certificates that prove it.',
} as const;

function Failure({ stage, partial }: { stage: keyof typeof FAILED_AT; partial: boolean }) {
  return (
    <section role="alert" className="space-y-2 rounded-lg bg-red-50 p-5 ring-1 ring-red-200">
      <h2 className="text-lg font-semibold">{partial ? 'Partly done' : 'This request failed'}</h2>
      <p>
        {FAILED_AT[stage]} We tried several times over some hours. {partial ? 'Where the removal succeeded, its certificate is below.' : ''}
      </p>
      <p>
        Our operators have been alerted and can retry it.{' '}
        {stage === 'matching' ? 'You can also start a new request. ' : "The photos found stay excluded from the companies' training sets. "}
        Your reference photos and the data describing your face have been deleted.
      </p>
    </section>
  );
}

const IDENTITY_NOTE: Record<IdentityState, string | null> = {
  needed: null,
  passed: 'Live capture passed: it is you, and your photos show you. You can search now (within the hour).',
  review_pending: 'You asked for a review by our staff instead of a live capture. We will check who you are before anything is searched.',
  review_approved: 'Our staff checked who you are. You can search now.',
  review_refused: 'Our staff could not confirm that these photos are of you, so this request cannot search. Take the live capture if you can.',
};

async function Draft({ request }: { request: DraftRequest }) {
  const refs = await listReferences(request.id);
  const groups = refs.length > 1 ? await referenceAgreement(request.id) : [];
  const identity = await identityState(request);
  const canSearch = identity === 'passed' || identity === 'review_approved';
  const note = IDENTITY_NOTE[identity];
  return (
    <section className="space-y-4">
      <p className="text-gray-700">
        Add 1 to {MAX_REFERENCES} photos of yourself: your face clearly visible, alone in the picture. Different photos (angles, years) help us find more of
        yours. You can review everything we find before anything is removed.
      </p>
      <ReferenceUploader requestId={request.id} existing={refs.map((r) => r.id)} max={MAX_REFERENCES} />
      <ReferenceGroupsNote groups={groups} />
      {refs.length > 0 && (
        <div className="space-y-3 rounded-lg bg-white p-5 ring-1 ring-gray-200">
          <h2 className="text-lg font-semibold">Show us it is you</h2>
          {note && (
            <p role="status" data-testid="identity-state" data-state={identity} className="text-sm">
              {note}
            </p>
          )}
          {!canSearch && <LiveCapture requestId={request.id} />}
          {identity === 'needed' && <IdentityReviewForm requestId={request.id} />}
        </div>
      )}
      <SearchButton requestId={request.id} disabled={refs.length === 0 || !canSearch} />
    </section>
  );
}

/** When the reference photos do not all look like one face (lib/removals/reference-agreement.ts). */
function ReferenceGroupsNote({ groups }: { groups: number[][] }) {
  if (groups.length < 2) return null;
  const photos = (g: number[]) => (g.length === 1 ? `photo ${g[0]}` : `photos ${g.slice(0, -1).join(', ')} and ${g[g.length - 1]}`);
  return (
    <p role="status" data-testid="reference-groups" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
      Your photos do not all look like one face. They look alike in {groups.length} groups: {groups.map(photos).join('; ')}. We will search for each group
      separately, with stricter thresholds for each, which can find fewer of your photos. If a photo is not of you, or is blurred, dark or turned away, remove
      it and add a better one.
    </p>
  );
}

async function Review({ userId, requestId, scope }: { userId: string; requestId: string; scope: SearchScope | null }) {
  const groups = await getReview(userId, requestId);
  const watch = await watchOf(userId, requestId);
  return (
    <div className="space-y-4">
      {scope && <SearchScopeNote scope={scope} />}
      <ReviewForm requestId={requestId} groups={groups} />
      {!groups.length || watch ? (
        <WatchPanel requestId={requestId} consent={WATCH_CONSENT} watchingUntil={watch ? watch.expiresAt.toDateString() : null} />
      ) : null}
    </div>
  );
}

/** A watch outlives its request's review (the request may be withdrawn): its end and its stop stay on the page. */
async function WatchAfterReview({ userId, requestId }: { userId: string; requestId: string }) {
  const watch = await watchOf(userId, requestId);
  return watch ? <WatchPanel requestId={requestId} consent={WATCH_CONSENT} watchingUntil={watch.expiresAt.toDateString()} /> : null;
}

/** What the search covered, found or not: each company's training sets and how many faces. */
function SearchScopeNote({ scope }: { scope: SearchScope }) {
  const companies = new Set(scope.datasets.map((d) => d.organization)).size;
  return (
    <details data-testid="search-scope" className="rounded-lg bg-white p-4 text-sm ring-1 ring-gray-200">
      <summary className="cursor-pointer">
        We searched {scope.faces.toLocaleString('en')} faces in {scope.datasets.length} training set{scope.datasets.length === 1 ? '' : 's'} of {companies}{' '}
        {companies === 1 ? 'company' : 'companies'}.
      </summary>
      <ul className="mt-2 list-disc pl-5 text-gray-700">
        {scope.datasets.map((d) => (
          <li key={d.id}>
            {d.organization}: “{d.name}”, {d.faces.toLocaleString('en')} faces{d.labels ? ` of ${d.labels.toLocaleString('en')} people` : ''}
          </li>
        ))}
      </ul>
      {scope.references && scope.references.groups > 1 ? (
        <p className="mt-2 text-gray-600">
          Your photos did not all look like one face, so we searched them as {scope.references.groups} separate faces, with thresholds made stricter for each.
        </p>
      ) : null}
      {scope.thresholds ? (
        <p className="mt-2 text-gray-600">
          At this size the thresholds let a search expect about {scope.thresholds.expectedStrangers.shown.toFixed(3)}{' '}
          {scope.thresholds.strangersCounted === 'photos' ? 'strangers’ photos' : 'strangers'} among the photos shown to you and{' '}
          {scope.thresholds.expectedStrangers.possible.toFixed(2)} among the possible ones (
          {scope.thresholds.strangersCounted === 'photos'
            ? 'every photo counted'
            : 'each stranger counted once, however many of their photos a training set holds'}
          ){scope.thresholds.largeLabel ? `, and ${largeLabelOdds(scope.thresholds.largeLabel)}` : ''}: a photo below is very likely you, but check each before
          you tick it.{' '}
          <Link className="underline" href="/how-matching-works">
            How matching works
          </Link>
        </p>
      ) : (
        <p className="mt-2 text-gray-600">The more faces are searched, the more strangers can look like you: check every photo below before you tick it.</p>
      )}
    </details>
  );
}

async function Certificates({ userId, requestId }: { userId: string; requestId: string }) {
  const certs = await listRequestCertificates(userId, requestId);
  return (
    <section className="space-y-3 rounded-lg bg-white p-5 ring-1 ring-gray-200">
      <h2 className="text-lg font-semibold">Your certificates</h2>
      <p className="text-gray-700">
        Each certificate is signed by forgetme and recorded in a public log. Keep the JSON file: anyone can check it at{' '}
        <Link className="underline" href="/verify">
          /verify
        </Link>{' '}
        or offline. Your reference photos and face data have been deleted.
      </p>
      <ul className="space-y-2">
        {certs.map((c) => (
          <li key={c.id} data-testid="certificate" className="text-sm">
            <strong>{c.organization}</strong>, issued {c.issuedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC:{' '}
            <a className="underline" href={`/api/me/certificates/${c.id}/bundle`} download>
              certificate (JSON)
            </a>{' '}
            ·{' '}
            <a className="underline" href={`/api/me/certificates/${c.id}/pdf`} download>
              certificate (PDF)
            </a>
            {c.notice ? (
              <p role="note" className="mt-1 rounded-md bg-amber-50 p-2 text-amber-900 ring-1 ring-amber-300">
                {c.notice}
              </p>
            ) : null}
            <div className="mt-1">
              <DeploymentStatus findings={c.deployments} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
