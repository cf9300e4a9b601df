import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { readReferencePhoto } from '@/lib/removals/read-reference-photo';
import { requireOwnRequestId } from '@/lib/removals/get-request';
import { addReference } from '@/lib/removals/references';

/**
 * One reference photo (multipart field `photo`, at most 20 MB, read as a stream; `face`, the box
 * `x,y,width,height` the person picked when the photo shows several): 201 with its face box, or
 * 422 with the reason it was refused (`several_faces` with `faces`, the boxes to pick from).
 */
export const POST = route({ auth: { roles: ['individual'] } }, async ({ principal, params, request }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Reference photos are uploaded by the person, signed in.');
  const requestId = uuidPathParam(params, 'requestId');
  // Whose request it is is settled before the body is read: a stranger gets 404 whatever they send.
  await requireOwnRequestId(principal.user.id, requestId);
  const { photo, pick } = await readReferencePhoto(request);
  const outcome = await addReference({ userId: principal.user.id, requestId, bytes: photo, pick });
  if (!outcome.ok) return Response.json({ error: { code: outcome.code, message: outcome.message, faces: outcome.faces } }, { status: 422 });
  return Response.json({ reference: { id: outcome.id, box: outcome.box } }, { status: 201 });
});
