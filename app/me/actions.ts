'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { PERSONA_ROLES } from '@/lib/auth/roles';
import { runAction, type ActionState } from '@/lib/http/action-state';
import { clientIp } from '@/lib/http/client-ip';
import { askIdentityReview } from '@/lib/liveness/identity-review';
import { startMatching } from '@/lib/removals/matching';
import { startRequest } from '@/lib/removals/start-request';
import { submitRequest } from '@/lib/removals/submit-request';
import { withdrawRequest } from '@/lib/removals/withdraw';
import { startWatch, stopWatch } from '@/lib/removals/match-watch';

export async function startRequestAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let id = '';
  const state = await runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, '/me/requests/new');
    id = (await startRequest({ userId: user.id, consent: form.get('consent') === 'yes', consentVersion: String(form.get('consentVersion') ?? '') })).id;
  });
  if (state?.error) return state;
  redirect(`/me/requests/${id}`);
}

export async function startMatchingAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const requestId = String(form.get('requestId') ?? '');
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
    await startMatching({ userId: user.id, requestId, ip: clientIp(await headers()) });
    revalidatePath(`/me/requests/${requestId}`);
  });
}

export async function submitRequestAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const requestId = String(form.get('requestId') ?? '');
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
    await submitRequest({
      userId: user.id,
      requestId,
      input: {
        confirmedMatchIds: form.getAll('match').map(String),
        includePossible: form.get('includePossible') === 'yes',
        attest: (form.get('attest') === 'yes') as true,
      },
    });
    revalidatePath(`/me/requests/${requestId}`);
  });
}

export async function withdrawAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const requestId = String(form.get('requestId') ?? '');
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
    await withdrawRequest({ userId: user.id, requestId });
    revalidatePath(`/me/requests/${requestId}`);
    return { ok: true, message: 'Your request was withdrawn and your photos deleted.' };
  });
}

export async function askIdentityReviewAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const requestId = String(form.get('requestId') ?? '');
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
    await askIdentityReview({ userId: user.id, requestId, reason: String(form.get('reason') ?? '') });
    revalidatePath(`/me/requests/${requestId}`);
  });
}

export async function startWatchAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const requestId = String(form.get('requestId') ?? '');
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
    const { expiresAt } = await startWatch({ userId: user.id, requestId, consented: form.get('consent') === 'yes' });
    revalidatePath(`/me/requests/${requestId}`);
    return { ok: true, message: `We will tell you by e-mail if a new training set may hold photos of you, until ${expiresAt.toDateString()}.` };
  });
}

export async function stopWatchAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const requestId = String(form.get('requestId') ?? '');
  return runAction(async () => {
    const user = await requirePageUser(PERSONA_ROLES.individual, `/me/requests/${requestId}`);
    await stopWatch({ userId: user.id, requestId });
    revalidatePath(`/me/requests/${requestId}`);
    return { ok: true, message: 'Stopped: the face data kept for this was deleted.' };
  });
}
