import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Command } from './commands';

/** `forgetme requests …`: operators' view of failed removal requests and their retry, and identity reviews. */
export const REQUEST_COMMANDS: Command[] = [
  {
    name: 'requests failed',
    usage: 'requests failed [--limit N]',
    summary: 'List failed and partly failed removal requests (id, stage, error), newest first, one JSON object per line.',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { limit: { type: 'string' } } });
      const limit = Number(values.limit ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error('--limit must be a whole number from 1 to 10000');
      const { listFailedRequests } = await import('@/lib/removals/retry-request');
      for (const r of await listFailedRequests(limit)) console.log(JSON.stringify(r));
      return 0;
    },
  },
  {
    name: 'requests retry',
    usage: 'requests retry REQUEST_ID',
    summary: 'Retry a failed or partly failed removal: its failed models start again, or its certification does; prints what was retried.',
    run: async (args) => {
      const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
      if (positionals.length !== 1) throw new Error('give exactly one request id');
      const { retryRequest } = await import('@/lib/removals/retry-request');
      const by = `${os.userInfo().username}@${os.hostname()}`;
      console.log(JSON.stringify({ requestId: positionals[0], ...(await retryRequest(positionals[0], by)) }));
      return 0;
    },
  },
  {
    name: 'requests reviews',
    usage: 'requests reviews',
    summary: 'List the identity reviews people without a camera asked for (request id, address, reason), oldest first, one JSON object per line.',
    run: async () => {
      const { listIdentityReviews } = await import('@/lib/liveness/identity-review');
      for (const r of await listIdentityReviews()) console.log(JSON.stringify(r));
      return 0;
    },
  },
  ...(['approve', 'refuse'] as const).map((verb): Command => ({
    name: `requests ${verb}-identity`,
    usage: `requests ${verb}-identity REQUEST_ID`,
    summary:
      verb === 'approve'
        ? 'After checking who the person is by your own means (a call, an identity document), let their request search without a live capture.'
        : 'Refuse a pending identity review: the request cannot search unless the person takes the live capture.',
    run: async (args) => {
      const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
      if (positionals.length !== 1) throw new Error('give exactly one request id');
      const { decideIdentityReview } = await import('@/lib/liveness/identity-review');
      const by = `${os.userInfo().username}@${os.hostname()}`;
      await decideIdentityReview(positionals[0], verb === 'approve' ? 'approved' : 'refused', by);
      console.log(JSON.stringify({ requestId: positionals[0], decision: verb === 'approve' ? 'approved' : 'refused', by }));
      return 0;
    },
  })),
];
