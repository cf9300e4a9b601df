import * as ops from '@/lib/api/operations';
import { requireOrganization } from '@/lib/http/org-scope';
import { uuidPathParam } from '@/lib/http/path-params';
import { route } from '@/lib/http/route';
import { sendPing } from '@/lib/webhooks/send-ping';

export const POST = route(ops.pingEndpoint, async ({ principal, params }) =>
  Response.json(await sendPing(requireOrganization(principal), uuidPathParam(params, 'endpointId')), { status: 202 }),
);
