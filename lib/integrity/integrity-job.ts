import { z } from 'zod';
import { defineJob } from '@/lib/jobs/define-job';
import { log } from '@/lib/log/logger';
import { checkAuditChain, checkTransparencyLog } from './integrity-checks';

/**
 * Every hour, the full checks that no page view can afford at scale: the whole audit chain and
 * the whole transparency log recomputed (O(n) reads in bounded memory). Pages show the latest
 * result and check live only what was added since. A failure is logged as an error and shown red
 * on the compliance pages until a later check passes.
 */
export const integrityCheckJob = defineJob({
  id: 'integrity.check',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'integrity.check',
  policy: 'exclusive',
  cron: '23 * * * *',
  expireInSeconds: 60 * 60,
  handler: async () => {
    for (const check of [await checkAuditChain(), await checkTransparencyLog()]) {
      const facts = { kind: check.kind, covered: check.covered, seconds: (check.finishedAt.getTime() - check.startedAt.getTime()) / 1000 };
      if (check.ok) log.info('integrity check passed', facts);
      else log.error('integrity check FAILED', { ...facts, findings: check.findings });
    }
  },
});
