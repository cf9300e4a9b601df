import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { referenceThumbnail } from '@/lib/removals/references';

/** The face in one of the person's own reference photos, cropped, while the request is a draft; never cached by shared caches. */
export const GET = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Only the person who added the photo can see it.');
  const ids = { requestId: uuidPathParam(params, 'requestId'), referenceId: uuidPathParam(params, 'referenceId') };
  const jpeg = await referenceThumbnail({ userId: principal.user.id, ...ids });
  return new Response(new Uint8Array(jpeg), { headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' } });
});
