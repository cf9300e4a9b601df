import { z } from 'zod';
import { defineJob } from '@/lib/jobs/define-job';
import { enqueue } from '@/lib/jobs/enqueue';
import { attemptDelivery, deliverDue } from './deliver';

/** One attempt of one delivery; a failure schedules the next attempt as a delayed job. */
export const deliverWebhookJob = defineJob({
  id: 'webhooks.deliver',
  version: 1,
  schema: z.object({ deliveryId: z.uuid() }),
  key: (p) => `webhooks.deliver:${p.deliveryId}`,
  // Standard policy: the retry is queued from inside the running job. The lease in attemptDelivery
  // keeps two jobs for one delivery from both sending.
  retryLimit: 2,
  concurrency: 8,
  expireInSeconds: 120,
  handler: async (p) => {
    const r = await attemptDelivery(p.deliveryId);
    if (r.retryInSeconds !== null) await enqueue(deliverWebhookJob, p, { startAfterSeconds: r.retryInSeconds });
  },
});

/** Every minute: attempts whatever is due and was not queued (a crash, a lost job, an expired lease). */
export const sweepWebhooksJob = defineJob({
  id: 'webhooks.sweep',
  version: 1,
  schema: z.object({}).loose(),
  key: () => 'webhooks.sweep',
  cron: '* * * * *',
  handler: async () => {
    await deliverDue(new Date(), { graceMs: 30_000 });
  },
});

export async function requestDeliveries(ids: string[]): Promise<void> {
  for (const deliveryId of ids) await enqueue(deliverWebhookJob, { deliveryId });
}
