import { z } from 'zod';
import { listTreeHeads } from '@/lib/certificates/transparency-log';
import { logSize } from '@/lib/api/common-schemas';
import { route } from '@/lib/http/route';

/** Signed tree heads, newest first (public): `?limit=` and `?before=` a size. */
export const GET = route(
  { auth: 'public', query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: logSize.optional() }) },
  async ({ query }) => ({ data: await listTreeHeads(query.limit, query.before) }),
);
