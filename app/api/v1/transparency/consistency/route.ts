import { z } from 'zod';
import { consistencyProofBetween } from '@/lib/certificates/transparency-log';
import { logSize } from '@/lib/api/common-schemas';
import { route } from '@/lib/http/route';

/** A consistency proof between two log sizes (public, RFC 9162). */
export const GET = route({ auth: 'public', query: z.object({ from: logSize, to: logSize }) }, async ({ query }) => ({
  from: query.from,
  to: query.to,
  hashes: await consistencyProofBetween(query.from, query.to),
}));
