import { readTile } from '@/lib/certificates/log-tiles';
import { parseTilePath } from '@/lib/certificates/tile-path';
import { AppError } from '@/lib/errors/app-error';
import { route } from '@/lib/http/route';

/** The log's tiles and entry bundles at their C2SP tlog-tiles paths (public; immutable, so cached for good). */
export const GET = route({ auth: 'public' }, async ({ request }) => {
  const segments = new URL(request.url).pathname.split('/tile/')[1]?.split('/') ?? [];
  const ref = parseTilePath(segments);
  if (!ref) throw new AppError('not_found', 'Not a tile path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], N in x-prefixed 3-digit groups.');
  const bytes = await readTile(ref);
  return new Response(new Uint8Array(bytes), {
    headers: { 'content-type': 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable' },
  });
});
