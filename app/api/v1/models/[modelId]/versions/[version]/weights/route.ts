import { Readable } from 'node:stream';
import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { intPathParam, uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { openWeights } from '@/lib/models/get-models';

/** The weights, streamed from the blob store. */
export const GET = route(ops.downloadWeights, async ({ principal, params }) => {
  const w = await openWeights(requireOrganization(principal), uuidPathParam(params, 'modelId'), intPathParam(params, 'version'));
  return new Response(Readable.toWeb(w.stream) as ReadableStream, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(w.bytes),
      'content-disposition': `attachment; filename="${w.fileName}"`,
      'x-weights-sha256': w.sha256,
    },
  });
});
