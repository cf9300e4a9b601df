import { AppError } from '@/lib/errors/app-error';
import { MAX_BYTES } from '@/lib/faces/decode-image';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { addReference } from '@/lib/removals/references';

/** One reference photo (multipart field `photo`): 201 with its face box, or 422 with the reason it was refused. */
export const POST = route({ auth: { roles: ['individual'] } }, async ({ principal, params, request }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Reference photos are uploaded by the person, signed in.');
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES + 64 * 1024) throw new AppError('payload_too_large', `Photos are limited to ${MAX_BYTES / 2 ** 20} MB.`);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError('bad_request', 'Send the photo as multipart/form-data in a field named "photo".');
  }
  const photo = form.get('photo');
  if (!(photo instanceof File) || !photo.size) throw new AppError('validation_failed', 'Choose a photo to upload.');
  const outcome = await addReference({ userId: principal.user.id, requestId: uuidPathParam(params, 'requestId'), bytes: Buffer.from(await photo.arrayBuffer()) });
  if (!outcome.ok) return Response.json({ error: { code: outcome.code, message: outcome.message } }, { status: 422 });
  return Response.json({ reference: { id: outcome.id, box: outcome.box } }, { status: 201 });
});
