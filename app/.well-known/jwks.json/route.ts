import { getJwks } from '@/lib/crypto/get-jwks';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'public' }, async () => Response.json(await getJwks(), { headers: { 'cache-control': 'public, max-age=300' } }));
