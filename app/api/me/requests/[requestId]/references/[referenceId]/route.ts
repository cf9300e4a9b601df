import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { removeReference } from '@/lib/removals/references';

/** Removes one of the person's reference photos while the request is a draft (before the search): 204. */
export const DELETE = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'Reference photos are removed by the person, signed in.');
  await removeReference({ userId: principal.user.id, requestId: uuidPathParam(params, 'requestId'), referenceId: uuidPathParam(params, 'referenceId') });
  return new Response(null, { status: 204 });
});
