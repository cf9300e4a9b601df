import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { requireOwnRequestId } from '@/lib/removals/get-request';
import { submitCapture } from '@/lib/liveness/live-capture';
import { readCapture } from '@/lib/liveness/read-capture';

/**
 * The frames of a live capture (multipart: `frame` parts in order, `times` in ms from the start):
 * 200 when the challenge was performed by the face of the references, else 422 with the reason.
 */
export const POST = route({ auth: { roles: ['individual'] } }, async ({ principal, params, request }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'A live capture is taken by the person, signed in.');
  const requestId = uuidPathParam(params, 'requestId');
  const checkId = uuidPathParam(params, 'checkId');
  await requireOwnRequestId(principal.user.id, requestId);
  const outcome = await submitCapture({ userId: principal.user.id, requestId, checkId, frames: await readCapture(request) });
  if (!outcome.ok) return Response.json({ error: { code: outcome.code, message: outcome.message } }, { status: 422 });
  return Response.json({ passed: true });
});
