import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { matchThumbnail } from '@/lib/removals/review';

/** The face crop of a confident match, for its requester only; never cached by shared caches. */
export const GET = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Only the person who asked can see their matches.');
  const jpeg = await matchThumbnail(principal.user.id, uuidPathParam(params, 'requestId'), uuidPathParam(params, 'matchId'));
  return new Response(new Uint8Array(jpeg), { headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' } });
});
