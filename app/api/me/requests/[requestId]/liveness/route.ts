import { AppError } from '@/lib/errors/app-error';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { issueChallenge } from '@/lib/liveness/live-capture';

/** The live capture's challenge for a draft request (the open one if any): 201 with its steps and deadline. */
export const POST = route({ auth: { roles: ['individual'] } }, async ({ principal, params }) => {
  if (principal.type !== 'user') throw new AppError('forbidden', 'A live capture is taken by the person, signed in.');
  const challenge = await issueChallenge({ userId: principal.user.id, requestId: uuidPathParam(params, 'requestId') });
  return Response.json({ challenge }, { status: 201 });
});
