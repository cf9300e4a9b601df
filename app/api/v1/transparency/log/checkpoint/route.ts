import { cosignedCheckpoint } from '@/lib/certificates/witness-cosignatures';
import { AppError } from '@/lib/errors/app-error';
import { route } from '@/lib/http/route';

/** The log's latest checkpoint, a C2SP signed note with the witnesses' cosignatures of it (public; mutable, so cached a few seconds at most). */
export const GET = route({ auth: 'public' }, async () => {
  const note = await cosignedCheckpoint();
  if (!note) throw new AppError('not_found', 'The log is empty: no certificate has been issued yet.');
  return new Response(note, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=5' } });
});
